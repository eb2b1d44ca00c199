// risk: its definition, dependencies and settings.

import Shared

/// The risk settings, with their defaults (docs/configuration.md).
struct RiskSettings: Sendable {
    var riskScoreThreshold: Int

    init(_ env: EnvironmentVariables) throws {
        riskScoreThreshold = try env.int("RISK_SCORE_THRESHOLD", default: 80, range: 0...100)
    }
}

enum RiskService {
    static let definition = ServiceDefinition(name: "risk", dependencies: [.postgres, .redis], schemas: [.service("risk")]) { setup in
        _ = try RiskSettings(setup.environment)
    }
}
