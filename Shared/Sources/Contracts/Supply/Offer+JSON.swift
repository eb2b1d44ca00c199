// Supplier offers' JSON written and read by hand (JSONWriter, JSONReader): query-engine keeps each
// supplier's answer (hundreds of offers) in Redis and reads it back on every search that is not
// answered from memory. The same document as the Codable form describes.

import FoundationEssentials

extension CancellationPolicy: JSONWritable, JSONReadable {
    public func write(json: inout JSONWriter) {
        json.object {
            $0.key("from")
            $0.timestamp(from)
            $0.field("amount", amount)
        }
    }

    public init(json: inout JSONReader) throws {
        var from: Date?, amount: Amount?
        try json.object { reader, key in
            switch key {
            case "from": from = try reader.timestamp()
            case "amount": amount = try reader.amount()
            default: try reader.skip()
            }
        }
        guard let from, let amount else { throw json.failure("a cancellation policy with from and amount") }
        self.init(from: from, amount: amount)
    }
}

extension SupplierOffer: JSONWritable, JSONReadable {
    public func write(json: inout JSONWriter) {
        json.object {
            $0.field("supplier", supplier)
            $0.field("hotel_code", hotelCode)
            $0.field("room_code", roomCode)
            $0.field("room_name", roomName)
            $0.field("board", code: board)
            $0.field("refundable", refundable)
            $0.key("cancellation_policies")
            $0.array(cancellationPolicies) { $0.value($1) }
            $0.field("net", net)
            $0.field("selling_rate", sellingRate)
            $0.field("currency", currency)
            $0.field("rate_key", rateKey)
            $0.field("rate_type", code: rateType)
            $0.field("allotment", allotment)
        }
    }

    public init(json: inout JSONReader) throws {
        var supplier: String?, hotelCode: String?, roomCode: String?, roomName: String?, board: Board?, refundable: Bool?
        var policies: [CancellationPolicy] = [], net: Amount?, sellingRate: Amount?, currency: String?, rateKey: String?, rateType: RateType?
        var allotment: Int?
        try json.object { reader, key in
            if reader.null() { return }
            switch key {
            case "supplier": supplier = try reader.string()
            case "hotel_code": hotelCode = try reader.string()
            case "room_code": roomCode = try reader.string()
            case "room_name": roomName = try reader.string()
            case "board": board = try reader.code(Board.self)
            case "refundable": refundable = try reader.bool()
            case "cancellation_policies": policies = try reader.array(of: CancellationPolicy.self)
            case "net": net = try reader.amount()
            case "selling_rate": sellingRate = try reader.amount()
            case "currency": currency = try reader.string()
            case "rate_key": rateKey = try reader.string()
            case "rate_type": rateType = try reader.code(RateType.self)
            case "allotment": allotment = try reader.int()
            default: try reader.skip()
            }
        }
        guard let supplier, let hotelCode, let roomCode, let roomName, let board, let refundable, let net, let currency, let rateKey, let rateType else {
            throw json.failure("a supplier offer with every required field")
        }
        self.init(
            supplier: supplier, hotelCode: hotelCode, roomCode: roomCode, roomName: roomName, board: board, refundable: refundable,
            cancellationPolicies: policies, net: net, sellingRate: sellingRate, currency: currency, rateKey: rateKey, rateType: rateType,
            allotment: allotment)
    }
}

extension AvailabilityResult: JSONWritable, JSONReadable {
    public func write(json: inout JSONWriter) {
        json.object {
            $0.field("supplier", supplier)
            $0.key("offers")
            $0.array(offers) { $0.value($1) }
        }
    }

    public init(json: inout JSONReader) throws {
        var supplier: String?, offers: [SupplierOffer] = []
        try json.object { reader, key in
            switch key {
            case "supplier": supplier = try reader.string()
            case "offers": offers = try reader.array(of: SupplierOffer.self)
            default: try reader.skip()
            }
        }
        guard let supplier else { throw json.failure("an availability answer with its supplier") }
        self.init(supplier: supplier, offers: offers)
    }
}

extension Occupancy: JSONWritable {
    public func write(json: inout JSONWriter) {
        json.object {
            $0.field("adults", adults)
            $0.key("children_ages")
            $0.array(childrenAges) { $0.int($1) }
        }
    }
}
