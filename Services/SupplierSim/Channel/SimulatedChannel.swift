// A channel manager for three hotels of the simulated world (one in each of the first three cities,
// all sold by GlobeBeds too, so matching knows them): what it tells the platform about their rooms,
// as OpenTravel OTA_HotelAvailNotifRQ (allotment, stop-sell, minimum stay) and
// OTA_HotelRateAmountNotifRQ (prices, EUR), night by night. Each push is a new "round": allotments
// and prices move a little, as a hotel's revenue manager would move them.

import FoundationEssentials
import Shared

struct SimulatedChannel: Sendable {
    static let code = "simcm"
    static let roomTypes = [("DBL", "Double room", 2), ("TWN", "Twin room", 2)]
    static let ratePlans = [("BAR", "Flexible", "BB", true), ("NRF", "Non-refundable", "RO", false)]

    struct Hotel: Sendable {
        /// The hotel's code at the channel manager.
        let code: String
        let real: RealHotel
        /// The same hotel as a supplier sells it: how the platform finds its master hotel.
        let supplier: String
        let supplierHotelCode: String
    }

    let hotels: [Hotel]

    init(market: SimulatedMarket) {
        let supplier = SimulatedSupplier.all[0].code
        let entries = market.catalogs[supplier]!.entries
        hotels = City.all.prefix(3).enumerated().compactMap { index, city in
            entries.first { $0.real.city.name == city.name && $0.real.lookalikeOf == nil }.map {
                Hotel(code: "SIMCM-\(index + 1)", real: $0.real, supplier: supplier, supplierHotelCode: $0.hotel.code)
            }
        }
    }

    /// The round's messages for `days` nights from `from`: per hotel, one availability and one rate message.
    func messages(from: CalendarDate, days: Int, round: Int) -> [(hotel: String, kind: String, body: String)] {
        hotels.flatMap { hotel in
            [(hotel.code, "availability", availability(hotel, from: from, days: days, round: round)),
             (hotel.code, "rates", rates(hotel, from: from, days: days, round: round))]
        }
    }

    private func availability(_ hotel: Hotel, from: CalendarDate, days: Int, round: Int) -> String {
        var messages: [XMLElement] = []
        for (room, _, _) in Self.roomTypes {
            for night in (0..<days).map({ from.adding(days: $0) }) {
                let roll = StableHash.unit(hotel.code, room, night.description, String(round))
                var children = [Self.control(room, plan: nil, night: night)]
                children.append(XMLElement("LengthsOfStay", children: [
                    XMLElement("LengthOfStay", [("MinMaxMessageType", "SetMinLOS"), ("Time", roll < 0.1 ? "2" : "1"), ("TimeUnit", "Day")])]))
                children.append(XMLElement("RestrictionStatus", [("Status", roll > 0.97 ? "Close" : "Open")]))
                messages.append(XMLElement("AvailStatusMessage", [("BookingLimit", String(Int(roll * 9)))], children: children))
            }
        }
        return Self.document("OTA_HotelAvailNotifRQ", container: "AvailStatusMessages", hotel: hotel.code, round: round, messages: messages)
    }

    private func rates(_ hotel: Hotel, from: CalendarDate, days: Int, round: Int) -> String {
        var messages: [XMLElement] = []
        for (room, _, _) in Self.roomTypes {
            for (plan, _, _, refundable) in Self.ratePlans {
                for night in (0..<days).map({ from.adding(days: $0) }) {
                    let base = 60.0 * hotel.real.city.priceLevel * (1 + Double(hotel.real.stars) * 0.25) * (room == "TWN" ? 0.95 : 1)
                    let swing = 0.9 + 0.2 * StableHash.unit(hotel.code, room, night.description, "price", String(round))
                    let price = base * swing * (refundable ? 1 : 0.88)
                    let amount = XMLElement("BaseByGuestAmt", [("AmountAfterTax", Amount(Decimal(price)).rounded(toScale: 2).description), ("CurrencyCode", "EUR")])
                    messages.append(XMLElement("RateAmountMessage", children: [
                        Self.control(room, plan: plan, night: night),
                        XMLElement("Rates", children: [XMLElement("Rate", children: [XMLElement("BaseByGuestAmts", children: [amount])])]),
                    ]))
                }
            }
        }
        return Self.document("OTA_HotelRateAmountNotifRQ", container: "RateAmountMessages", hotel: hotel.code, round: round, messages: messages)
    }

    private static func control(_ room: String, plan: String?, night: CalendarDate) -> XMLElement {
        var attributes = [("Start", night.description), ("End", night.description), ("InvTypeCode", room)]
        if let plan { attributes.append(("RatePlanCode", plan)) }
        return XMLElement("StatusApplicationControl", attributes)
    }

    private static func document(_ root: String, container: String, hotel: String, round: Int, messages: [XMLElement]) -> String {
        XMLElement(root, [("xmlns", "http://www.opentravel.org/OTA/2003/05"), ("EchoToken", "\(hotel)-\(round)"), ("Version", "1.0")],
                   children: [XMLElement(container, [("HotelCode", hotel)], children: messages)]).document
    }
}
