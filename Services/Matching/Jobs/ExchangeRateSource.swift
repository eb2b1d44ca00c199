// Exchange rates from pricing (`GET /exchange-rates`), kept for EXCHANGE_RATE_CACHE_TTL. When
// pricing cannot answer, the rates last read keep serving (none before the first answer: prices in
// different currencies are then not compared) and pricing is asked again after `retryAfter`.

import FoundationEssentials
import Logging
import NIOConcurrencyHelpers
import Shared

final class ExchangeRateSource: Sendable {
    let url: String
    let client: HTTP1Client
    let ttl: Duration
    let retryAfter: Duration
    let logger: Logger
    private let kept = NIOLockedValueBox<(rates: ExchangeRates?, until: ContinuousClock.Instant?)>((nil, nil))

    init(url: String, client: HTTP1Client, ttl: Duration, retryAfter: Duration = .seconds(30), logger: Logger) {
        self.url = url
        self.client = client
        self.ttl = ttl
        self.retryAfter = retryAfter
        self.logger = logger
    }

    /// The current rates; nil when pricing has never answered.
    func current() async -> ExchangeRates? {
        let (rates, until) = kept.withLockedValue { $0 }
        if let until, ContinuousClock.now < until { return rates }
        do {
            let fresh = try await fetch()
            kept.withLockedValue { $0 = (fresh, .now + ttl) }
            return fresh
        } catch {
            logger.warning("exchange rates unavailable: prices in different currencies are compared with the rates last read", metadata: [
                "error": "\(error)", "url": "\(url)", "rates_kept": "\(rates != nil)",
            ])
            kept.withLockedValue { $0 = (rates, .now + retryAfter) }
            return rates
        }
    }

    struct Refused: Error, CustomStringConvertible {
        let status: Int
        var description: String { "pricing answered \(status)" }
    }

    func fetch() async throws -> ExchangeRates {
        let response = try await client.execute(.get, url, timeout: .seconds(2))
        guard response.status == .ok else { throw Refused(status: Int(response.status.code)) }
        return try PlatformJSON.decoder.decode(ExchangeRates.self, from: Data(buffer: response.body))
    }
}
