// A bed bank's availability answer written and read by hand (JSONWriter, JSONReader): a city's
// answer holds hundreds of hotels and thousands of rates; decoding it with JSONDecoder cost
// supplier-adapter more CPU than anything else it did for a search, and encoding it with
// JSONEncoder cost the simulator as much. The same document the Codable form describes: required
// members must be there, optional ones may be null or absent (and are left out when nil), unknown
// ones are skipped.

import FoundationEssentials
import Shared

extension BedBank.AvailabilityResponse: JSONReadable {
    public init(json: inout JSONReader) throws {
        var hotels: BedBank.HotelList?
        try json.object { reader, key in
            if key == "hotels" { hotels = try BedBank.HotelList(json: &reader) } else { try reader.skip() }
        }
        guard let hotels else { throw json.failure("an availability answer with its hotels") }
        self.init(hotels: hotels)
    }
}

extension BedBank.HotelList: JSONReadable {
    public init(json: inout JSONReader) throws {
        var checkIn: CalendarDate?, checkOut: CalendarDate?, total: Int?, hotels: [BedBank.Hotel]?
        try json.object { reader, key in
            switch key {
            case "checkIn": checkIn = try reader.calendarDate()
            case "checkOut": checkOut = try reader.calendarDate()
            case "total": total = try reader.int()
            case "hotels": hotels = try reader.array(of: BedBank.Hotel.self)
            default: try reader.skip()
            }
        }
        guard let checkIn, let checkOut, let total, let hotels else { throw json.failure("a hotel list with checkIn, checkOut, total and hotels") }
        self.init(checkIn: checkIn, checkOut: checkOut, total: total, hotels: hotels)
    }
}

extension BedBank.Hotel: JSONReadable {
    public init(json: inout JSONReader) throws {
        var code: String?, name: String?, categoryCode: String?, destinationName: String?, latitude: String?, longitude: String?
        var currency: String?, checkIn: CalendarDate?, checkOut: CalendarDate?, totalNet: Amount?, rooms: [BedBank.Room]?
        try json.object { reader, key in
            if reader.null() { return }
            switch key {
            case "code": code = try reader.string()
            case "name": name = try reader.string()
            case "categoryCode": categoryCode = try reader.string()
            case "destinationName": destinationName = try reader.string()
            case "latitude": latitude = try reader.string()
            case "longitude": longitude = try reader.string()
            case "currency": currency = try reader.string()
            case "checkIn": checkIn = try reader.calendarDate()
            case "checkOut": checkOut = try reader.calendarDate()
            case "totalNet": totalNet = try reader.amount()
            case "rooms": rooms = try reader.array(of: BedBank.Room.self)
            default: try reader.skip()
            }
        }
        guard let code, let name, let currency, let rooms else { throw json.failure("a hotel with code, name, currency and rooms") }
        self.init(
            code: code, name: name, categoryCode: categoryCode, destinationName: destinationName, latitude: latitude, longitude: longitude,
            currency: currency, checkIn: checkIn, checkOut: checkOut, totalNet: totalNet, rooms: rooms)
    }
}

extension BedBank.Room: JSONReadable {
    public init(json: inout JSONReader) throws {
        var code: String?, name: String?, rates: [BedBank.Rate]?
        try json.object { reader, key in
            switch key {
            case "code": code = try reader.string()
            case "name": name = try reader.string()
            case "rates": rates = try reader.array(of: BedBank.Rate.self)
            default: try reader.skip()
            }
        }
        guard let code, let name, let rates else { throw json.failure("a room with code, name and rates") }
        self.init(code: code, name: name, rates: rates)
    }
}

