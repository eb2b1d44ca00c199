// What a `supplier.call` event says about prices: the stay asked, and the cheapest offer per hotel and
// currency of an availability answer.

import FoundationEssentials
import Shared
import Testing

@Suite struct SupplyContractTests {
    static func offer(_ hotel: String, _ net: String, _ currency: String = "EUR") -> SupplierOffer {
        SupplierOffer(
            supplier: "globebeds", hotelCode: hotel, roomCode: "DBL", roomName: "Double", board: .roomOnly, refundable: true, cancellationPolicies: [],
            net: Amount(net)!, sellingRate: nil, currency: currency, rateKey: "k", rateType: .bookable, allotment: nil)
    }

    @Test func penaltiesAreTheSameShareOfThePriceAsOfTheNet() {
        let day = Date(timeIntervalSince1970: 1_800_000_000)
        let supplier = [CancellationPolicy(from: day, amount: Amount("50")!), CancellationPolicy(from: day, amount: Amount("150.29")!),
                        CancellationPolicy(from: day, amount: Amount("200")!)]
        let scaled = CancellationPolicy.scaled(supplier, net: Amount("150.29")!, sell: Money(Amount("1172.27")!, "CNY"))
        // 50 / 150.29 of 1172.27 = 390.002...; all of the net is all of the price (not the net converted
        // and rounded apart from it); more than the net is still the price.
        #expect(scaled.map(\.amount) == [Amount("390.00")!, Amount("1172.27")!, Amount("1172.27")!])
        #expect(CancellationPolicy.scaled(supplier, net: .zero, sell: Money(Amount("10")!, "JPY")).map(\.amount) == [Amount("10")!, Amount("10")!, Amount("10")!])
    }

    @Test func theCheapestOfferPerHotelAndCurrency() {
        let offers = [
            Self.offer("H2", "120.00"), Self.offer("H1", "99.90"), Self.offer("H1", "150.00"), Self.offer("H2", "80.5"), Self.offer("H1", "99.90"),
            Self.offer("H1", "700.00", "CNY"), Self.offer("H1", "650.00", "CNY"),
        ]
        #expect(HotelQuote.cheapest(offers) == [
            HotelQuote(hotelCode: "H1", net: Amount("650.00")!, currency: "CNY"), HotelQuote(hotelCode: "H1", net: Amount("99.90")!, currency: "EUR"),
            HotelQuote(hotelCode: "H2", net: Amount("80.50")!, currency: "EUR"),
        ])
        #expect(HotelQuote.cheapest([]).isEmpty)
    }

    @Test func aStayIsItsDatesAndGuests() throws {
        let checkIn = try #require(CalendarDate("2026-12-01")), checkOut = try #require(CalendarDate("2026-12-04"))
        #expect(AvailabilityQuery(checkIn: checkIn, checkOut: checkOut, occupancy: Occupancy(adults: 2), hotelCodes: ["A"]).stay == "2026-12-01/2026-12-04/2")
        let family = AvailabilityQuery(checkIn: checkIn, checkOut: checkOut, occupancy: Occupancy(adults: 2, childrenAges: [9, 4]), area: GeoArea(latitude: 1, longitude: 2, radiusKm: 3))
        #expect(family.stay == "2026-12-01/2026-12-04/2+4,9", "children's ages in one order: the same family is the same stay")
    }

    @Test func aSupplierCallsPayloadBuiltByHandReadsAsItsCodableForm() throws {
        let at = Date(timeIntervalSince1970: 1_796_000_000.123)
        let full = SupplierCallEvent(
            supplier: "globebeds", operation: "availability", outcome: "ok", latencyMs: 42.5, attempt: 1, at: at, offers: 904, stay: "2027-01-01/2027-01-03/2",
            quotes: [HotelQuote(hotelCode: "105238", net: Amount("174.80")!, currency: "EUR"), HotelQuote(hotelCode: "9", net: Amount("7")!, currency: "USD")])
        let bare = SupplierCallEvent(supplier: "sunbeds", operation: "book", outcome: "timeout", latencyMs: 3000, attempt: 2, at: at)
        for event in [full, bare] {
            let envelope = EventEnvelope(type: SupplierCallEvent.type, producer: "test", tenantId: nil, traceId: nil, data: event.payload)
            let wire = try PlatformJSON.decoder.decode(EventEnvelope.self, from: PlatformJSON.encoder.encode(envelope))
            #expect(try wire.payload(as: SupplierCallEvent.self) == event)
            #expect(event.payload.normalizedNumbers == (try JSONValue(encoding: event)).normalizedNumbers, "the same document as the encoder's")
        }
    }
}

private extension JSONValue {
    /// Whole numbers as numbers: the encoder's come back as integers, the hand-built latency is a number.
    var normalizedNumbers: JSONValue {
        switch self {
        case .integer(let value): .number(Double(value))
        case .array(let values): .array(values.map(\.normalizedNumbers))
        case .object(let fields): .object(fields.mapValues(\.normalizedNumbers))
        default: self
        }
    }
}
