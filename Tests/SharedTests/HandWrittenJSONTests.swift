// JSON written and read by hand (JSONWriter, JSONReader) for the hot documents: the same document
// Foundation's coders make and read, the same strictness, errors that say where.

import Foundation
@testable import Shared
import Testing

@Suite struct HandWrittenJSONTests {
    static let policy = CancellationPolicy(from: Date(timeIntervalSince1970: 1_800_000_000.123), amount: Amount("45.50")!)

    static let offers = [
        SupplierOffer(
            supplier: "globebeds", hotelCode: "GB-1", roomCode: "DBL", roomName: "Double \"Deluxe\" \\ vue\tmer — 海景 🌊", board: .bedAndBreakfast,
            refundable: true, cancellationPolicies: [policy, CancellationPolicy(from: Date(timeIntervalSince1970: 1_800_086_400), amount: Amount("91")!)],
            net: Amount("182.00")!, sellingRate: Amount("199.99")!, currency: "EUR", rateKey: "rk/1?x=1&y=\u{1}", rateType: .recheck, allotment: 3),
        SupplierOffer(
            supplier: "sunbeds", hotelCode: "S-9", roomCode: "TWN", roomName: "", board: .roomOnly, refundable: false, cancellationPolicies: [],
            net: Amount("0.001")!, sellingRate: nil, currency: "BHD", rateKey: "k", rateType: .bookable, allotment: nil),
    ]

    static let batch = PriceBatchRequest(tenantId: "t-1", currency: "JPY", bookingDate: CalendarDate("2027-01-31"), offers: [
        PriceableOffer(
            id: "0", supplier: "globebeds", masterHotelId: 9_007_199_254_740_993, countryCode: "FR", city: "Paris", stars: 4, board: .halfBoard,
            refundable: true, checkIn: CalendarDate("2027-06-01")!, net: Money(Amount("123.45")!, "EUR"), minimumSell: Money(Amount("150")!, "EUR")),
        PriceableOffer(
            id: "1", supplier: "otaconnect", masterHotelId: nil, countryCode: nil, city: nil, stars: nil, board: .allInclusive, refundable: false,
            checkIn: CalendarDate("2027-06-02")!, net: Money(Amount("-1.5")!, "USD")),
    ])

    @Test func whatIsWrittenReadsBackTheSame() throws {
        for offer in Self.offers {
            #expect(try JSONReader.read(SupplierOffer.self, from: JSONWriter.bytes(of: offer)) == offer)
        }
        let answer = AvailabilityResult(supplier: "globebeds", offers: Self.offers)
        #expect(try JSONReader.read(AvailabilityResult.self, from: JSONWriter.bytes(of: answer)) == answer)
        #expect(try PlatformJSON.decoder.decode(AvailabilityResult.self, from: Data(JSONWriter.bytes(of: answer))) == answer)
        let read = try JSONReader.read(PriceBatchRequest.self, from: JSONWriter.bytes(of: Self.batch))
        #expect(read.tenantId == "t-1" && read.currency == "JPY" && read.bookingDate == Self.batch.bookingDate && read.offers == Self.batch.offers)
        let result = PriceBatchResult(offers: [
            PricedOffer(id: "0", sell: Money(Amount("19000")!, "JPY"), net: Money(Amount("18000")!, "JPY"), ruleId: "r-1", guardApplied: "min_margin", unpriced: nil),
            PricedOffer(id: "1", sell: nil, net: nil, ruleId: nil, guardApplied: nil, unpriced: "no exchange rate for USD"),
        ])
        #expect(try JSONReader.read(PriceBatchResult.self, from: JSONWriter.bytes(of: result)).offers == result.offers)
    }

