// order: its definition, dependencies and settings.

import Shared

/// The order settings, with their defaults (docs/configuration.md).
struct OrderSettings: Sendable {
    var orderExpiryMinutes: Int
    /// Opens the offer ids query-engine signs.
    var offerTokenSecret: String
    var exchangeRateCacheTTL: Int
    /// How long a request waits for its booking before answering 202.
    var answerWithinMs: Int
    /// How long order waits for supplier-adapter to book.
    var bookTimeoutMs: Int
    /// Look-ups of a booking whose answer was lost before it counts as not made.
    var reconcileAttempts: Int
    /// How often the keeper looks for sagas to run, holds to expire, stays to complete.
    var keeperIntervalMs: Int
    /// How long a saga's hold on an order lasts between two changes (a crashed runner's orders are taken over after it).
    var leaseMs: Int
    var urls: [PlatformService: String]

    init(_ env: EnvironmentVariables) throws {
        orderExpiryMinutes = try env.int("ORDER_EXPIRY_MINUTES", default: 30, range: 1...10_080)
        offerTokenSecret = try env.secret("OFFER_TOKEN_SECRET", minimumBytes: 32)
        exchangeRateCacheTTL = try env.int("EXCHANGE_RATE_CACHE_TTL", default: 3600, range: 1...86_400)
        answerWithinMs = try env.int("ORDER_ANSWER_WITHIN_MS", default: 5000, range: 0...60_000)
        bookTimeoutMs = try env.int("ORDER_BOOK_TIMEOUT_MS", default: 90_000, range: 100...600_000)
        reconcileAttempts = try env.int("ORDER_RECONCILE_ATTEMPTS", default: 20, range: 1...1000)
        keeperIntervalMs = try env.int("ORDER_KEEPER_INTERVAL_MS", default: 2000, range: 100...3_600_000)
        leaseMs = try env.int("ORDER_LEASE_MS", default: 15_000, range: 1000...600_000)
        urls = try Dictionary(uniqueKeysWithValues: [PlatformService.queryEngine, .risk, .inventory, .supplierAdapter, .pricing].map { ($0, try env.baseURL(of: $0)) })
    }
}

enum OrderService {
    static let definition = ServiceDefinition(
        name: "order", dependencies: [.postgres, .rabbitmq], schemas: [.service("orders", migrations: OrderMigrations.all)]
    ) { setup in
        try configure(&setup, settings: try OrderSettings(setup.environment))
    }

    static func configure(_ setup: inout ServiceSetup, settings: OrderSettings) throws {
        guard let pool = setup.clients.postgres else { return }
        let http = HTTP1Client(connectTimeout: .seconds(2))
        setup.relayOutbox(schema: "orders")
        let tokens = OfferTokens(secret: settings.offerTokenSecret)
        let calls = SagaCalls(
            queryEngine: QueryEngineClient(baseURL: settings.urls[.queryEngine]!, http: http), risk: RiskClient(baseURL: settings.urls[.risk]!, http: http),
            inventory: InventoryClient(baseURL: settings.urls[.inventory]!, http: http),
            adapter: SupplierAdapterClient(baseURL: settings.urls[.supplierAdapter]!, http: http),
            rates: ExchangeRateSource(pricing: PricingClient(baseURL: settings.urls[.pricing]!, http: http), ttl: .seconds(settings.exchangeRateCacheTTL), logger: setup.logger),
            tokens: tokens, bookTimeout: .milliseconds(settings.bookTimeoutMs))
        let repository = OrderRepository(pool: pool, lease: .milliseconds(settings.leaseMs))
        let saga = BookingSaga(
            repository: repository, calls: calls,
            settings: SagaSettings(orderExpiry: .seconds(settings.orderExpiryMinutes * 60), reconcileAttempts: settings.reconcileAttempts),
            config: setup.clients.config, logger: setup.logger, registry: setup.metrics.registry)
        let desk = OrderDesk(repository: repository, saga: saga, tokens: tokens, answerWithin: .milliseconds(settings.answerWithinMs))
        OrderController(desk: desk).add(to: setup.router)
        OrderAdminController(desk: desk).add(to: setup.router)
        setup.consume(ReviewDecisions.handling(repository: repository))
        setup.services.append(OrderKeeper(desk: desk, interval: .milliseconds(settings.keeperIntervalMs), logger: setup.logger))
    }
}
