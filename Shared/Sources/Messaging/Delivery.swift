// Messages going to and coming from the broker, copied out of librabbitmq's structures.

import CRabbitMQ
import FoundationEssentials
import Glibc

public struct OutgoingMessage: Sendable {
    public var exchange: String
    public var routingKey: String
    public var body: [UInt8]
    public var messageId: String
    public var type: String
    public var headers: [String: String]
    /// Written to disk by the broker (delivery mode 2) unless false: a message that may be lost with
    /// the broker (a search's `search.performed`, dropped anyway while the broker is down) is not.
    public var persistent = true

    public init(exchange: String, routingKey: String, body: [UInt8], messageId: String, type: String, headers: [String: String] = [:]) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
        self.messageId = messageId
        self.type = type
        self.headers = headers
    }

    /// content-type JSON, persistent unless said otherwise, with message id, type, timestamp and string headers.
    func properties(_ arena: CArena) -> amqp_basic_properties_t {
        var properties = amqp_basic_properties_t()
        let contentType: UInt32 = 1 << 15, headersFlag: UInt32 = 1 << 13, deliveryMode: UInt32 = 1 << 12
        let messageIdFlag: UInt32 = 1 << 7, timestampFlag: UInt32 = 1 << 6, typeFlag: UInt32 = 1 << 5
        properties._flags = contentType | headersFlag | deliveryMode | messageIdFlag | timestampFlag | typeFlag
        properties.content_type = arena.bytes("application/json")
        properties.delivery_mode = persistent ? 2 : 1
        properties.message_id = arena.bytes(messageId)
        properties.type = arena.bytes(type)
        properties.timestamp = UInt64(Date().timeIntervalSince1970)
        properties.headers = arena.table(headers.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
        return properties
    }
}

public struct Delivery: Sendable {
    public let tag: UInt64
    public let exchange: String
    public let routingKey: String
    public let redelivered: Bool
    public let body: [UInt8]
    public let messageId: String
    public let type: String
    public let headers: [String: String]
    /// Sent with delivery mode 2 (kept on the broker's disk).
    public let persistent: Bool

    init(_ envelope: amqp_envelope_t) {
        tag = envelope.delivery_tag
        exchange = envelope.exchange.string
        routingKey = envelope.routing_key.string
        redelivered = envelope.redelivered != 0
        body = envelope.message.body.array
        let properties = envelope.message.properties
        messageId = properties._flags & (1 << 7) != 0 ? properties.message_id.string : ""
        type = properties._flags & (1 << 5) != 0 ? properties.type.string : ""
        headers = properties._flags & (1 << 13) != 0 ? properties.headers.strings : [:]
        persistent = properties._flags & (1 << 12) != 0 && properties.delivery_mode == 2
    }

    /// How many times a handler has been given this message, counting this one.
    public var attempt: Int { Int(headers[Delivery.attemptHeader] ?? "") ?? 1 }

    static let attemptHeader = "x-attempt"
}
