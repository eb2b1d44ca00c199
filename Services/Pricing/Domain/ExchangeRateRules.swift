// What an exchange rate may be: a positive decimal with at most 10 decimals and 14 whole digits
// (what `pricing.exchange_rates.rate` holds), for a currency other than the base.

import Shared

enum ExchangeRateRules {
    static let maxDecimals = 10
    static let maxWholeDigits = 14

    /// Nil when `rate` is acceptable for `currency` (a currency code); otherwise what to fix.
    static func problem(rate: Amount, currency: String, base: String) -> Problem? {
        guard currency != base else {
            return Problem(.unprocessableContent, code: "base_currency", detail: "\(base) is the base currency (DEFAULT_CURRENCY): its rate is always 1.")
        }
        let parts = rate.value.description.split(separator: ".", maxSplits: 1)
        guard rate > .zero, parts[0].count <= maxWholeDigits, (parts.dropFirst().first?.count ?? 0) <= maxDecimals else {
            return Problem(.badRequest, code: "invalid_rate", detail:
                "rate must be a positive decimal string with at most \(maxDecimals) decimals, the units of \(base) one \(currency) buys, like \"7.8123\".")
        }
        return nil
    }
}
