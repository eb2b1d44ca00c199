// A consumer declared in one line: its queue, the event types it binds and the payload type it
// reads. Its handler sees each batch's events that are new to it, decoded, inside the PostgreSQL
// transaction that records them in the service's inbox: whatever it changes, and the events it
// emits to the outbox, commit together with "handled", or not at all. A redelivery finds the event
// in the inbox and changes nothing.

import FoundationEssentials
import Glibc

/// One event as the handler sees it.
public struct ConsumedEvent<Payload: Sendable>: Sendable {
    public let envelope: EventEnvelope
    public let payload: Payload
    /// The message body as it arrived (the envelope's JSON).
    public let body: [UInt8]
}

extension ConsumedEvent where Payload: Decodable {
    /// A message as delivered; throws when it is not an envelope or its data is not a `Payload`.
    public init(delivery: Delivery) throws {
        envelope = try EventEnvelope(delivery: delivery)
        payload = try envelope.payload(as: Payload.self)
        body = delivery.body
    }

    /// An event as it would arrive (for replays and tests).
    public init(envelope: EventEnvelope) throws {
        self.envelope = envelope
        payload = try envelope.payload(as: Payload.self)
        body = try envelope.message().body
    }
}

/// The transaction a handler runs in, with the service's outbox at hand. Used on one pool thread.
public final class EventTransaction: @unchecked Sendable {
    public let connection: PostgresConnection
    public let schema: String
    private(set) var emitted: [EventEnvelope] = []
    private(set) var afterCommit: [@Sendable () async throws -> Void] = []

    init(connection: PostgresConnection, schema: String) {
        self.connection = connection
        self.schema = schema
    }

    /// Publishes `event` after this transaction commits (through the outbox).
    public func emit(_ event: EventEnvelope) {
        emitted.append(event)
    }

    /// Runs `work` once the transaction has committed (waking a job, reloading a cache). A failure
    /// there is logged by the consumer; the events stay handled.
    public func afterCommit(_ work: @escaping @Sendable () async throws -> Void) {
        afterCommit.append(work)
    }
}

public struct EventHandling<Payload: Decodable & Sendable>: Sendable {
    public typealias Handler = @Sendable (_ events: [ConsumedEvent<Payload>], _ transaction: EventTransaction) throws -> Void

    public let spec: ConsumerSpec
    /// The schema whose inbox and outbox the handler uses.
    public let schema: String
    let handler: Handler

    /// `queue` (`<service>.<purpose>`) bound to `events` (routing keys, `*` and `#` allowed).
    public init(queue: String, events: [String], schema: String, handler: @escaping Handler) {
        self.spec = ConsumerSpec(queue: queue, bindingKeys: events)
        self.schema = schema
        self.handler = handler
    }

    /// Decodes, records and handles one batch in one transaction; returns the work to run after commit.
    /// A message that does not decode fails the batch (the consumer then retries its messages one by
    /// one, and the bad one ends in the dead-letter queue).
    public func handle(_ batch: [Delivery], pool: PostgresPool) async throws -> [@Sendable () async throws -> Void] {
        try await handle(try batch.map { try ConsumedEvent<Payload>(delivery: $0) }, pool: pool)
    }

    /// Records `events` in the inbox and hands the new ones to the handler, in one transaction.
    public func handle(_ events: [ConsumedEvent<Payload>], pool: PostgresPool) async throws -> [@Sendable () async throws -> Void] {
        let (queue, schema, handler) = (spec.queue, schema, handler)
        return try await pool.transaction { connection in
            let fresh = try Inbox.record(events.map(\.envelope.id), consumer: queue, schema: schema, on: connection)
            var seen = Set<UUID>()
            let new = events.filter { fresh.contains($0.envelope.id) && seen.insert($0.envelope.id).inserted }
            guard !new.isEmpty else { return [] }
            let transaction = EventTransaction(connection: connection, schema: schema)
            try handler(new, transaction)
            try Outbox.append(transaction.emitted, schema: schema, on: connection)
            return transaction.afterCommit
        }
    }
}
