// gateway: its definition, dependencies and settings.

import Shared

/// The gateway settings from seed 003, with its defaults.
struct GatewaySettings: Sendable {
    var jwtSecret: String
    var jwtExpiryHours: Int
    var rateLimitWindowMs: Int
    var rateLimitMax: Int

    init(_ env: EnvironmentVariables) throws {
        jwtSecret = try env.secret("JWT_SECRET", minimumBytes: 32)
        jwtExpiryHours = try env.int("JWT_EXPIRY_HOURS", default: 24, range: 1...720)
        rateLimitWindowMs = try env.int("RATE_LIMIT_WINDOW_MS", default: 60000, range: 1...86_400_000)
        rateLimitMax = try env.int("RATE_LIMIT_MAX", default: 100, range: 1...1_000_000)
    }
}

enum GatewayService {
    static let definition = ServiceDefinition(name: "gateway", dependencies: [.postgres, .redis, .rabbitmq], schemas: [.service("gateway"), .platform]) { setup in
        _ = try GatewaySettings(setup.environment)
    }
}
