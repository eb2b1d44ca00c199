// The broker layout: topic exchange hotel.events, dead-letter exchange hotel.events.dlx, and per
// consumer a durable queue, a retry queue that hands messages back after a delay, and a dead-letter
// queue operators can inspect and replay.

public enum EventTopology {
    public static let exchange = "hotel.events"
    public static let deadLetterExchange = "hotel.events.dlx"

    static func declareExchanges(on connection: AMQPConnection) throws {
        try connection.declareExchange(exchange, type: "topic")
        try connection.declareExchange(deadLetterExchange, type: "direct")
    }

    /// A consumer's three queues, of the settings' type (a queue's type is fixed when it is first
    /// declared: switching means draining and deleting the old ones, docs/deployment.md).
    static func declare(_ consumer: ConsumerSpec, on connection: AMQPConnection) throws {
        try declareExchanges(on: connection)
        // Classic queues are declared as they always were, without the argument.
        let type: [(String, CArena.Field)] = connection.settings.queueType == .quorum ? [("x-queue-type", .string("quorum"))] : []
        try connection.declareQueue(consumer.queue, arguments: type)
        for key in consumer.bindingKeys { try connection.bind(queue: consumer.queue, exchange: exchange, key: key) }
        // Expired retries go back to the consumer's queue through the default exchange.
        try connection.declareQueue(consumer.retryQueue, arguments: type + [
            ("x-message-ttl", .int(Int32(clamping: Int(consumer.retryDelay.milliseconds)))),
            ("x-dead-letter-exchange", .string("")),
            ("x-dead-letter-routing-key", .string(consumer.queue)),
        ])
        try connection.declareQueue(consumer.deadLetterQueue, arguments: type)
        try connection.bind(queue: consumer.deadLetterQueue, exchange: deadLetterExchange, key: consumer.queue)
    }
}

/// One consumer's queue and how it treats failures.
public struct ConsumerSpec: Sendable {
    /// Durable queue name, `<service>.<purpose>`: `settlement.orders`, `bi.all`.
    public var queue: String
    /// Routing keys bound on hotel.events: `order.*`, `#`.
    public var bindingKeys: [String]
    public var prefetch: Int = 200
    /// Deliveries handed to the handler at once.
    public var batchSize: Int = 100
    /// How long a batch waits, after its first delivery, to fill up (zero: it takes what has arrived).
    public var gather: Duration = .zero
    /// Attempts before a message goes to the dead-letter queue.
    public var maxAttempts: Int = 5
    public var retryDelay: Duration = .seconds(5)

    public init(queue: String, bindingKeys: [String]) {
        self.queue = queue
        self.bindingKeys = bindingKeys
    }

    public var retryQueue: String { queue + ".retry" }
    public var deadLetterQueue: String { queue + ".dlq" }
}
