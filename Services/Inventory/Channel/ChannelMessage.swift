// A channel manager's message as hotels send them, OpenTravel 2003/05:
//   OTA_HotelAvailNotifRQ   AvailStatusMessages[@HotelCode]/AvailStatusMessage[@BookingLimit]
//                           StatusApplicationControl[@Start @End @InvTypeCode @Mon..@Sun], LengthsOfStay/LengthOfStay
//                           [@MinMaxMessageType=SetMinLOS @Time], RestrictionStatus[@Status=Open|Close
//                           @Restriction=Master|Arrival @MinAdvancedBookingOffset=P<n>D]
//   OTA_HotelRateAmountNotifRQ  RateAmountMessages[@HotelCode]/RateAmountMessage: StatusApplicationControl
//                           [@RatePlanCode required], Rates/Rate/BaseByGuestAmts/BaseByGuestAmt[@AmountAfterTax @CurrencyCode]
// read into entries in the platform's words. BookingLimit is the room type's allotment for the
// platform (rooms sold stay counted against it). Restrictions apply to the room type, whatever rate plan
// the message names. What cannot be read is an OTA error (type and code from the OTA code lists).

import FoundationEssentials
import Shared

struct OTAError: Error, Equatable, Sendable {
    /// EWT: 3 business rule, 10 required field missing, 12 processing exception.
    var type: Int
    /// ERR: 15 invalid date, 61 invalid currency, 249 invalid rate code, 321 required field missing,
    /// 392 invalid hotel code, 402 invalid room type, 450 unable to process.
    var code: Int
    var text: String

    static func missing(_ what: String) -> OTAError { OTAError(type: 10, code: 321, text: "\(what) is required.") }
    static func invalidDate(_ text: String) -> OTAError { OTAError(type: 3, code: 15, text: text) }
    static func unableToProcess(_ text: String) -> OTAError { OTAError(type: 3, code: 450, text: text) }
}

struct ChannelMessage: Sendable, Equatable {
    enum Kind: String, Sendable {
        case availability = "OTA_HotelAvailNotifRQ", rates = "OTA_HotelRateAmountNotifRQ"

        var response: String { rawValue.replacing("RQ", with: "RS") }
    }

    struct Entry: Sendable, Equatable {
        var roomType: String
        var ratePlan: String?
        var from: CalendarDate
        var to: CalendarDate
        var weekdays: [Int]?
        var allotment: Int?
        var stopSell: Bool?
        var closedToArrival: Bool?
        var minStay: Int?
        var releaseDays: Int?
        var price: Amount?
        var currency: String?
    }

    var kind: Kind
    var echoToken: String?
    var hotelCode: String
    var entries: [Entry]

    /// The kind of a document's root, nil when it is neither notification.
    static func kind(of root: XMLElement) -> Kind? { Kind(rawValue: String(root.localName)) }

    /// Reads a notification; the first thing it cannot read is the OTA error.
    init(_ root: XMLElement) throws(OTAError) {
        guard let kind = Self.kind(of: root) else { throw OTAError.unableToProcess("Unsupported message \(root.localName).") }
        self.kind = kind
        echoToken = root["EchoToken"]
        let (container, item) = kind == .availability ? ("AvailStatusMessages", "AvailStatusMessage") : ("RateAmountMessages", "RateAmountMessage")
        guard let messages = root.child(container) else { throw OTAError.missing(container) }
        guard let hotel = messages["HotelCode"], !hotel.isEmpty else { throw OTAError.missing("\(container)/@HotelCode") }
        hotelCode = hotel
        let items = messages.all(item)
        guard !items.isEmpty, items.count <= 5000 else { throw OTAError.unableToProcess("\(container) needs 1 to 5000 \(item) elements.") }
        var entries: [Entry] = []
        for element in items {
            entries.append(kind == .availability ? try Self.availability(element) : try Self.rate(element))
        }
        self.entries = entries
    }

    private static func control(_ element: XMLElement, ratePlanRequired: Bool) throws(OTAError) -> Entry {
        guard let control = element.child("StatusApplicationControl") else { throw OTAError.missing("StatusApplicationControl") }
        guard let room = control["InvTypeCode"], !room.isEmpty else { throw OTAError.missing("StatusApplicationControl/@InvTypeCode") }
        guard let startText = control["Start"], let endText = control["End"] else { throw OTAError.missing("StatusApplicationControl/@Start and @End") }
        guard let start = CalendarDate(startText), let end = CalendarDate(endText) else {
            throw OTAError.invalidDate("Start and End must be dates like 2027-01-31 (got \(startText.prefix(20)), \(endText.prefix(20))).")
        }
        guard start <= end else { throw OTAError.invalidDate("End \(end) is before Start \(start).") }
        let plan = control["RatePlanCode"].flatMap { $0.isEmpty ? nil : $0 }
        if ratePlanRequired && plan == nil { throw OTAError.missing("StatusApplicationControl/@RatePlanCode") }
        let days = ["Mon", "Tue", "Weds", "Thur", "Fri", "Sat", "Sun"]
        let named = days.enumerated().compactMap { index, day in control[day].map { (index + 1, $0 == "1" || $0.lowercased() == "true") } }
        let weekdays = named.isEmpty ? nil : named.filter(\.1).map(\.0)
        if weekdays?.isEmpty == true { throw OTAError.unableToProcess("StatusApplicationControl switches every weekday off.") }
        return Entry(roomType: room, ratePlan: plan, from: start, to: end, weekdays: weekdays)
    }

