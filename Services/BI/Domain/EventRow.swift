// An event as a row of `events`, pure: the envelope's fields, then what reports need from its data
// (orders: tenant, supplier, hotel, city, stay, price, cost, penalty; supplier calls: operation,
// outcome, latency; searches: destination city, hotels found, latency). A message that is not an
// envelope at all still becomes a row (type `unreadable`, the body in `data`): nothing is dropped.

import FoundationEssentials
import Shared

struct EventRow: Equatable, Sendable {
    var eventId: String
    var type: String
    var occurredAt: Date
    var producer = ""
    var tenantId = ""
    var orderId = ""
    var supplier = ""
    var hotelId: Int64 = 0
    var city = ""
    var checkIn: CalendarDate? = nil
    var checkOut: CalendarDate? = nil
    var currency = ""
    var price: Amount = .zero
    var cost: Amount? = nil
    var penalty: Amount = .zero
    var operation = ""
    var outcome = ""
    var latencyMs: Double = 0
    var hotels = 0
    var data = ""

    /// The TabSeparated fields, in AnalyticsSchema.columns order.
    var fields: [String] {
        let time = Timestamp.iso8601Milliseconds(occurredAt)
        let dateTime = String(time.prefix(19)).replacing("T", with: " ")
        return [
            eventId, type, dateTime, String(time.prefix(10)), producer, tenantId, orderId, supplier, String(hotelId), city,
            checkIn?.description ?? "1970-01-01", checkOut?.description ?? "1970-01-01", currency, price.description, (cost ?? .zero).description,
            cost == nil ? "0" : "1", penalty.description, operation, outcome, String(latencyMs), String(hotels), data,
        ]
    }
}

/// search.performed's data, as query-engine writes it.
struct SearchPerformedData: Decodable {
    var destination: String
    var hotels: Int
    var currency: String
    var latencyMs: Int
    enum CodingKeys: String, CodingKey { case destination, hotels, currency, latencyMs = "latency_ms" }
}

enum EventRows {
    static func row(body: [UInt8], messageId: String, type: String?, receivedAt: Date = Date()) -> EventRow {
        guard let envelope = try? PlatformJSON.decoder.decode(EventEnvelope.self, from: Data(body)) else {
            return EventRow(eventId: messageId.isEmpty ? "unreadable-\(Digest.hex(Digest.sha256(body)))" : messageId, type: "unreadable", occurredAt: receivedAt,
                            data: String(decoding: body.prefix(100_000), as: UTF8.self))
        }
        var row = EventRow(eventId: envelope.id.uuidString.lowercased(), type: envelope.type, occurredAt: envelope.occurredAt)
        row.producer = envelope.producer
        row.tenantId = envelope.tenantId ?? ""
        row.data = (try? String(decoding: PlatformJSON.encoder.encode(envelope.data), as: UTF8.self)) ?? ""
        if envelope.type.hasPrefix("order.") || envelope.type.hasPrefix("payment."), let order = try? envelope.payload(as: OrderEventData.self) {
            row.orderId = order.order.orderId
            row.supplier = order.internal.supplier
            row.hotelId = order.order.hotelId
            row.city = order.internal.city ?? ""
            (row.checkIn, row.checkOut) = (order.order.checkIn, order.order.checkOut)
            (row.currency, row.price) = (order.order.price.currency, order.order.price.amount)
            row.cost = order.internal.cost.flatMap { $0.currency == order.order.price.currency ? $0.amount : nil }
            row.penalty = order.order.penalty.flatMap { $0.currency == order.order.price.currency ? $0.amount : nil } ?? .zero
        } else if envelope.type == SupplierCallEvent.type, let call = try? envelope.payload(as: SupplierCallEvent.self) {
            (row.supplier, row.operation, row.outcome, row.latencyMs) = (call.supplier, call.operation, call.outcome, call.latencyMs)
        } else if envelope.type == "search.performed", let search = try? envelope.payload(as: SearchPerformedData.self) {
            row.city = search.destination.hasPrefix("city:") ? String(search.destination.dropFirst(5).split(separator: ",").first ?? "") : ""
            (row.hotels, row.latencyMs, row.currency) = (search.hotels, Double(search.latencyMs), search.currency)
        }
        return row
    }
}
