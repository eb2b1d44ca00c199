// Which markup rule prices an offer and what the price comes to: specificity and ties, the guards,
// conversion and rounding per currency. Pure: no service, no database.

import Foundation
@testable import Pricing
@testable import Shared
import Testing

@Suite struct MarkupRuleTests {
    static let base = "CNY"
    static let rates = ExchangeRates(base: base, rates: ["EUR": Amount("7.8")!, "USD": Amount("7.2")!, "JPY": Amount("0.05")!, "BHD": Amount("19.1")!])
    static let day = CalendarDate("2026-12-05")!

    static func rule(_ name: String, _ percent: String, priority: Int = 0, createdSecondsAgo: Double = 100, _ scope: (inout MarkupRule.Scope) -> Void = { _ in }) -> MarkupRule {
        var ruleScope = MarkupRule.Scope()
        scope(&ruleScope)
        let created = Date(timeIntervalSince1970: 1_800_000_000 - createdSecondsAgo)
        return MarkupRule(
            id: name, name: name, scope: ruleScope, effect: .percent(Amount(percent)!), priority: priority, enabled: true,
            createdAt: created, updatedAt: created, updatedBy: "test")
    }

    static func offer(net: String = "100.00", currency: String = "EUR", hotel: Int64 = 7, city: String = "Paris", country: String = "FR",
                      stars: Int = 4, board: Board = .bedAndBreakfast, refundable: Bool = true, checkIn: String = "2027-01-10", minimum: Money? = nil) -> PriceableOffer {
        PriceableOffer(
            id: "o1", supplier: "globebeds", masterHotelId: hotel, countryCode: country, city: city, stars: stars, board: board, refundable: refundable,
            checkIn: CalendarDate(checkIn)!, net: Money(Amount(net)!, currency), minimumSell: minimum)
    }

    static func price(_ offer: PriceableOffer, rules: [MarkupRule], tenant: String = "t1", groups: Set<String> = [], in currency: String = "EUR",
                      minMargin: String = "0") throws -> PriceCalculation {
        let book = RuleBook(rules: rules, groups: [tenant: groups], rates: rates)
        let subject = book.subject(offer, tenant: tenant, groups: groups, day: day)
        return try PriceCalculation.price(subject, currency: currency, book: book, minMarginPercent: Amount(minMargin)!)
    }

    static let specificity: [(String, [MarkupRule], String)] = [
        ("hotel beats city beats country beats everywhere", [
            rule("everywhere", "5"), rule("country", "6") { $0.countryCode = "FR" }, rule("city", "7") { $0.city = "paris" },
            rule("hotel", "8") { $0.masterHotelId = 7 },
        ], "hotel"),
        ("a place beats a tenant", [rule("tenant everywhere", "5") { $0.tenantId = "t1" }, rule("city for all", "7") { $0.city = "Paris" }], "city for all"),
        ("at one place: tenant beats group beats everyone", [
            rule("everyone", "5") { $0.city = "Paris" }, rule("group", "6") { $0.city = "Paris"; $0.tenantGroup = "gold" },
            rule("tenant", "7") { $0.city = "Paris"; $0.tenantId = "t1" },
        ], "tenant"),
        ("more conditions beat fewer", [rule("plain", "5"), rule("four stars refundable", "6") { $0.minStars = 4; $0.refundable = true }], "four stars refundable"),
        ("then priority", [rule("low", "5", priority: 1), rule("high", "6", priority: 9)], "high"),
        ("then the newer", [rule("older", "5", createdSecondsAgo: 500), rule("newer", "6", createdSecondsAgo: 10)], "newer"),
        ("rules that do not fit are not candidates", [
            rule("other tenant", "9") { $0.tenantId = "t2" }, rule("other group", "9") { $0.tenantGroup = "silver" },
            rule("other supplier", "9") { $0.supplier = "hotelhub" }, rule("five stars", "9") { $0.minStars = 5 },
            rule("room only", "9") { $0.board = .roomOnly }, rule("non-refundable", "9") { $0.refundable = false },
            rule("summer", "9") { $0.checkInFrom = CalendarDate("2027-06-01"); $0.checkInTo = CalendarDate("2027-08-31") },
            rule("last minute", "9") { $0.maxDaysBefore = 7 }, rule("expensive", "9") { $0.minNet = Amount("5000") },
            rule("fallback", "1"),
        ], "fallback"),
        ("conditions that fit", [
            rule("january, booked 30-60 days ahead, net 500-1000 CNY", "4") {
                $0.checkInFrom = CalendarDate("2027-01-01"); $0.checkInTo = CalendarDate("2027-01-31"); $0.minDaysBefore = 30; $0.maxDaysBefore = 60
                $0.minNet = Amount("500"); $0.maxNet = Amount("1000")
            }, rule("fallback", "1"),
        ], "january, booked 30-60 days ahead, net 500-1000 CNY"),
    ]

