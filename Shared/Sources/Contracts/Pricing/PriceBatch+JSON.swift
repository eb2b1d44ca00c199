// The batch's JSON written and read by hand (JSONWriter, JSONReader): a search sends thousands of
// offers to pricing and reads their prices back, and Foundation's coders took most of that time.
// The same document as the Codable form describes.

import FoundationEssentials

extension Money: JSONWritable, JSONReadable {
    public func write(json: inout JSONWriter) {
        json.object {
            $0.field("amount", amount)
            $0.field("currency", currency)
        }
    }

    public init(json: inout JSONReader) throws {
        var amount: Amount?, currency: String?
        try json.object { reader, key in
            switch key {
            case "amount": amount = try reader.amount()
            case "currency": currency = try reader.string()
            default: try reader.skip()
            }
        }
        guard let amount, let currency else { throw json.failure("money with an amount and a currency") }
        self.init(amount, currency)
    }
}

extension PriceableOffer: JSONWritable, JSONReadable {
    public func write(json: inout JSONWriter) {
        json.object {
            $0.field("id", id)
            $0.field("supplier", supplier)
            $0.field("master_hotel_id", masterHotelId)
            $0.field("country_code", countryCode)
            $0.field("city", city)
            $0.field("stars", stars)
            $0.field("board", code: board)
            $0.field("refundable", refundable)
            $0.field("check_in", checkIn)
            $0.field("net", net)
            $0.field("minimum_sell", minimumSell)
        }
    }

    public init(json: inout JSONReader) throws {
        var id: String?, supplier: String?, masterHotelId: Int64?, countryCode: String?, city: String?, stars: Int?, board: Board?
        var refundable: Bool?, checkIn: CalendarDate?, net: Money?, minimumSell: Money?
        try json.object { reader, key in
            if reader.null() { return }
            switch key {
            case "id": id = try reader.string()
            case "supplier": supplier = try reader.string()
            case "master_hotel_id": masterHotelId = Int64(try reader.int())
            case "country_code": countryCode = try reader.string()
            case "city": city = try reader.string()
            case "stars": stars = try reader.int()
            case "board": board = try reader.code(Board.self)
            case "refundable": refundable = try reader.bool()
            case "check_in": checkIn = try reader.calendarDate()
            case "net": net = try Money(json: &reader)
            case "minimum_sell": minimumSell = try Money(json: &reader)
            default: try reader.skip()
            }
        }
        guard let id, let supplier, let board, let refundable, let checkIn, let net else {
            throw json.failure("an offer with id, supplier, board, refundable, check_in and net")
        }
        self.init(
            id: id, supplier: supplier, masterHotelId: masterHotelId, countryCode: countryCode, city: city, stars: stars, board: board,
            refundable: refundable, checkIn: checkIn, net: net, minimumSell: minimumSell)
    }
}

extension PriceBatchRequest: JSONWritable, JSONReadable {
    public func write(json: inout JSONWriter) {
        json.object {
            $0.field("tenant_id", tenantId)
            $0.field("currency", currency)
            $0.field("booking_date", bookingDate)
            $0.key("offers")
            $0.array(offers) { $0.value($1) }
        }
    }

    public init(json: inout JSONReader) throws {
        var tenantId: String?, currency: String?, bookingDate: CalendarDate?, offers: [PriceableOffer]?
        try json.object { reader, key in
            if reader.null() { return }
            switch key {
            case "tenant_id": tenantId = try reader.string()
            case "currency": currency = try reader.string()
            case "booking_date": bookingDate = try reader.calendarDate()
            case "offers": offers = try reader.array(of: PriceableOffer.self)
            default: try reader.skip()
            }
        }
        guard let tenantId, let currency, let offers else { throw json.failure("a batch with tenant_id, currency and offers") }
        self.init(tenantId: tenantId, currency: currency, bookingDate: bookingDate, offers: offers)
    }
}

extension PricedOffer: JSONWritable, JSONReadable {
    public func write(json: inout JSONWriter) {
        json.object {
            $0.field("id", id)
            $0.field("sell", sell)
            $0.field("net", net)
            $0.field("rule_id", ruleId)
            $0.field("guard", guardApplied)
            $0.field("unpriced", unpriced)
        }
    }

    public init(json: inout JSONReader) throws {
        var id: String?, sell: Money?, net: Money?, ruleId: String?, guardApplied: String?, unpriced: String?
        try json.object { reader, key in
            if reader.null() { return }
            switch key {
            case "id": id = try reader.string()
            case "sell": sell = try Money(json: &reader)
            case "net": net = try Money(json: &reader)
            case "rule_id": ruleId = try reader.string()
            case "guard": guardApplied = try reader.string()
            case "unpriced": unpriced = try reader.string()
            default: try reader.skip()
            }
        }
        guard let id else { throw json.failure("a priced offer with an id") }
        self.init(id: id, sell: sell, net: net, ruleId: ruleId, guardApplied: guardApplied, unpriced: unpriced)
    }
}

extension PriceBatchResult: JSONWritable, JSONReadable {
    public func write(json: inout JSONWriter) {
        json.object {
            $0.key("offers")
            $0.array(offers) { $0.value($1) }
        }
    }

    public init(json: inout JSONReader) throws {
        var offers: [PricedOffer] = []
        try json.object { reader, key in
            if key == "offers" { offers = try reader.array(of: PricedOffer.self) } else { try reader.skip() }
        }
        self.init(offers: offers)
    }
}
