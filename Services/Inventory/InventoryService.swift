// inventory: its definition, dependencies and settings.

import Shared

/// The inventory settings, with their defaults (docs/configuration.md).
struct InventorySettings: Sendable {
    var syncIntervalMs: Int

    init(_ env: EnvironmentVariables) throws {
        syncIntervalMs = try env.int("SYNC_INTERVAL_MS", default: 300000, range: 1000...86_400_000)
    }
}

enum InventoryService {
    static let definition = ServiceDefinition(name: "inventory", dependencies: [.postgres, .redis, .rabbitmq], schemas: [.service("inventory")]) { setup in
        _ = try InventorySettings(setup.environment)
    }
}