    @Test(arguments: specificity.indices)
    func theMostSpecificFittingRuleWins(_ index: Int) throws {
        let (what, rules, winner) = Self.specificity[index]
        // In any order.
        for ordered in [rules, rules.reversed()] {
            #expect(try Self.price(Self.offer(), rules: ordered, groups: ["gold"]).rule?.id == winner, "\(what)")
        }
    }

    /// A batch is priced hotel by hotel (the rules that may fit a hotel's offers found once), yet each
    /// offer gets what it would alone: its own board, refundability and net decide among them.
    @Test func aBatchPricesEachOfferAsItWouldBePricedAlone() throws {
        let rules = Self.specificity.flatMap(\.1) + [
            Self.rule("hotel 9 room only", "30") { $0.masterHotelId = 9; $0.board = .roomOnly },
            Self.rule("Paris non-refundable", "2") { $0.city = "PARIS"; $0.tenantId = "t1"; $0.refundable = false },
        ]
        let book = RuleBook(rules: rules, groups: ["t1": ["gold"]], rates: Self.rates)
        var offers: [PriceableOffer] = []
        for (hotel, city, country) in [(7, "Paris", "FR"), (11, "paris", "FR"), (9, "Lyon", "fr"), (9, "Lyon", "fr")] {
            for (board, refundable) in [(Board.roomOnly, true), (.bedAndBreakfast, false), (.bedAndBreakfast, true)] {
                for (net, currency) in [("100.00", "EUR"), ("4100", "CNY"), ("80", "GBP"), ("-1", "EUR")] {
                    offers.append(Self.offer(net: net, currency: currency, hotel: Int64(hotel), city: city, country: country, board: board, refundable: refundable))
                }
            }
        }
        offers += [Self.offer(checkIn: "2027-07-01"), Self.offer(minimum: Money(Amount("900")!, "CNY")), Self.offer(stars: 5)]
        let batch = PriceBatchRequest(tenantId: "t1", currency: "JPY", bookingDate: Self.day, offers: offers)
        let terms = PriceTerms(book: book, currency: "JPY", minMarginPercent: Amount("3")!)
        let priced = book.prices(of: PriceBatchRequest.ByHotel(batch), terms: terms, today: Self.day)
        #expect(priced.count == offers.count)
        var rulesSeen = Set<String>()
        for (offer, price) in zip(offers, priced) {
            let alone = Result { try PriceCalculation.price(book.subject(offer, tenant: "t1", groups: ["gold"], day: Self.day), terms: terms) }
            switch alone {
            case .success(let expected):
                #expect(price.sell == expected.sell && price.net == expected.netConverted && price.guardApplied == expected.guardApplied, "\(offer)")
                #expect(price.ruleId == expected.rule?.id, "\(offer)")
                rulesSeen.insert(price.ruleId ?? "none")
            case .failure(let failure):
                #expect(price.sell == nil && price.unpriced == "\(failure)", "\(offer)")
            }
        }
        #expect(rulesSeen.isSuperset(of: ["hotel", "hotel 9 room only", "Paris non-refundable"]), "\(rulesSeen)")
    }

