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

    /// What the rules are matched against for a supplier's offers at one hotel: its place names in
    /// the case rules are matched in only when a rule names one.
    func hotelSubject(_ hotel: PriceBatchRequest.ByHotel.Hotel, tenant: String, groups: Set<String>, day: CalendarDate) -> HotelSubject {
        HotelSubject(
            tenantId: tenant, tenantGroups: groups, supplier: hotel.supplier, masterHotelId: hotel.masterHotelId,
            city: namesCities ? hotel.city?.lowercased() : nil, countryCode: namesCountries ? hotel.countryCode?.uppercased() : nil, stars: hotel.stars,
            checkIn: hotel.checkIn, bookingDate: day)
    }

    /// The rules that may set the markup of offers at `hotel`, best first (docs/pricing.md): the
    /// first of them an offer's own terms fit is its rule. Each place's rules are looked up only
    /// where there are some.
    func candidates(for hotel: HotelSubject) -> [BookRule] {
        let places = [
            byHotel.isEmpty ? nil : hotel.masterHotelId.flatMap { byHotel[$0] }, hotel.city.flatMap { byCity[$0] },
            hotel.countryCode.flatMap { byCountry[$0] }, everywhere,
        ]
        var found: [BookRule] = []
        for case let rules? in places {
            for rule in rules where rule.fits(hotel) { found.append(rule) }
        }
        return found.count > 1 ? found.sorted { $0.precedence > $1.precedence } : found
    }

    /// The offer's net in the base currency, only when a rule bounds the net.
    func netInBase(_ net: Money) -> Fixed? { boundsNet ? convert(net, to: rates.base) : nil }

    /// What the rules are matched against for one offer.
    func subject(_ offer: PriceableOffer, tenant: String, groups: Set<String>, day: CalendarDate) -> PricingSubject {
        let hotel = hotelSubject(PriceBatchRequest.ByHotel.Hotel(sharedBy: offer, offers: []), tenant: tenant, groups: groups, day: day)
        return PricingSubject(hotel: hotel, offer: offer, netInBase: netInBase(offer.net))
    }

    /// The rule that sets `subject`'s markup, if any fits.
    func rule(for subject: PricingSubject) -> BookRule? {
        candidates(for: subject.hotel).first { $0.fits(board: subject.offer.board, refundable: subject.offer.refundable, netInBase: subject.netInBase) }
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
