// pricing: its definition, dependencies and settings.

import Shared

/// The pricing settings from seed 003, with its defaults.
struct PricingSettings: Sendable {
    var defaultCurrency: String
    var exchangeRateCacheTTL: Int

    init(_ env: EnvironmentVariables) throws {
        defaultCurrency = try env.currencyCode("DEFAULT_CURRENCY", default: "CNY")
        exchangeRateCacheTTL = try env.int("EXCHANGE_RATE_CACHE_TTL", default: 3600, range: 1...86_400)
    }
}

enum PricingService {
    static let definition = ServiceDefinition(name: "pricing", dependencies: [.postgres, .redis], schemas: [.service("pricing")]) { setup in
        _ = try PricingSettings(setup.environment)
    }
}