    @Test func percentAndFixedMarkupsConvertAndRoundByTheAskedCurrency() throws {
        let twelveAndAHalf = Self.rule("12.5 %", "12.5")
        #expect(try Self.price(Self.offer(net: "100.00"), rules: [twelveAndAHalf]).sell == Money(Amount("112.50")!, "EUR"))
        // 112.5 EUR = 877.5 CNY = 17,550 JPY (0 decimals); = 45.942408... BHD (3 decimals).
        #expect(try Self.price(Self.offer(net: "100.00"), rules: [twelveAndAHalf], in: "JPY").sell == Money(Amount("17550")!, "JPY"))
        #expect(try Self.price(Self.offer(net: "100.00"), rules: [twelveAndAHalf], in: "BHD").sell == Money(Amount("45.942")!, "BHD"))
        var fixed = Self.rule("fixed", "0")
        fixed.effect = .fixed(Money(Amount("72")!, "USD"))  // 72 USD = 518.4 CNY = 66.4615... EUR
        let priced = try Self.price(Self.offer(net: "100.00"), rules: [fixed])
        #expect(priced.sell == Money(Amount("166.46")!, "EUR") && priced.rule?.id == "fixed")
        #expect(try Self.price(Self.offer(net: "100.00"), rules: []).sell == Money(Amount("100.00")!, "EUR"), "no rule: net")
    }

    @Test func guardsRaiseThePriceToTheMinimumMarginAndTheSuppliersMinimum() throws {
        let discount = Self.rule("discount", "-10")
        let margin = try Self.price(Self.offer(net: "100.00"), rules: [discount], minMargin: "3")
        #expect(margin.sell == Money(Amount("103.00")!, "EUR") && margin.guardApplied == "min_margin")
        // The supplier's minimum, in another currency: 900 CNY = 115.3846... EUR, rounded up, never below.
        let minimum = try Self.price(Self.offer(net: "100.00", minimum: Money(Amount("900")!, "CNY")), rules: [Self.rule("five", "5")], minMargin: "3")
        #expect(minimum.sell == Money(Amount("115.39")!, "EUR") && minimum.guardApplied == "minimum_sell")
        #expect(minimum.sell.amount.value * Amount("7.8")!.value >= 900, "never below the supplier's minimum")
        // A markup above both floors is left alone.
        let above = try Self.price(Self.offer(net: "100.00", minimum: Money(Amount("101")!, "EUR")), rules: [Self.rule("twenty", "20")], minMargin: "3")
        #expect(above.sell == Money(Amount("120.00")!, "EUR") && above.guardApplied == nil)
    }

    @Test func fixedPointArithmeticIsExactToTwelveDecimalsAndRoundsLikeAmount() throws {
        let twelve = try #require(Fixed(Amount("112.5")!)), rate = try #require(Fixed(Amount("7.8")!))
        #expect((twelve * rate).amount == Amount("877.5"))
        #expect((twelve / rate).amount == Amount("14.423076923077"), "112.5 / 7.8, half up at the 12th decimal")
        #expect(Fixed(Amount("-0.000000000001")!)?.raw == -1)
        #expect(Fixed(Amount("0.0000000000001")!) == nil, "beyond 12 decimals")
        // Back to an amount: digits in 64 bits, beyond them (over 18,446,744.07), beyond Int64 once trimmed, zero.
        // Trailing zeros dropped: none, eleven, twelve, and more than the twelve decimals hold.
        for text in ["877.5", "-0.000000000001", "123456789.5", "-98765432101.25", "9300000.123456789012", "0", "0.1", "5", "-100", "12000000"] {
            #expect(try #require(Fixed(Amount(text)!)).amount == Amount(text)!, "\(text)")
        }
        for (text, scale) in [("2.345", 2), ("2.344", 2), ("-2.345", 2), ("9.995", 2), ("999.5", 0), ("0.0049", 2), ("1.23456", 3), ("-0.5", 0)] {
            let amount = Amount(text)!, fixed = try #require(Fixed(amount))
            #expect(fixed.rounded(toScale: scale).amount == amount.rounded(toScale: scale), "\(text) half up")
            #expect(fixed.rounded(toScale: scale, .up).amount == amount.rounded(toScale: scale, .up), "\(text) up")
        }
    }