    private static func availability(_ element: XMLElement) throws(OTAError) -> Entry {
        var entry = try control(element, ratePlanRequired: false)
        if let limit = element["BookingLimit"] {
            guard let rooms = Int(limit), rooms >= 0 else { throw OTAError.unableToProcess("BookingLimit must be a number of rooms, 0 or more.") }
            entry.allotment = rooms
        }
        for stay in element.child("LengthsOfStay")?.all("LengthOfStay") ?? [] where stay["MinMaxMessageType"] == "SetMinLOS" {
            guard let nights = stay["Time"].flatMap({ Int($0) }), nights >= 1 else { throw OTAError.unableToProcess("LengthOfStay/@Time must be 1 or more nights.") }
            entry.minStay = nights
        }
        for restriction in element.all("RestrictionStatus") {
            if let status = restriction["Status"] {
                guard status == "Open" || status == "Close" else { throw OTAError.unableToProcess("RestrictionStatus/@Status must be Open or Close.") }
                switch restriction["Restriction"] ?? "Master" {
                case "Master": entry.stopSell = status == "Close"
                case "Arrival": entry.closedToArrival = status == "Close"
                case let other: throw OTAError(type: 2, code: 450, text: "Restriction \(other.prefix(20)) is not supported (Master and Arrival are).")
                }
            }
            if let offset = restriction["MinAdvancedBookingOffset"] {
                guard let days = Self.days(offset) else { throw OTAError.unableToProcess("MinAdvancedBookingOffset must be a duration in days like P3D.") }
                entry.releaseDays = days
            }
        }
        return entry
    }

    private static func rate(_ element: XMLElement) throws(OTAError) -> Entry {
        var entry = try control(element, ratePlanRequired: true)
        let amounts = element.child("Rates")?.all("Rate").flatMap { $0.child("BaseByGuestAmts")?.all("BaseByGuestAmt") ?? [] } ?? []
        // The room's price: the amount for no particular number of guests, else for the most guests.
        guard let amount = amounts.first(where: { $0["NumberOfGuests"] == nil })
            ?? amounts.max(by: { Int($0["NumberOfGuests"] ?? "") ?? 0 < Int($1["NumberOfGuests"] ?? "") ?? 0 })
        else { throw OTAError.missing("Rates/Rate/BaseByGuestAmts/BaseByGuestAmt") }
        guard let text = amount["AmountAfterTax"] ?? amount["AmountBeforeTax"], let price = Amount(text), price > .zero else {
            throw OTAError.unableToProcess("BaseByGuestAmt needs AmountAfterTax above 0.")
        }
        guard let currency = amount["CurrencyCode"] else { throw OTAError.missing("BaseByGuestAmt/@CurrencyCode") }
        entry.price = price
        entry.currency = currency
        return entry
    }

    /// `P3D` -> 3.
    static func days(_ duration: String) -> Int? {
        guard duration.hasPrefix("P"), duration.hasSuffix("D") else { return nil }
        return Int(duration.dropFirst().dropLast())
    }
}

extension ChannelMessage {
    /// The calendar updates for `hotel`, checked against its contract; nights before `today` are
    /// dropped (a channel's range may start yesterday in its time zone).
    func updates(for hotel: ContractHotel, today: CalendarDate) throws(OTAError) -> [CalendarUpdate] {
        var updates: [CalendarUpdate] = []
        for entry in entries {
            guard hotel.roomTypes.contains(where: { $0.code == entry.roomType }) else {
                throw OTAError(type: 3, code: 402, text: "Hotel \(hotelCode) has no room type \(entry.roomType.prefix(50)).")
            }
            if kind == .rates, let plan = entry.ratePlan, !hotel.ratePlans.contains(where: { $0.code == plan }) {
                throw OTAError(type: 3, code: 249, text: "Hotel \(hotelCode) has no rate plan \(plan.prefix(50)).")
            }
            if let currency = entry.currency, currency != hotel.currency {
                throw OTAError(type: 3, code: 61, text: "Prices of hotel \(hotelCode) are in \(hotel.currency), not \(currency.prefix(3)).")
            }
            guard entry.to >= today else { continue }
            let update = CalendarUpdate(
                roomType: entry.roomType, from: max(entry.from, today), to: entry.to, weekdays: entry.weekdays, allotment: entry.allotment,
                stopSell: entry.stopSell, minStay: entry.minStay, closedToArrival: entry.closedToArrival, releaseDays: entry.releaseDays,
                prices: entry.price.map { [entry.ratePlan ?? "": $0] })
            if let (field, reason) = update.violation(today: today) {
                throw OTAError.unableToProcess("\(entry.roomType.prefix(50)) \(entry.from)..\(entry.to): \(field) \(reason).")
            }
            updates.append(update)
        }
        return updates
    }

    /// The answer: `Success`, or the errors.
    static func answer(_ kind: Kind?, echoToken: String?, errors: [OTAError], at moment: Date) -> String {
        var attributes = [("xmlns", "http://www.opentravel.org/OTA/2003/05"), ("Version", "1.0"), ("TimeStamp", Timestamp.iso8601Milliseconds(moment))]
        if let echoToken { attributes.append(("EchoToken", String(echoToken.prefix(128)))) }
        let body = errors.isEmpty
            ? [XMLElement("Success")]
            : [XMLElement("Errors", children: errors.map { XMLElement("Error", [("Type", String($0.type)), ("Code", String($0.code))], text: $0.text) })]
        return XMLElement((kind ?? .availability).response, attributes, children: body).document
    }
}
