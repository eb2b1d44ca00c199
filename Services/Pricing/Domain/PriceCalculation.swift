// One offer's sell price, step by step (docs/pricing.md), and every step kept so an operator can be
// shown why (`explain`). In the net's currency: the rule's markup is added, then the guards raise
// the price to the minimum margin and to the supplier's minimum selling price; then the price is
// converted to the asked currency and rounded to its minor units, up rather than below a floor.

import FoundationEssentials
import Shared

struct PriceCalculation: Sendable, Equatable {
    var rule: MarkupRule?
    var net: Money
    var markup: Amount
    /// After the markup, before the guards (net currency).
    var marked: Amount
    /// The floors, in the net currency.
    var minMarginFloor: Amount
    var minimumSellFloor: Amount?
    var guardApplied: String?
    /// The result, in the asked currency.
    var sell: Money
    var netConverted: Money

    enum Failure: Error, Equatable, CustomStringConvertible {
        case noRate(String)
        var description: String {
            switch self {
            case .noRate(let currency): "no exchange rate for \(currency)"
            }
        }
    }

    /// `minMarginPercent`: at least this share of the net is kept (config `pricing.min_margin`).
    static func price(_ subject: PricingSubject, currency: String, book: RuleBook, minMarginPercent: Amount) throws(Failure) -> PriceCalculation {
        let offer = subject.offer
        let net = offer.net.amount
        let rule = book.rule(for: subject)
        let markup: Amount
        switch rule?.effect {
        case .percent(let percent)?: markup = net * percent / Amount(100)
        case .fixed(let fixed)?:
            guard let converted = book.convert(fixed, to: offer.net.currency) else { throw .noRate(fixed.currency) }
            markup = converted
        case nil: markup = .zero
        }
        let marked = net + markup
        let marginFloor = net + net * minMarginPercent / Amount(100)
        var floor = marginFloor
        var guardApplied: String? = marked < marginFloor ? "min_margin" : nil
        var minimumSellFloor: Amount?
        if let minimum = offer.minimumSell {
            guard let converted = book.convert(minimum, to: offer.net.currency) else { throw .noRate(minimum.currency) }
            minimumSellFloor = converted
            if converted > floor {
                floor = converted
                if marked < converted { guardApplied = "minimum_sell" }
            }
        }
        let guarded = max(marked, floor)
        let scale = Currency.minorUnits(currency)
        guard let sellExact = book.convert(Money(guarded, offer.net.currency), to: currency),
            let floorExact = book.convert(Money(floor, offer.net.currency), to: currency),
            let netExact = book.convert(offer.net, to: currency)
        else { throw .noRate(book.rate(offer.net.currency) == nil ? offer.net.currency : currency) }
        var sell = sellExact.rounded(toScale: scale)
        // Rounding half up may fall a fraction of a minor unit under a floor: round up then.
        if sell < floorExact { sell = sellExact.rounded(toScale: scale, .up) }
        return PriceCalculation(
            rule: rule, net: offer.net, markup: markup, marked: marked, minMarginFloor: marginFloor, minimumSellFloor: minimumSellFloor,
            guardApplied: guardApplied, sell: Money(sell, currency), netConverted: Money(netExact.rounded(toScale: scale), currency))
    }
}
