// settlement: its definition, dependencies and settings.

import Shared

/// The settlement settings from seed 003, with its defaults.
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