    /// Pricing's compact batch (`POST /prices/by-hotel`): offers in runs of what they share, read back
    /// the same and in order (ids their places), the answer in order with the request's ids.
    @Test func theBatchByHotelReadsBackTheSameOffersInOrder() throws {
        var offers = Self.batch.offers
        offers.append(offers[0])  // the first group again after another: a group of its own, the order kept
        offers[2].id = "2"
        offers[2].board = .roomOnly
        offers.append(offers[2])
        offers[3].id = "3"
        offers[3].net = Money(Amount("99.9")!, "EUR")
        offers[3].minimumSell = nil
        let batch = PriceBatchRequest(tenantId: "t-1", currency: "JPY", bookingDate: CalendarDate("2027-01-31"), offers: offers)
        #expect(PriceBatchRequest.ByHotel.groups(of: offers) == [0..<1, 1..<2, 2..<4])
        let written = JSONWriter.bytes(of: PriceBatchRequest.ByHotel(batch))
        let read = try JSONReader.read(PriceBatchRequest.ByHotel.self, from: written).request
        #expect(read.tenantId == "t-1" && read.currency == "JPY" && read.bookingDate == batch.bookingDate)
        #expect(read.offers == offers)
        // A supplier's dozen offers at one hotel (rooms x rate plans, as a search sends them): under half the bytes.
        let hotel = PriceBatchRequest(tenantId: "t-1", currency: "JPY", offers: (0..<12).map { index in
            var offer = Self.batch.offers[0]
            offer.id = String(index)
            offer.board = index % 2 == 0 ? .roomOnly : .bedAndBreakfast
            return offer
        })
        let compact = JSONWriter.bytes(of: PriceBatchRequest.ByHotel(hotel)).count, flat = JSONWriter.bytes(of: hotel).count
        #expect(compact * 2 < flat, "\(compact) bytes against \(flat)")
        #expect(try JSONReader.read(PriceBatchRequest.ByHotel.self, from: Array(#"{"tenant_id":"t","currency":"EUR","hotels":[]}"#.utf8)).request.offers.isEmpty)

        let answer = PriceBatchResult.InOrder(currency: "JPY", offers: [
            PricedOffer(id: "", sell: Money(Amount("19000")!, "JPY"), net: Money(Amount("18000")!, "JPY"), ruleId: "r-1", guardApplied: "min_margin", unpriced: nil),
            PricedOffer(id: "", sell: nil, net: nil, ruleId: nil, guardApplied: nil, unpriced: "no exchange rate for USD"),
            PricedOffer(id: "", sell: Money(Amount("1")!, "JPY"), net: Money(Amount("1")!, "JPY"), ruleId: nil, guardApplied: nil, unpriced: nil),
            PricedOffer(id: "", sell: Money(Amount("2")!, "JPY"), net: Money(Amount("2")!, "JPY"), ruleId: nil, guardApplied: nil, unpriced: nil),
        ])
        let answered = try JSONReader.read(PriceBatchResult.InOrder.self, from: JSONWriter.bytes(of: answer))
        #expect(answered.offers == answer.offers)
        #expect(answered.matched(to: batch)?.offers.map(\.id) == ["0", "1", "2", "3"])
        #expect(answered.matched(to: Self.batch) == nil, "four prices for two offers")
    }

