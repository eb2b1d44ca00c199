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

/// The envelope's own fields, read without its data.
struct EnvelopeHeader: Decodable {
    var id: UUID
    var type: String
    var occurredAt: Date
    var producer: String
    var tenantId: String?
    enum CodingKeys: String, CodingKey { case id, type, occurredAt = "occurred_at", producer, tenantId = "tenant_id" }
}

/// The data of an envelope, as `Payload`.
struct EnvelopeData<Payload: Decodable>: Decodable {
    var data: Payload
}

enum EventRows {
    /// The row of one message: the body is read once for the envelope's fields and, for the types
    /// reports use, once more for their data; `data` keeps the whole envelope as it came.
    static func row(body: [UInt8], messageId: String, receivedAt: Date = Date()) -> EventRow {
        let bytes = Data(body)
        let text = String(decoding: body.prefix(100_000), as: UTF8.self)
        guard let envelope = try? PlatformJSON.decoder.decode(EnvelopeHeader.self, from: bytes) else {
            return EventRow(eventId: messageId.isEmpty ? "unreadable-\(Digest.hex(Digest.sha256(body)))" : messageId, type: "unreadable", occurredAt: receivedAt,
                            data: text)
        }
        var row = EventRow(eventId: envelope.id.uuidString.lowercased(), type: envelope.type, occurredAt: envelope.occurredAt)
        row.producer = envelope.producer
        row.tenantId = envelope.tenantId ?? ""
        row.data = text
        func data<T: Decodable>(_ type: T.Type) -> T? { try? PlatformJSON.decoder.decode(EnvelopeData<T>.self, from: bytes).data }
        if envelope.type.hasPrefix("order.") || envelope.type.hasPrefix("payment."), let order = data(OrderEventData.self) {
            row.orderId = order.order.orderId
            row.supplier = order.internal.supplier
            row.hotelId = order.order.hotelId
            row.city = order.internal.city ?? ""
            (row.checkIn, row.checkOut) = (order.order.checkIn, order.order.checkOut)
            (row.currency, row.price) = (order.order.price.currency, order.order.price.amount)
            row.cost = order.internal.cost.flatMap { $0.currency == order.order.price.currency ? $0.amount : nil }
            row.penalty = order.order.penalty.flatMap { $0.currency == order.order.price.currency ? $0.amount : nil } ?? .zero
        } else if envelope.type == SupplierCallEvent.type, let call = data(SupplierCallEvent.self) {
            (row.supplier, row.operation, row.outcome, row.latencyMs) = (call.supplier, call.operation, call.outcome, call.latencyMs)
        } else if envelope.type == SearchPerformed.type, let search = data(SearchPerformed.self) {
            row.city = search.city ?? ""
            (row.hotels, row.latencyMs, row.currency) = (search.hotels, Double(search.latencyMs), search.currency)
        }
        return row
    }
}
