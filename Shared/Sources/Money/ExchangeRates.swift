// Exchange rates against one base currency (DEFAULT_CURRENCY) as pricing publishes them
// (`GET /exchange-rates`): how many units of the base one unit of each currency buys.

public struct ExchangeRates: Sendable, Equatable, Codable {
    public var base: String
    /// Units of `base` per unit of each currency, a decimal string on the wire ("7.8123"); the base
    /// itself is 1 whether listed or not.
    public var rates: [String: Amount]

    public init(base: String, rates: [String: Amount] = [:]) {
        self.base = base
        self.rates = rates
    }

    /// `money` in the base currency; nil when there is no rate for its currency.
    public func inBase(_ money: Money) -> Amount? {
        money.currency == base ? money.amount : rates[money.currency].map { money.amount * $0 }
    }
}
