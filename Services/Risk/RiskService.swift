// risk: its definition, dependencies and settings.

import Shared

/// The risk settings, with their defaults (docs/configuration.md).
struct RiskSettings: Sendable {
    var riskScoreThreshold: Int
    /// How often expired credit reservations are released.
    var sweepIntervalMs: Int
    var exchangeRateCacheTTL: Int
    var pricingURL: String

    init(_ env: EnvironmentVariables) throws {
        riskScoreThreshold = try env.int("RISK_SCORE_THRESHOLD", default: 80, range: 0...100)
        sweepIntervalMs = try env.int("CREDIT_SWEEP_INTERVAL_MS", default: 5000, range: 100...3_600_000)
        exchangeRateCacheTTL = try env.int("EXCHANGE_RATE_CACHE_TTL", default: 3600, range: 1...86_400)
        pricingURL = try env.baseURL(of: .pricing)
    }
}

enum RiskService {
    static let definition = ServiceDefinition(
        name: "risk", dependencies: [.postgres, .redis, .rabbitmq], schemas: [.service("risk", migrations: RiskMigrations.all)]
    ) { setup in
        try configure(&setup, settings: try RiskSettings(setup.environment))
    }

    static func configure(_ setup: inout ServiceSetup, settings: RiskSettings) throws {
        guard let pool = setup.clients.postgres else { return }
        let credit = CreditRepository(pool: pool)
        setup.relayOutbox(schema: "risk")
        CreditController(repository: credit).add(to: setup.router)
        let rates = ExchangeRateSource(
            pricing: PricingClient(baseURL: settings.pricingURL, http: HTTP1Client(connectTimeout: .seconds(2))), ttl: .seconds(settings.exchangeRateCacheTTL),
            logger: setup.logger)
        let signals = RiskSignalSource(pool: pool, redis: setup.clients.redis, rates: rates, logger: setup.logger)
        RiskController(assessments: AssessmentRepository(pool: pool), signals: signals, config: setup.clients.config, threshold: settings.riskScoreThreshold)
            .add(to: setup.router)
        setup.services += [
            // Reservations their orders neither captured nor released in time, released as `expired`
            // (replicas may sweep at once: the compare-and-swap on each lets only one release it).
            PeriodicJob(failure: "expired reservations not swept", every: .milliseconds(settings.sweepIntervalMs), logger: setup.logger) {
                while try await credit.sweepExpired() == 100 {}
            },
            BlacklistLoader(signals: signals, logger: setup.logger),
        ]
    }
}