extension BedBank.Rate: JSONReadable {
    public init(json: inout JSONReader) throws {
        var rateKey: String?, rateClass: String?, rateType: String?, net: Amount?, sellingRate: Amount?, hotelMandatory: Bool?
        var allotment: Int?, boardCode: String?, boardName: String?, rooms: Int?, adults: Int?, children: Int?
        var policies: [BedBank.CancellationPolicy]?
        try json.object { reader, key in
            if reader.null() { return }
            switch key {
            case "rateKey": rateKey = try reader.string()
            case "rateClass": rateClass = try reader.string()
            case "rateType": rateType = try reader.string()
            case "net": net = try reader.amount()
            case "sellingRate": sellingRate = try reader.amount()
            case "hotelMandatory": hotelMandatory = try reader.bool()
            case "allotment": allotment = try reader.int()
            case "boardCode": boardCode = try reader.string()
            case "boardName": boardName = try reader.string()
            case "rooms": rooms = try reader.int()
            case "adults": adults = try reader.int()
            case "children": children = try reader.int()
            case "cancellationPolicies": policies = try reader.array(of: BedBank.CancellationPolicy.self)
            default: try reader.skip()
            }
        }
        guard let net, let boardCode, let boardName, let rooms, let policies else {
            throw json.failure("a rate with net, boardCode, boardName, rooms and cancellationPolicies")
        }
        self.init(
            rateKey: rateKey, rateClass: rateClass, rateType: rateType, net: net, sellingRate: sellingRate, hotelMandatory: hotelMandatory,
            allotment: allotment, boardCode: boardCode, boardName: boardName, rooms: rooms, adults: adults, children: children,
            cancellationPolicies: policies)
    }
}

extension BedBank.CancellationPolicy: JSONReadable {
    public init(json: inout JSONReader) throws {
        var amount: Amount?, from: Date?
        try json.object { reader, key in
            switch key {
            case "amount": amount = try reader.amount()
            case "from": from = try reader.timestamp()
            default: try reader.skip()
            }
        }
        guard let amount, let from else { throw json.failure("a cancellation policy with amount and from") }
        self.init(amount: amount, from: from)
    }
}

extension BedBank.AvailabilityResponse: JSONWritable {
    public func write(json: inout JSONWriter) {
        json.object { $0.field("hotels", hotels) }
    }
}

extension BedBank.HotelList: JSONWritable {
    public func write(json: inout JSONWriter) {
        json.object {
            $0.field("checkIn", checkIn)
            $0.field("checkOut", checkOut)
            $0.field("total", total)
            $0.key("hotels")
            $0.array(hotels) { $0.value($1) }
        }
    }
}

extension BedBank.Hotel: JSONWritable {
    public func write(json: inout JSONWriter) {
        json.object {
            $0.field("code", code)
            $0.field("name", name)
            $0.field("categoryCode", categoryCode)
            $0.field("destinationName", destinationName)
            $0.field("latitude", latitude)
            $0.field("longitude", longitude)
            $0.field("currency", currency)
            $0.field("checkIn", checkIn)
            $0.field("checkOut", checkOut)
            $0.field("totalNet", totalNet)
            $0.key("rooms")
            $0.array(rooms) { $0.value($1) }
        }
    }
}

extension BedBank.Room: JSONWritable {
    public func write(json: inout JSONWriter) {
        json.object {
            $0.field("code", code)
            $0.field("name", name)
            $0.key("rates")
            $0.array(rates) { $0.value($1) }
        }
    }
}

extension BedBank.Rate: JSONWritable {
    public func write(json: inout JSONWriter) {
        json.object {
            $0.field("rateKey", rateKey)
            $0.field("rateClass", rateClass)
            $0.field("rateType", rateType)
            $0.field("net", net)
            $0.field("sellingRate", sellingRate)
            if let hotelMandatory { $0.field("hotelMandatory", hotelMandatory) }
            $0.field("allotment", allotment)
            $0.field("boardCode", boardCode)
            $0.field("boardName", boardName)
            $0.field("rooms", rooms)
            $0.field("adults", adults)
            $0.field("children", children)
            $0.key("cancellationPolicies")
            $0.array(cancellationPolicies) { $0.value($1) }
        }
    }
}

extension BedBank.CancellationPolicy: JSONWritable {
    public func write(json: inout JSONWriter) {
        json.object {
            $0.field("amount", amount)
            $0.key("from")
            $0.timestamp(from)
        }
    }
}
