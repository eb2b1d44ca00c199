// risk: its definition, dependencies and settings.

import Shared

/// The risk settings, with their defaults (docs/configuration.md).
struct RiskSettings: Sendable {
    var riskScoreThreshold: Int
    /// How often expired credit reservations are released.
    var sweepIntervalMs: Int

    init(_ env: EnvironmentVariables) throws {
        riskScoreThreshold = try env.int("RISK_SCORE_THRESHOLD", default: 80, range: 0...100)
        sweepIntervalMs = try env.int("CREDIT_SWEEP_INTERVAL_MS", default: 5000, range: 100...3_600_000)
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
        CreditController(repository: credit).add(to: setup.router)
        setup.services.append(ReservationSweeper(repository: credit, interval: .milliseconds(settings.sweepIntervalMs), logger: setup.logger))
    }
}
