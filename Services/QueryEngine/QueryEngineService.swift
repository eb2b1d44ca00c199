// query-engine: its definition, settings and object graph.

import Shared

/// The query-engine settings, with their defaults (docs/configuration.md).
struct QueryEngineSettings: Sendable {
    var concurrencyLimit: Int
    var queryTimeoutMs: Int
    var defaultCurrency: String
    var offerTokenSecret: String
    var offerLifetimeSeconds: Int
    var matchingURL: String
    var supplierAdapterURL: String
    var pricingURL: String
    var inventoryURL: String
    var cacheFreshMs: Int
    var refreshLimit: Int

    init(_ env: EnvironmentVariables) throws {
        concurrencyLimit = try env.int("CONCURRENCY_LIMIT", default: 20, range: 1...1000)
        queryTimeoutMs = try env.int("QUERY_TIMEOUT_MS", default: 10000, range: 100...120_000)
        defaultCurrency = try env.currencyCode("DEFAULT_CURRENCY", default: "CNY")
        offerTokenSecret = try env.secret("OFFER_TOKEN_SECRET", minimumBytes: 32)
        offerLifetimeSeconds = try env.int("OFFER_TTL_SECONDS", default: 1800, range: 60...86_400)
        matchingURL = try env.baseURL(of: .matching)
        supplierAdapterURL = try env.baseURL(of: .supplierAdapter)
        pricingURL = try env.baseURL(of: .pricing)
        inventoryURL = try env.baseURL(of: .inventory)
        cacheFreshMs = try env.int("SEARCH_CACHE_FRESH_MS", default: 10_000, range: 100...600_000)
        refreshLimit = try env.int("SEARCH_REFRESH_LIMIT", default: 4, range: 1...1000)
    }
}

enum QueryEngineService {
    static let definition = ServiceDefinition(name: "query-engine", dependencies: [.redis, .rabbitmq]) { setup in
        try configure(&setup, settings: try QueryEngineSettings(setup.environment))
    }

    static func configure(_ setup: inout ServiceSetup, settings: QueryEngineSettings) throws {
        let http = HTTP1Client(connectTimeout: .seconds(2))
        let redis = setup.clients.redis.map { RedisPipeline(settings: $0.settings) }
        let tokens = OfferTokens(secret: settings.offerTokenSecret)
        let matching = MatchingClient(baseURL: settings.matchingURL, http: http)
        let sources = OfferSources(
            adapter: SupplierAdapterClient(baseURL: settings.supplierAdapterURL, http: http), inventory: InventoryClient(baseURL: settings.inventoryURL, http: http),
            logger: setup.logger)
        let pricing = PricingClient(baseURL: settings.pricingURL, http: http)
        let lifetime = Duration.seconds(settings.offerLifetimeSeconds)
        let metrics = SearchMetrics(registry: setup.metrics.registry)
        let memo = SearchMemo()
        let cache = AvailabilityCache(
            redis: redis, timing: .init(fresh: .milliseconds(settings.cacheFreshMs), renewing: settings.refreshLimit), logger: setup.logger,
            skipped: metrics.renewalSkipped, renewed: memo.forget)
        let engine = SearchEngine(
            matching: matching, sources: sources, pricing: pricing, cache: cache, tokens: tokens,
            settings: SearchSettings(concurrencyLimit: settings.concurrencyLimit, deadline: .milliseconds(settings.queryTimeoutMs), offerLifetime: lifetime),
            sourceSecret: settings.offerTokenSecret, metrics: metrics, logger: setup.logger)
        let events = SearchEvents(publisher: setup.clients.publisher, registry: setup.metrics.registry, logger: setup.logger)
        SearchController(
            engine: engine, checks: PriceCheck(tokens: tokens, sources: sources, pricing: pricing, matching: matching, lifetime: lifetime),
            defaultCurrency: settings.defaultCurrency, events: events, memo: memo, metrics: metrics
        ).add(to: setup.router)
        setup.services += [http, events] + (redis.map { [$0] } ?? [])
    }
}
