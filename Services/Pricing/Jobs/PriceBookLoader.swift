// Keeps the rule book every replica prices with current: loaded at start, reloaded within a moment
// of any change to rules, tenant groups or exchange rates on any replica (NOTIFY pricing.book), and
// every 30 s as the fallback. Until the first load, prices are refused rather than made without rules.

import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle
import Shared

final class PriceBookLoader: Service, Sendable {
    static let channel = "pricing.book"

    let rules: MarkupRuleRepository
    let rates: ExchangeRateRepository
    let logger: Logger
    private let current = NIOLockedValueBox<RuleBook?>(nil)

    init(rules: MarkupRuleRepository, rates: ExchangeRateRepository, logger: Logger) {
        self.rules = rules
        self.rates = rates
        self.logger = logger
    }

    /// The book to price with; nil before the first load.
    var book: RuleBook? { current.withLockedValue { $0 } }

    func reload() async throws {
        async let allRules = rules.all()
        async let groups = rules.groups()
        async let allRates = rates.all()
        let book = RuleBook(
            rules: try await allRules, groups: try await groups,
            rates: ExchangeRates(base: rates.base, rates: Dictionary(uniqueKeysWithValues: try await allRates.map { ($0.currency, $0.rate) })))
        current.withLockedValue { $0 = book }
    }

    func run() async throws {
        try await PostgresListener.reloading(settings: rules.pool.settings, channels: [Self.channel], every: .seconds(30), logger: logger) {
            do {
                try await self.reload()
            } catch {
                self.logger.warning("price book not reloaded", metadata: ["error": .string("\(error)")])
            }
        }
    }
}
