// What an exchange rate may be: a positive decimal with at most 10 decimals and 14 whole digits
// (what `pricing.exchange_rates.rate` holds), for a currency other than the base.

import Shared

enum ExchangeRateRules {
    static let maxDecimals = 10
    static let maxWholeDigits = 14

    /// Nil when `rate` is acceptable for `currency`; otherwise what to fix.
    static func problem(currency: String, rate: Amount, base: String) -> Problem? {
        guard Currency.isCode(currency) else {
            return Problem(.badRequest, code: "invalid_currency", detail: "'\(currency)' is not an ISO 4217 currency code; use three capital letters like EUR.")
        }
        guard currency != base else {
            return Problem(.unprocessableContent, code: "base_currency", detail: "\(base) is the base currency (DEFAULT_CURRENCY): its rate is always 1.")
        }
        let text = rate.value.description
        let whole = text.split(separator: ".", maxSplits: 1)[0], decimals = text.split(separator: ".", maxSplits: 1).dropFirst().first?.count ?? 0
        guard rate > .zero, decimals <= maxDecimals, whole.count <= maxWholeDigits else {
            return Problem(.badRequest, code: "invalid_rate", detail:
                "rate must be a positive decimal string with at most \(maxDecimals) decimals, the units of \(base) one \(currency) buys, like \"7.8123\".")
        }
        return nil
    }
}
