// order: its definition, dependencies and settings.

import Shared

/// The order settings, with their defaults (docs/configuration.md).
struct OrderSettings: Sendable {
    var orderExpiryMinutes: Int

    init(_ env: EnvironmentVariables) throws {
        orderExpiryMinutes = try env.int("ORDER_EXPIRY_MINUTES", default: 30, range: 1...10_080)
    }
}

enum OrderService {
    static let definition = ServiceDefinition(name: "order", dependencies: [.postgres, .rabbitmq], schemas: [.service("orders")]) { setup in
        _ = try OrderSettings(setup.environment)
    }
}
