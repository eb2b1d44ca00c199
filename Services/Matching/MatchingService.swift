// matching: its definition, settings and object graph.

import Shared

/// The matching settings, with their defaults (docs/configuration.md).
struct MatchingSettings: Sendable {
    var matchingAlgorithm: String
    /// Where supplier content comes from.
    var supplierAdapterURL: String
    /// Where exchange rates come from (to compare prices quoted in different currencies), and how long they are kept.
    var pricingURL: String
    var exchangeRateCacheTTL: Int
    /// Whether this replica runs mapping jobs (`MAPPING_JOBS=off`: it only serves lookups and the API).
    var runsMappingJobs: Bool

    init(_ env: EnvironmentVariables) throws {
        matchingAlgorithm = try env.oneOf("MATCHING_ALGORITHM", default: "weighted_score", allowed: ["weighted_score"])
        supplierAdapterURL = try env.baseURL(of: .supplierAdapter)
        pricingURL = try env.baseURL(of: .pricing)
        exchangeRateCacheTTL = try env.int("EXCHANGE_RATE_CACHE_TTL", default: 3600, range: 1...86_400)
        runsMappingJobs = try env.oneOf("MAPPING_JOBS", default: "on", allowed: ["on", "off"]) == "on"
    }
}

enum MatchingService {
    static let definition = ServiceDefinition(
        name: "matching", dependencies: [.postgres, .rabbitmq], schemas: [.service("matching", migrations: MatchingMigrations.all)]
    ) { setup in
        try configure(&setup, settings: try MatchingSettings(setup.environment))
    }

    /// A supplier's changed hotels queue a mapping run for it.
    static func supplierHotels(wake: WakeSignal) -> EventHandling<SupplierHotelsUpdatedEvent> {
        EventHandling(queue: "matching.supplier-hotels", events: [SupplierHotelsUpdatedEvent.type], schema: "matching") { events, transaction in
            for supplier in Set(events.map(\.payload.supplier)) {
                _ = try MappingJobRepository.enqueue(supplier: supplier, by: "event:supplier.hotels.updated", on: transaction.connection)
            }
            transaction.afterCommit { wake.signal() }
        }
    }

    /// Supplier calls teach reliability and prices.
    static let supplierCalls = EventHandling<SupplierCallEvent>(queue: "matching.supplier-calls", events: [SupplierCallEvent.type], schema: "matching") {
        events, transaction in try SupplierScoreRepository.record(events.map(\.payload), on: transaction.connection)
    }

    static func configure(_ setup: inout ServiceSetup, settings: MatchingSettings) throws {
        guard let pool = setup.clients.postgres else { return }
        let catalog = CatalogRepository(pool: pool)
        let jobs = MappingJobRepository(pool: pool)
        let scores = SupplierScoreRepository(pool: pool)
        let wake = WakeSignal()
        let cache = CatalogCache(catalog: catalog, logger: setup.logger)
        let client = HTTP1Client(connectTimeout: .seconds(2))
        let rates = ExchangeRateSource(
            pricing: PricingClient(baseURL: settings.pricingURL, http: client), ttl: .seconds(settings.exchangeRateCacheTTL), logger: setup.logger)
        LookupController(cache: cache, catalog: catalog, scores: scores, rates: rates, config: setup.clients.config).add(to: setup.router)
        MappingAdminController(catalog: catalog, jobs: jobs, wake: wake, cache: cache).add(to: setup.router)
        let source = SupplierContentSource(adapter: SupplierAdapterClient(baseURL: settings.supplierAdapterURL, http: client))
        setup.services.append(cache)
        if settings.runsMappingJobs {
            setup.services.append(MappingJobs(jobs: jobs, catalog: catalog, source: source, wake: wake, cache: cache, logger: setup.logger))
        }
        setup.consume(supplierHotels(wake: wake))
        setup.consume(supplierCalls)
    }
}
