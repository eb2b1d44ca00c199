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
    private let byHotel: [Int64: [BookRule]]
    private let byCity: [String: [BookRule]]
    private let byCountry: [String: [BookRule]]
    private let everywhere: [BookRule]
    /// Whether any rule bounds the net (only then is each offer's net converted to the base).
    let boundsNet: Bool
    /// Whether any rule names a city or a country (only then are an offer's made the case rules are matched in).
    private let namesCities: Bool
    private let namesCountries: Bool

    init(rules: [MarkupRule], groups: [String: Set<String>], rates: ExchangeRates) {
        self.rates = rates
        self.groups = groups
        fixedRates = rates.rates.compactMapValues(Fixed.init).merging([rates.base: Fixed(raw: Fixed.unit)]) { $1 }
        let enabled = rules.filter(\.enabled).map(BookRule.init)
        byHotel = Dictionary(grouping: enabled.filter { $0.rule.scope.placeLevel == 3 }) { $0.rule.scope.masterHotelId! }
        byCity = Dictionary(grouping: enabled.filter { $0.rule.scope.placeLevel == 2 }) { $0.city! }
        byCountry = Dictionary(grouping: enabled.filter { $0.rule.scope.placeLevel == 1 }) { $0.countryCode! }
        everywhere = enabled.filter { $0.rule.scope.placeLevel == 0 }
        boundsNet = enabled.contains { $0.rule.scope.minNet != nil || $0.rule.scope.maxNet != nil }
        namesCities = enabled.contains { $0.city != nil }
        namesCountries = enabled.contains { $0.countryCode != nil }
    }

    static func empty(base: String) -> RuleBook { RuleBook(rules: [], groups: [:], rates: ExchangeRates(base: base)) }

    /// What the rules are matched against for `offer`: its net in the base only when a rule bounds
    /// the net, its place names in the case rules are matched in only when a rule names one.
    func subject(_ offer: PriceableOffer, tenant: String, groups: Set<String>, day: CalendarDate) -> PricingSubject {
        PricingSubject(
            tenantId: tenant, tenantGroups: groups, offer: offer, bookingDate: day, netInBase: boundsNet ? convert(offer.net, to: rates.base) : nil,
            city: namesCities ? offer.city?.lowercased() : nil, countryCode: namesCountries ? offer.countryCode?.uppercased() : nil)
    }

    /// The rule that sets `subject`'s markup, if any fits.
    func rule(for subject: PricingSubject) -> BookRule? {
        var best: BookRule?
        func consider(_ rules: [BookRule]) {
            for rule in rules where rule.fits(subject) {
                if best.map({ rule.precedence > $0.precedence }) ?? true { best = rule }
            }
        }
        // Each place's rules, looked up only where there are some (a batch prices thousands of offers).
        if !byHotel.isEmpty, let hotel = subject.offer.masterHotelId, let rules = byHotel[hotel] { consider(rules) }
        if let city = subject.city, let rules = byCity[city] { consider(rules) }
        if let country = subject.countryCode, let rules = byCountry[country] { consider(rules) }
        consider(everywhere)
        return best
    }

    /// From one currency into another through the base: `amount * from / to`, or the amount itself
    /// between the same currency.
    struct Conversion: Sendable {
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

    /// Every currency with a rate, the base among them.
    var currencies: Dictionary<String, Fixed>.Keys { fixedRates.keys }
}