    @Test func aBatchByHotelWithoutWhatItNeedsIsRefusedSayingWhat() {
        let cases = [
            (#"{"tenant_id":"t","currency":"EUR","offers":[]}"#, "a batch with tenant_id, currency and hotels"),
            (#"{"tenant_id":"t","currency":"EUR","hotels":[{"supplier":"s","check_in":"2027-06-01","offers":[]}]}"#, "a hotel with supplier, check_in, net_currency"),
            (#"{"tenant_id":"t","currency":"EUR","hotels":[{"supplier":"s","check_in":"2027-06-01","net_currency":"EUR","offers":[{"board":"RO","net":"1"}]}]}"#,
             "an offer with board, refundable and net"),
            (#"{"tenant_id":"t","currency":"EUR","hotels":[{"supplier":"s","check_in":"2027-06-01","net_currency":"EUR","offers":[{"board":"XX","refundable":true,"net":"1"}]}]}"#,
             "one of the Board codes"),
        ]
        for (body, expected) in cases {
            #expect(throws: JSONReader.Failure.self) { try JSONReader.read(PriceBatchRequest.ByHotel.self, from: Array(body.utf8)) }
            do {
                _ = try JSONReader.read(PriceBatchRequest.ByHotel.self, from: Array(body.utf8))
            } catch {
                #expect("\(error)".contains(expected), "\(error)")
            }
        }
        #expect(throws: JSONReader.Failure.self) { try JSONReader.read(PriceBatchResult.InOrder.self, from: Array(#"{"currency":"EUR","offers":[{"sell":"1"}]}"#.utf8)) }
    }

    @Test func foundationReadsWhatIsWrittenAndWritesWhatIsRead() throws {
        // Written by hand, read by Foundation.
        for offer in Self.offers {
            #expect(try PlatformJSON.decoder.decode(SupplierOffer.self, from: Data(JSONWriter.bytes(of: offer))) == offer)
        }
        let decoded = try PlatformJSON.decoder.decode(PriceBatchRequest.self, from: Data(JSONWriter.bytes(of: Self.batch)))
        #expect(decoded.offers == Self.batch.offers && decoded.bookingDate == Self.batch.bookingDate)
        // Written by Foundation (escaping slashes, other key orders, nulls), read by hand.
        let foundation = PlatformJSON.encoder
        foundation.outputFormatting = [.sortedKeys]
        for offer in Self.offers {
            #expect(try JSONReader.read(SupplierOffer.self, from: Array(foundation.encode(offer))) == offer)
        }
        #expect(try JSONReader.read(PriceBatchRequest.self, from: Array(PlatformJSON.encoder.encode(Self.batch))).offers == Self.batch.offers)
        let spaced = #" { "amount" : "1.50" ,"unknown": [1, {"a": [true, false, null, -2.5e3]}], "currency":"EUR" , "other": null } "#
        #expect(try JSONReader.read(Money.self, from: Array(spaced.utf8)) == Money(Amount("1.50")!, "EUR"))
        let escaped = #"{"amount":"2","currency":"\u0045\u0055R","note":"\ud83c\udf0a \/ \" \\ \n"}"#
        #expect(try JSONReader.read(Money.self, from: Array(escaped.utf8)) == Money(Amount("2")!, "EUR"))
        #expect(try JSONReader.reading(Array(#""\ud83c\udf0a \/ \" \\ \n é""#.utf8)) { try $0.string() } == "🌊 / \" \\ \n é")
    }

    /// Keys are compared as they stand in the document, without a String made of them: escaped keys
    /// are their characters, a key that only starts like a known one is not it, and any() keeps every key.
    @Test func keysMatchByTheirCharacters() throws {
        let escaped = #"{"\u0061mount":"3.10","curr\u0065ncy":"JPY"}"#
        #expect(try JSONReader.read(Money.self, from: Array(escaped.utf8)) == Money(Amount("3.10")!, "JPY"))
        let lookalikes = #"{"amounts":"9","amount":"4","currency ":"USD","currenc":"USD","currency":"EUR","":"x"}"#
        #expect(try JSONReader.read(Money.self, from: Array(lookalikes.utf8)) == Money(Amount("4")!, "EUR"))
        let any = try JSONReader.reading(Array(#"{"":1,"é":{"\u00e9":true},"a\"b":null}"#.utf8)) { try $0.any() }
        #expect(any == .object(["": .integer(1), "é": .object(["é": .bool(true)]), "a\"b": .null]))
    }

    @Test func offerTermsWrittenByHandAreReadByTheirCodableFormAndSigned() throws {
        let terms = OfferTerms(
            tenantId: "t-1", supplier: "globebeds", rateKey: "rk/1?x=\"1\"", rateType: .recheck, masterHotelId: 9_007_199_254_740_993, hotelCode: "GB-1",
            roomCode: "DBL", roomName: "Double — 海景", board: .halfBoard, refundable: true, checkIn: CalendarDate("2027-06-01")!,
            checkOut: CalendarDate("2027-06-03")!, occupancy: Occupancy(adults: 2, childrenAges: [4, 11]), net: Money(Amount("182.00")!, "EUR"),
            sell: Money(Amount("1500")!, "CNY"), cancellationPolicies: [Self.policy], expires: 1_900_000_000, cost: Amount("1420.50")!, city: "Paris")
        #expect(try PlatformJSON.decoder.decode(OfferTerms.self, from: Data(JSONWriter.bytes(of: terms))) == terms)
        var bare = terms
        (bare.cost, bare.city, bare.occupancy) = (nil, nil, Occupancy(adults: 1))
        #expect(try PlatformJSON.decoder.decode(OfferTerms.self, from: Data(JSONWriter.bytes(of: bare))) == bare)
        let tokens = OfferTokens(secret: String(repeating: "s", count: 32))
        #expect(try tokens.verify(try tokens.sign(terms), tenant: "t-1", now: 1_800_000_000) == terms)
    }

    /// A payload with every kind of value events carry.
    struct Payload: Codable {
        var orderId = "o-1 \"quoted\" \\ 海景 🌊\t"
        var at = Date(timeIntervalSince1970: 1_800_000_000.123)
        var amount = Money(Amount("182.50")!, "EUR")
        var id = UUID()
        var missing: String? = nil
        var count = -42
        var big = Int.max
        var ratio = 0.125
        var whole = 3.0
        var flags = [true, false]
        var nested: [String: [Int]] = ["a": [1, 2], "b": []]
        var policies = [policy]
        var note: String? = "x"

        enum CodingKeys: String, CodingKey { case orderId = "order_id", at, amount, id, missing, count, big, ratio, whole, flags, nested, policies, note }
    }

    @Test func aPayloadReadsAsFoundationReadItsJSON() throws {
        let payload = Payload()
        let foundation = try PlatformJSON.decoder.decode(JSONValue.self, from: PlatformJSON.encoder.encode(payload))
        #expect(try JSONValue(encoding: payload) == foundation)
        #expect(try JSONValue(encoding: [payload, payload]) == PlatformJSON.decoder.decode(JSONValue.self, from: PlatformJSON.encoder.encode([payload, payload])))
        for number in ["1.0", "1e3", "-2.5", "0.1", "9007199254740993", "-0"] {
            #expect(try JSONReader.read(JSONValue.self, from: Array(number.utf8)) == PlatformJSON.decoder.decode(JSONValue.self, from: Data(number.utf8)), "\(number)")
        }
        let back = try JSONValue(encoding: payload).decode(as: Payload.self)
        #expect(back.orderId == payload.orderId && back.at == payload.at && back.amount == payload.amount && back.id == payload.id && back.missing == nil)
        #expect(back.big == Int.max && back.ratio == 0.125 && back.whole == 3 && back.nested == payload.nested && back.policies == payload.policies)
    }

    @Test func anEventIsWrittenAndReadAsItsCodableForm() throws {
        let events = [
            try EventEnvelope(type: "order.confirmed", producer: "order", tenantId: "t-1", trace: TraceContext.root(), payload: Payload()),
            EventEnvelope(type: "search.performed", producer: "query-engine", tenantId: nil, traceId: nil, data: .null),
        ]
        for event in events {
            let body = try event.message().body
            #expect(try JSONReader.read(EventEnvelope.self, from: body) == event)
            #expect(try PlatformJSON.decoder.decode(EventEnvelope.self, from: Data(body)) == event, "Foundation reads what is written")
            #expect(try JSONReader.read(EventEnvelope.self, from: Array(PlatformJSON.encoder.encode(event))) == event, "and it is read as Foundation writes it")
            #expect(try JSONReader.read(JSONValue.self, from: body) == PlatformJSON.decoder.decode(JSONValue.self, from: PlatformJSON.encoder.encode(event)))
        }
        for bad in [#"{"type":"x"}"#, #"{"id":"nope","type":"x","occurred_at":"2026-12-01T08:30:00.000Z","producer":"p","version":1,"data":null}"#, "[]", ""] {
            #expect(throws: (any Error).self, "\(bad)") { try JSONReader.read(EventEnvelope.self, from: Array(bad.utf8)) }
        }
    }

    @Test func badDocumentsAreRefusedSayingWhere() throws {
        let cases: [(String, Int, String)] = [
            (#"{"amount":"1.5","currency":"EUR""#, 32, "',' or '}'"),
            (#"{"amount":1.5,"currency":"EUR"}"#, 10, "a string"),
            (#"{"amount":"1,5","currency":"EUR"}"#, 10, "a decimal amount"),
            (#"{"amount":"1.5","currency":"EU\u0000R"}"#, 30, "no NUL character"),
            ("{\"amount\":\"1.5\",\"currency\":\"EU\u{1}R\"}", 30, "no control character"),
            (#"{"amount":"1.5"}"#, 16, "money with an amount and a currency"),
            (#"{"amount":"1.5","currency":"EUR"} x"#, 34, "the end of the document"),
            (#"{"amount":"1.5","currency":"EUR","x":tru}"#, 37, "true or false"),
            (#"{"amount":"1.5","currency":"\ud83c"}"#, 34, "the second half of a surrogate pair"),
            (#"{"amount":"1.5","currency":"EUR","x":"\q"}"#, 39, "a valid escape"),
            ("", 0, "an object"),
        ]
        for (text, offset, expected) in cases {
            do {
                _ = try JSONReader.read(Money.self, from: Array(text.utf8))
                Issue.record("read: \(text)")
            } catch let failure as JSONReader.Failure {
                #expect(failure.offset == offset && failure.expected.hasPrefix(expected), "\(text): \(failure)")
            } catch {
                Issue.record("\(text): \(error)")
            }
        }
        for number in ["12.5", "1e3", "99999999999999999999", "-", "1.0"] {
            #expect(throws: JSONReader.Failure.self, "\(number) is not a whole number in range") { try JSONReader.reading(Array(number.utf8)) { try $0.int() } }
        }
        #expect(try JSONReader.reading(Array("-9223372036854775807".utf8)) { try $0.int() } == -9_223_372_036_854_775_807)
    }
}

extension PriceBatchRequest.ByHotel {
    /// The offers one by one again, their ids their places in the batch: what the groups say of each.
    var request: PriceBatchRequest {
        var offers: [PriceableOffer] = []
        for hotel in hotels {
            for terms in hotel.offers {
                offers.append(
                    PriceableOffer(
                        id: String(offers.count), supplier: hotel.supplier, masterHotelId: hotel.masterHotelId, countryCode: hotel.countryCode,
                        city: hotel.city, stars: hotel.stars, board: terms.board, refundable: terms.refundable, checkIn: hotel.checkIn,
                        net: Money(terms.net, hotel.netCurrency), minimumSell: terms.minimumSell))
            }
        }
        return PriceBatchRequest(tenantId: tenantId, currency: currency, bookingDate: bookingDate, offers: offers)
    }
}
