// Writing events in the same transaction as the state change they describe, and recording consumed
// events so a redelivery changes nothing.

import FoundationEssentials
import Glibc

public enum Outbox {
    /// Adds events to `schema`'s outbox inside the caller's transaction; they are published after commit.
    public static func append(_ events: [EventEnvelope], schema: String, on connection: PostgresConnection) throws {
        guard !events.isEmpty else { return }
        let rows = try Rows(events, schema: schema)
        try connection.execute(rows.insert(firstParameter: 1), rows.parameters)
        connection.wroteOutbox(of: schema)
    }

    /// Events as `schema`'s outbox rows, for a state change made in one statement: its data-modifying
    /// `WITH` clauses and `insert(firstParameter:when:)` commit together without a transaction
    /// around them (one round trip instead of four), sent with `PostgresPool.query(_:_:writing:)`.
    public struct Rows: Sendable {
        public let schema: String
        public let parameters: [(any PostgresBindable)?]
        public let isEmpty: Bool

        public init(_ events: [EventEnvelope], schema: String) throws {
            self.schema = schema
            isEmpty = events.isEmpty
            var ids: [String] = [], types: [String] = [], bodies: [String] = [], traces: [String] = []
            for event in events {
                let message = try event.message()
                ids.append(event.id.uuidString.lowercased())
                types.append(event.type)
                bodies.append(String(decoding: message.body, as: UTF8.self))
                traces.append(message.headers["traceparent"] ?? "")
            }
            parameters = [PostgresArray(ids), PostgresArray(types), PostgresArray(bodies), PostgresArray(traces)]
        }

        /// The INSERT, its four parameters numbered from `firstParameter`; only when `condition`
        /// (SQL, e.g. `EXISTS (SELECT 1 FROM changed)`) holds.
        public func insert(firstParameter n: Int, when condition: String = "true") -> String {
            """
            INSERT INTO \(Migrator.quoted(schema)).outbox (id, event_type, body, traceparent)
            SELECT id, type, body, NULLIF(trace, '') FROM unnest($\(n)::uuid[], $\(n + 1)::text[], $\(n + 2)::text[], $\(n + 3)::text[]) AS e(id, type, body, trace)
            WHERE \(condition)
            """
        }
    }
}

extension PostgresPool {
    /// A statement that writes `rows` (with `Outbox.Rows.insert`): their schema's relay is woken once
    /// it committed (not for no rows).
    @discardableResult
    public func query(_ sql: String, _ parameters: [(any PostgresBindable)?], writing rows: Outbox.Rows) async throws -> PostgresRows {
        try await withConnection { connection in
            let result = try connection.query(sql, parameters)
            if !rows.isEmpty { connection.wroteOutbox(of: rows.schema) }
            return result
        }
    }
}

public enum Inbox {
    /// Records that `consumer` handled these events, inside the consumer's transaction. Returns the
    /// ids not seen before: only those should change state.
    public static func record(_ eventIds: [UUID], consumer: String, schema: String, on connection: PostgresConnection) throws -> Set<UUID> {
        guard !eventIds.isEmpty else { return [] }
        let rows = try connection.query(
            """
            INSERT INTO \(Migrator.quoted(schema)).inbox (consumer, event_id)
            SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id
            """,
            [consumer, PostgresArray(eventIds.map { $0.uuidString.lowercased() })])
        return Set(try rows.map { try $0.uuid("event_id") })
    }
}
