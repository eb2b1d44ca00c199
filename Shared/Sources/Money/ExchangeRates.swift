// Exchange rates against one base currency (DEFAULT_CURRENCY): how many units of the base one unit
// of each currency buys. pricing owns them (schema `pricing`, `GET /exchange-rates`); whoever
// compares or converts prices in different currencies converts with this, so everyone rounds alike.

import FoundationEssentials

public struct ExchangeRates: Sendable, Equatable, Codable {
    public var base: String
    /// Units of `base` per unit of each currency, a decimal string on the wire ("7.8123"); the base
    /// itself is 1 whether listed or not.
    public var rates: [String: Amount]

    public init(base: String, rates: [String: Amount] = [:]) {
        self.base = base
        self.rates = rates
    }

    /// Units of the base per unit of `currency`; nil when no rate is known.
    public func rate(_ currency: String) -> Amount? {
        currency == base ? Amount(1) : rates[currency]
    }

    /// `money` in `currency`, rounded half away from zero to its minor units; nil without both rates.
    public func convert(_ money: Money, to currency: String) -> Money? {
        if money.currency == currency { return money }
        guard let from = rate(money.currency), let to = rate(currency), to > .zero else { return nil }
        let amount = Amount(money.amount.value * from.value / to.value).rounded(scale: Currency.minorUnits(currency))
        return Money(amount, currency)
    }
}

extension Amount {
    /// Rounded half away from zero to `scale` decimals (1.005 -> 1.01, -1.005 -> -1.01), digit by
    /// digit, so no binary float is ever involved.
    public func rounded(scale: Int) -> Amount {
        let text = value.description
        let negative = text.hasPrefix("-")
        let digits = negative ? text.dropFirst() : Substring(text)
        guard let point = digits.firstIndex(of: "."), digits.distance(from: point, to: digits.endIndex) - 1 > scale else { return self }
        let kept = digits[..<digits.index(point, offsetBy: scale + 1)]
        let next = digits[digits.index(point, offsetBy: scale + 1)]
        var magnitude = Amount(kept.hasSuffix(".") ? kept.dropLast() : kept)!
        if next >= "5" { magnitude = magnitude + Amount(minorUnits: 1, scale: scale) }
        return negative ? .zero - magnitude : magnitude
    }
}
