// The money rules of an order, pure: whether a new price is within the distributor's tolerance,
// what the tenant's credit is charged in its account's currency, and what cancelling costs.

import FoundationEssentials
import Shared

enum OrderMoney {
    /// Whether `now` may replace `agreed` under `tolerance` (none: no rise at all). A fall always may.
    static func accepts(_ now: Money, agreed: Money, tolerance: PlaceOrderInput.Tolerance?) -> Bool {
        guard now.currency == agreed.currency else { return false }
        if now.amount <= agreed.amount { return true }
        let rise = now.amount - agreed.amount
        switch (tolerance?.percent, tolerance?.amount) {
        case (let percent?, _): return rise * Amount(100) <= agreed.amount * percent
        case (_, let amount?): return amount.currency == agreed.currency && rise <= amount.amount
        default: return false
        }
    }

    /// `sell` in `currency` at today's rates, rounded up to its minor units (the credit charged is
    /// never less than the price); nil without a rate for either currency.
    static func charge(_ sell: Money, in currency: String, rates: ExchangeRates) -> Money? {
        if sell.currency == currency { return sell }
        guard let base = rates.inBase(sell), let rate = currency == rates.base ? Amount(1) : rates.rates[currency], rate > .zero else { return nil }
        return Money((base / rate).rounded(toScale: Currency.minorUnits(currency), .up), currency)
    }

    /// The penalty for cancelling at `moment` under the offer's policies (in the sell currency),
    /// never more than the price.
    static func penalty(_ policies: [CancellationPolicy], sell: Money, at moment: Date) -> Money {
        Money(min(CancellationPolicy.penalty(policies, at: moment), sell.amount), sell.currency)
    }

    /// `penalty` (in the sell currency) as a share of `charge` (the credit captured, maybe in another
    /// currency): what is kept of the capture; the rest is refunded.
    static func kept(_ penalty: Money, sell: Money, charge: Money) -> Money {
        if penalty.currency == charge.currency { return Money(min(penalty.amount, charge.amount), charge.currency) }
        guard sell.amount > .zero else { return Money(.zero, charge.currency) }
        let share = (charge.amount * penalty.amount / sell.amount).rounded(toScale: Currency.minorUnits(charge.currency))
        return Money(min(share, charge.amount), charge.currency)
    }
}
