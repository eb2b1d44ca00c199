// The money rules of an order, pure: whether a new price is within the distributor's tolerance,
// what the tenant's credit is charged in its account's currency, and what cancelling costs.

import FoundationEssentials
import Shared

enum OrderMoney {
    /// Whether `now` may replace `agreed` under `tolerance` (none: no rise at all). A fall always may.
    static func accepts(_ now: Money, agreed: Money, tolerance: PlaceOrderInput.Tolerance?) -> Bool {
        now.currency == agreed.currency && now.amount <= maximum(agreed, tolerance: tolerance).amount
    }

    /// The most the distributor accepts to pay: the agreed price and the rise it tolerates (rounded
    /// down to the currency's minor units). The credit reserved for the order.
    static func maximum(_ agreed: Money, tolerance: PlaceOrderInput.Tolerance?) -> Money {
        let rise: Amount = switch (tolerance?.percent, tolerance?.amount) {
        case (let percent?, _): agreed.amount * percent / Amount(100)
        case (_, let amount?) where amount.currency == agreed.currency: amount.amount
        default: .zero
        }
        // Rounded down (toward -infinity, as `.up` of its negative): never more than tolerated.
        let down = Amount.zero - (Amount.zero - (agreed.amount + rise)).rounded(toScale: Currency.minorUnits(agreed.currency), .up)
        return Money(down, agreed.currency)
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

    /// Whether another supplier's offer can stand in for `original`: the same room (by name), board
    /// and stay, as refundable, and costing no more than `limit`.
    static func equivalent(_ candidate: OfferTerms, to original: OfferTerms, limit: Money) -> Bool {
        candidate.supplier != original.supplier && candidate.masterHotelId == original.masterHotelId && candidate.board == original.board
            && (candidate.refundable || !original.refundable) && candidate.checkIn == original.checkIn && candidate.checkOut == original.checkOut
            && candidate.occupancy == original.occupancy && roomName(candidate.roomName) == roomName(original.roomName)
            && candidate.sell.currency == limit.currency && candidate.sell.amount <= limit.amount
    }

    static func roomName(_ name: String) -> String {
        String(name.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    /// `charge` (the credit for `from`) for the price `to` instead, rounded up.
    static func scaled(_ charge: Money, from: Money, to: Money) -> Money {
        guard charge.currency != to.currency, from.amount > .zero else { return charge.currency == to.currency ? to : charge }
        return Money((charge.amount * to.amount / from.amount).rounded(toScale: Currency.minorUnits(charge.currency), .up), charge.currency)
    }
}