    @Test func theStepsAreShownInTheNetsMinorUnitsAndANegativeNetIsNotPriced() throws {
        // 900 CNY = 115.384615384615... EUR: the floor is shown as a price would be, the sell rounded up from the exact floor.
        let minimum = try Self.price(Self.offer(net: "100.00", minimum: Money(Amount("900")!, "CNY")), rules: [Self.rule("twelve and a half", "12.345")])
        #expect(minimum.minimumSellFloor == Amount("115.38") && minimum.markup == Amount("12.35") && minimum.marked == Amount("112.35"))
        #expect(minimum.sell == Money(Amount("115.39")!, "EUR"))
        #expect(throws: PriceCalculation.Failure.negative("net")) { try Self.price(Self.offer(net: "-114"), rules: []) }
        #expect(throws: PriceCalculation.Failure.negative("minimum_sell")) {
            try Self.price(Self.offer(minimum: Money(Amount("-1076.87")!, "EUR")), rules: [])
        }
    }

    @Test func anOfferInACurrencyWithoutARateIsUnpriced() {
        #expect(throws: PriceCalculation.Failure.noRate("GBP")) { try Self.price(Self.offer(currency: "GBP"), rules: []) }
        #expect(throws: PriceCalculation.Failure.noRate("GBP")) { try Self.price(Self.offer(), rules: [], in: "GBP") }
    }

    @Test func rulesOutsideTheLimitsAreRefusedNamingTheField() {
        func problem(_ edit: (inout MarkupRule) -> Void) -> String? {
            var rule = Self.rule("r", "10")
            edit(&rule)
            return MarkupRuleRules.problem(rule)?.extensions["field"].flatMap { if case .string(let field) = $0 { field } else { nil } }
        }
        #expect(problem { _ in } == nil)
        #expect(problem { $0.scope.tenantId = "t1"; $0.scope.tenantGroup = "gold" } == "scope")
        #expect(problem { $0.scope.countryCode = "fra" } == "scope.country_code")
        #expect(problem { $0.scope.minStars = 5; $0.scope.maxStars = 3 } == "scope.min_stars")
        #expect(problem { $0.scope.checkInFrom = CalendarDate("2027-02-01"); $0.scope.checkInTo = CalendarDate("2027-01-01") } == "scope.check_in_from")
        #expect(problem { $0.effect = .percent(Amount("-60")!) } == "effect.percent")
        #expect(problem { $0.effect = .fixed(Money(Amount("5")!, "euro")) } == "effect.currency")
        #expect(problem { $0.name = "a\u{0007}" } == "name")
        #expect(problem { $0.priority = 5000 } == "priority")
    }

    @Test func aScopeWithAnUnknownFieldOrBoardIsRefused() {
        #expect(throws: DecodingError.self) { try PlatformJSON.decoder.decode(MarkupRule.Scope.self, from: Data(#"{"board": "breakfast_in_bed"}"#.utf8)) }
        #expect(throws: DecodingError.self) { try PlatformJSON.decoder.decode(MarkupRule.Scope.self, from: Data(#"{"countr_code": "FR"}"#.utf8)) }
        #expect((try? PlatformJSON.decoder.decode(MarkupRule.Scope.self, from: Data(#"{"country_code": "FR"}"#.utf8)))?.countryCode == "FR")
    }
}
