// settlement: its definition, dependencies and settings.

import Shared

/// The settlement settings, with their defaults (docs/configuration.md).
struct SettlementSettings: Sendable {
    var settleCycleDays: Int

    init(_ env: EnvironmentVariables) throws {
        settleCycleDays = try env.int("SETTLE_CYCLE_DAYS", default: 7, range: 1...366)
    }
}

enum SettlementService {
    static let definition = ServiceDefinition(name: "settlement", dependencies: [.postgres, .rabbitmq], schemas: [.service("settlement")]) { setup in
        _ = try SettlementSettings(setup.environment)
    }
}
