// What pricing prices with, as one immutable value: the enabled rules indexed by where they apply,
// the tenant groups and the exchange rates. Replaced whole when any of them changes, so a batch is
// priced against one consistent book.

import FoundationEssentials
import Shared

struct RuleBook: Sendable {
    let rates: ExchangeRates
    /// The same rates as integers, for the arithmetic (`Fixed`).
    private let fixedRates: [String: Fixed]
    /// Tenant id -> the groups it belongs to.
    let groups: [String: Set<String>]
    private let byHotel: [Int64: [MarkupRule]]
    private let byCity: [String: [MarkupRule]]
    private let byCountry: [String: [MarkupRule]]
    private let everywhere: [MarkupRule]
    /// Whether any rule bounds the net (only then is each offer's net converted to the base).
    let boundsNet: Bool

    init(rules: [MarkupRule], groups: [String: Set<String>], rates: ExchangeRates) {
        self.rates = rates
        self.groups = groups
        fixedRates = rates.rates.compactMapValues(Fixed.init).merging([rates.base: Fixed(raw: Fixed.unit)]) { $1 }
        let enabled = rules.filter(\.enabled)
        byHotel = Dictionary(grouping: enabled.filter { $0.scope.placeLevel == 3 }) { $0.scope.masterHotelId! }
        byCity = Dictionary(grouping: enabled.filter { $0.scope.placeLevel == 2 }) { $0.scope.city!.lowercased() }
        byCountry = Dictionary(grouping: enabled.filter { $0.scope.placeLevel == 1 }) { $0.scope.countryCode! }
        everywhere = enabled.filter { $0.scope.placeLevel == 0 }
        boundsNet = enabled.contains { $0.scope.minNet != nil || $0.scope.maxNet != nil }
    }

    static func empty(base: String) -> RuleBook { RuleBook(rules: [], groups: [:], rates: ExchangeRates(base: base)) }

    /// The rule that sets `subject`'s markup, if any fits.
    func rule(for subject: PricingSubject) -> MarkupRule? {
        let offer = subject.offer
        var best: MarkupRule?
        func consider(_ rules: [MarkupRule]) {
            for rule in rules where rule.scope.matches(subject) {
                if best.map({ MarkupRule.precedes(rule, $0) }) ?? true { best = rule }
            }
        }
        // Each place's rules, looked up only where there are some (a batch prices thousands of offers).
        if !byHotel.isEmpty, let hotel = offer.masterHotelId, let rules = byHotel[hotel] { consider(rules) }
        if !byCity.isEmpty, let city = offer.city, let rules = byCity[city.lowercased()] { consider(rules) }
        if !byCountry.isEmpty, let country = offer.countryCode, let rules = byCountry[country.uppercased()] { consider(rules) }
        consider(everywhere)
        return best
    }

    /// From one currency into another through the base: `amount * from / to`, or the amount itself
    /// between the same currency.
    struct Conversion {
        var rates: (from: Fixed, to: Fixed)?
        func apply(_ amount: Fixed) -> Fixed { rates.map { amount * $0.from / $0.to } ?? amount }
    }

    /// nil when a rate is missing.
    func conversion(from: String, to: String) -> Conversion? {
        guard from != to else { return Conversion(rates: nil) }
        guard let fromRate = fixedRates[from], let toRate = fixedRates[to] else { return nil }
        return Conversion(rates: (fromRate, toRate))
    }

    /// `amount` of `from` in `to` through the base; nil when a rate is missing.
    func convert(_ amount: Fixed, from: String, to: String) -> Fixed? { conversion(from: from, to: to)?.apply(amount) }

    func convert(_ money: Money, to currency: String) -> Fixed? {
        Fixed(money.amount).flatMap { convert($0, from: money.currency, to: currency) }
    }

    func hasRate(_ currency: String) -> Bool { fixedRates[currency] != nil }
}
