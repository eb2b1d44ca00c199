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
            exchange: exchange, routingKey: type, body: JSONWriter.bytes(of: self, capacity: 512),
            messageId: id.uuidString.lowercased(), type: type, headers: headers)
    }

    public init(delivery: Delivery) throws {
        self = try JSONReader.read(EventEnvelope.self, from: delivery.body)
    }
}

/// The envelope written and read by hand (every event is, once by its producer and once by each
/// consumer), as its Codable form would: the same keys, absent optionals left out.
extension EventEnvelope: JSONWritable, JSONReadable {
    public func write(json: inout JSONWriter) {
        json.object { json in
            json.field("id", id.uuidString)
            json.field("type", type)
            json.key("occurred_at")
            json.timestamp(occurredAt)
            json.field("producer", producer)
            json.field("tenant_id", tenantId)
            json.field("trace_id", traceId)
            json.field("version", version)
            json.key("data")
            data.write(json: &json)
        }
    }

    public init(json: inout JSONReader) throws {
        var id: UUID?, type: String?, occurredAt: Date?, producer: String?, tenantId: String?, traceId: String?, version: Int?, data: JSONValue?
        try json.object { json, key in
            switch key {
            case "id":
                let at = json.failure("a UUID")
                guard let uuid = UUID(uuidString: try json.string()) else { throw at }
                id = uuid
            case "type": type = try json.string()
            case "occurred_at": occurredAt = try json.timestamp()
            case "producer": producer = try json.string()
            case "tenant_id": tenantId = json.null() ? nil : try json.string()
            case "trace_id": traceId = json.null() ? nil : try json.string()
            case "version": version = try json.int()
            case "data": data = try json.any()
            default: try json.skip()
            }
        }
        guard let id, let type, let occurredAt, let producer, let version, let data else {
            throw json.failure("an event with id, type, occurred_at, producer, version and data")
        }
        self.init(id: id, type: type, occurredAt: occurredAt, producer: producer, tenantId: tenantId, traceId: traceId, version: version, data: data)
    }
}
