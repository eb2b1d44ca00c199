// The envelope every event travels in (the design's contract), one Codable type for producers and
// consumers alike.

import FoundationEssentials
import Glibc

public struct EventEnvelope: Codable, Sendable, Equatable {
    public let id: UUID
    /// `<aggregate>.<event>`, also the routing key: `order.confirmed`.
    public let type: String
    public let occurredAt: Date
    public let producer: String
    public let tenantId: String?
    public let traceId: String?
    public let version: Int
    public let data: JSONValue

    enum CodingKeys: String, CodingKey {
        case id, type, producer, version, data
        case occurredAt = "occurred_at", tenantId = "tenant_id", traceId = "trace_id"
    }

    public init(
        id: UUID = UUID(), type: String, occurredAt: Date = Date(), producer: String, tenantId: String?, traceId: String?,
        version: Int = 1, data: JSONValue
    ) {
        self.id = id
        self.type = type
        // Milliseconds, as the wire carries: a decoded envelope equals the one that was sent.
        self.occurredAt = Timestamp.date(milliseconds: Timestamp.wholeMilliseconds(occurredAt))
        self.producer = producer
        self.tenantId = tenantId
        self.traceId = traceId
        self.version = version
        self.data = data
    }

    public init(type: String, producer: String, tenantId: String?, trace: TraceContext?, payload: some Encodable) throws {
        self.init(type: type, producer: producer, tenantId: tenantId, traceId: trace?.traceId, data: try JSONValue(encoding: payload))
    }

    public func payload<T: Decodable>(as type: T.Type = T.self) throws -> T { try data.decode(as: T.self) }

    /// The AMQP message: routing key = type, message_id = id, header traceparent continuing the trace.
    public func message(exchange: String = EventTopology.exchange) throws -> OutgoingMessage {
        var headers: [String: String] = [:]
        if let traceId, traceId.count == 32 { headers["traceparent"] = "00-\(traceId)-\(RandomHex.make(bytes: 8))-01" }
        return OutgoingMessage(
            exchange: exchange, routingKey: type, body: Array(try PlatformJSON.encoder.encode(self)),
            messageId: id.uuidString.lowercased(), type: type, headers: headers)
    }

    public init(delivery: Delivery) throws {
        self = try PlatformJSON.decoder.decode(EventEnvelope.self, from: Data(delivery.body))
    }
}
