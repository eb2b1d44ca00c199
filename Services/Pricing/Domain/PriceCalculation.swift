// One offer's sell price, step by step (docs/pricing.md), and every step kept so an operator can be
// shown why (`explain`). In the net's currency: the rule's markup is added, then the guards raise
// the price to the minimum margin and to the supplier's minimum selling price; then the price is
// converted to the asked currency and rounded to its minor units, up rather than below a floor.
// The arithmetic is in `Fixed` integers; amounts are made only for what is shown.

import FoundationEssentials
import Shared

struct PriceCalculation: Sendable, Equatable {
    var bookRule: BookRule?
    var net: Money
    var markupFixed: Fixed
    /// After the markup, before the guards (net currency).
    var markedFixed: Fixed
    /// The floors, in the net currency.
    var minMarginFloorFixed: Fixed
    var minimumSellFloorFixed: Fixed?
    var guardApplied: String?
    /// The result, in the asked currency, rounded.
    var sellFixed: Fixed
    var netConvertedFixed: Fixed
    var currency: String

    // The steps as shown (explain): in the net's currency, rounded to its minor units (a percent
    // markup or a converted minimum has more digits than a price can).
    var markup: Amount { shown(markupFixed) }
    var marked: Amount { shown(markedFixed) }
    var minMarginFloor: Amount { shown(minMarginFloorFixed) }
    var minimumSellFloor: Amount? { minimumSellFloorFixed.map(shown) }
    private func shown(_ step: Fixed) -> Amount { step.rounded(toScale: Currency.minorUnits(net.currency)).amount }
    var rule: MarkupRule? { bookRule?.rule }
    var sell: Money { Money(sellFixed.amount, currency) }
    var netConverted: Money { Money(netConvertedFixed.amount, currency) }

    enum Failure: Error, Equatable, CustomStringConvertible {
        case noRate(String)
        /// A net or minimum selling price below zero: no price is made of it.
        case negative(String)
        var description: String {
            switch self {
            case .noRate(let currency): "no exchange rate for \(currency)"
            case .negative(let field): "\(field) is below zero"
            }
        }
    }

    /// `minMarginPercent`: at least this share of the net is kept (config `pricing.min_margin`).
    static func price(_ subject: PricingSubject, currency: String, book: RuleBook, minMarginPercent: Amount) throws(Failure) -> PriceCalculation {
        try price(subject, terms: PriceTerms(book: book, currency: currency, minMarginPercent: minMarginPercent))
    }

    static func price(_ subject: PricingSubject, terms: PriceTerms) throws(Failure) -> PriceCalculation {
        try price(net: subject.offer.net, minimumSell: subject.offer.minimumSell, rule: terms.book.rule(for: subject), terms: terms)
    }

    /// An offer's price by `rule` (nil: none fits).
    static func price(net offerNet: Money, minimumSell: Money?, rule: BookRule?, terms: PriceTerms) throws(Failure) -> PriceCalculation {
        let (book, currency) = (terms.book, terms.currency)
        let netCurrency = offerNet.currency
        guard let toAsked = terms.conversion(from: netCurrency) else {
            throw .noRate(book.hasRate(netCurrency) ? currency : netCurrency)
        }
        guard let net = Fixed(offerNet.amount) else { throw .noRate(netCurrency) }
        if net < .zero { throw .negative("net") }
        if let minimum = minimumSell, let amount = Fixed(minimum.amount), amount < .zero { throw .negative("minimum_sell") }
        let markup: Fixed
        switch rule?.rule.effect {
        case .percent?: markup = net * (rule?.percent ?? .zero) / .hundred
        case .fixed(let fixed)?:
            guard let converted = book.convert(fixed, to: netCurrency) else { throw .noRate(fixed.currency) }
            markup = converted
        case nil: markup = .zero
        }
        let marked = net + markup
        let marginFloor = net + net * terms.minMargin / .hundred
        var floor = marginFloor
        var guardApplied: String? = marked < marginFloor ? "min_margin" : nil
        var minimumSellFloor: Fixed?
        if let minimum = minimumSell {
            guard let converted = book.convert(minimum, to: netCurrency) else { throw .noRate(minimum.currency) }
            minimumSellFloor = converted
            if floor < converted {
                floor = converted
                if marked < converted { guardApplied = "minimum_sell" }
            }
        }
        let guarded = max(marked, floor)
        let scale = terms.scale
        let (sellExact, floorExact, netExact) = (toAsked.apply(guarded), toAsked.apply(floor), toAsked.apply(net))
        var sell = sellExact.rounded(toScale: scale)
        // Rounding half up may fall a fraction of a minor unit under a floor: round up then.
        if sell < floorExact { sell = sellExact.rounded(toScale: scale, .up) }
        return PriceCalculation(
            bookRule: rule, net: offerNet, markupFixed: markup, markedFixed: marked, minMarginFloorFixed: marginFloor,
            minimumSellFloorFixed: minimumSellFloor, guardApplied: guardApplied, sellFixed: sell, netConvertedFixed: netExact.rounded(toScale: scale),
            currency: currency)
    }
}

/// What every offer of a batch is priced with, worked out once a batch: the book, the asked currency
/// and its minor units, the minimum margin, and each of the book's currencies' conversion into the
/// asked one.
struct PriceTerms: Sendable {
    let book: RuleBook
    let currency: String
    let scale: Int
    let minMargin: Fixed
    private let toAsked: [String: RuleBook.Conversion]

    init(book: RuleBook, currency: String, minMarginPercent: Amount) {
        self.book = book
        self.currency = currency
        scale = Currency.minorUnits(currency)
        minMargin = Fixed(minMarginPercent) ?? .zero
        toAsked = Dictionary(uniqueKeysWithValues: book.currencies.compactMap { from in book.conversion(from: from, to: currency).map { (from, $0) } })
    }

    /// From `from` into the asked currency; nil when a rate is missing.
    func conversion(from: String) -> RuleBook.Conversion? { from == currency ? RuleBook.Conversion(rates: nil) : toAsked[from] }
}
