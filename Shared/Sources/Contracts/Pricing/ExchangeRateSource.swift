// Exchange rates from pricing (PricingClient), kept for EXCHANGE_RATE_CACHE_TTL. When
// pricing cannot answer, the rates last read keep serving (none before the first answer: prices in
// different currencies are then not compared) and pricing is asked again after `retryAfter`.

import FoundationEssentials
import Logging
import NIOConcurrencyHelpers

/// For the services that compare or convert amounts in several currencies (matching, risk).
public final class ExchangeRateSource: Sendable {
    public let pricing: PricingClient
    public let ttl: Duration
    public let retryAfter: Duration
    public let logger: Logger
    private let kept = NIOLockedValueBox<(rates: ExchangeRates?, until: ContinuousClock.Instant?)>((nil, nil))

    public init(pricing: PricingClient, ttl: Duration, retryAfter: Duration = .seconds(30), logger: Logger) {
        self.pricing = pricing
        self.ttl = ttl
        self.retryAfter = retryAfter
        self.logger = logger
    }

    /// The current rates; nil when pricing has never answered.
    public func current() async -> ExchangeRates? {
        let (rates, until) = kept.withLockedValue { $0 }
        if let until, ContinuousClock.now < until { return rates }
        do {
            let fresh = try await fetch()
            kept.withLockedValue { $0 = (fresh, .now + ttl) }
            return fresh
        } catch {
            logger.warning("exchange rates unavailable: prices in different currencies are compared with the rates last read", metadata: [
                "error": "\(error)", "rates_kept": "\(rates != nil)",
            ])
            kept.withLockedValue { $0 = (rates, .now + retryAfter) }
            return rates
        }
    }

    public func fetch() async throws -> ExchangeRates {
        try await pricing.exchangeRates(origin: .job())
    }
}
