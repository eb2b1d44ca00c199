// pricing: its definition, dependencies and settings.

import Shared

/// The pricing settings, with their defaults (docs/configuration.md).
struct PricingSettings: Sendable {
    var defaultCurrency: String
    var exchangeRateCacheTTL: Int

    init(_ env: EnvironmentVariables) throws {
        defaultCurrency = try env.currencyCode("DEFAULT_CURRENCY", default: "CNY")
        exchangeRateCacheTTL = try env.int("EXCHANGE_RATE_CACHE_TTL", default: 3600, range: 1...86_400)
    }
}

enum PricingService {
    static let definition = ServiceDefinition(
        name: "pricing", dependencies: [.postgres, .redis], schemas: [.service("pricing", migrations: PricingMigrations.all)]
    ) { setup in
        try configure(&setup, settings: try PricingSettings(setup.environment))
    }

    static func configure(_ setup: inout ServiceSetup, settings: PricingSettings) throws {
        guard let pool = setup.clients.postgres else { return }
        let rates = ExchangeRateRepository(pool: pool, base: settings.defaultCurrency)
        let rules = MarkupRuleRepository(pool: pool)
        let loader = PriceBookLoader(rules: rules, rates: rates, logger: setup.logger)
        ExchangeRateController(repository: rates).add(to: setup.router)
        MarkupRuleController(repository: rules, loader: loader).add(to: setup.router)
        PriceController(loader: loader, config: setup.clients.config).add(to: setup.router)
        setup.services.append(loader)
    }
}
