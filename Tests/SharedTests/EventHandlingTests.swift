// A declared consumer's handler: its changes, the inbox record and the events it emits commit
// together; a redelivery changes nothing; a failure leaves no trace, so the retry handles it anew.

import Foundation
import NIOConcurrencyHelpers
@testable import Shared
import Testing

@Suite struct EventHandlingTests {
    struct Booked: Codable, Sendable { let nights: Int }
    struct Refused: Error {}

    /// A schema with the kit's outbox and inbox and a table the handler writes.
    func withSchema(_ body: (PostgresPool, String) async throws -> Void) async throws {
        try await withPool(try TestInfrastructure.postgresSettings(poolSize: 3)) { pool in
            let schema = uniqueSchema("eh")
            let nights = Migration(id: "001", name: "nights", up: "CREATE TABLE nights (event_id uuid PRIMARY KEY, nights int NOT NULL);", down: "DROP TABLE nights;")
            _ = try await Migrator(pool: pool, schema: schema, migrations: [nights]).up()
            try await body(pool, schema)
            try await pool.execute("DROP SCHEMA \(schema) CASCADE")
        }
    }

    func event(_ nights: Int) throws -> ConsumedEvent<Booked> {
        try ConsumedEvent(envelope: EventEnvelope(type: "order.created", producer: "test", tenantId: "t", trace: nil, payload: Booked(nights: nights)))
    }

    func count(_ pool: PostgresPool, _ sql: String) async throws -> Int {
        try await pool.query("SELECT (\(sql))::int AS n").first?.int("n") ?? -1
    }

    @Test func changesInboxAndEmittedEventsCommitTogetherOnce() async throws {
        try await withSchema { pool, schema in
            let ran = NIOLockedValueBox(0)
            let handling = EventHandling<Booked>(queue: "\(schema).bookings", events: ["order.created"], schema: schema) { events, transaction in
                for event in events {
                    try transaction.connection.execute("INSERT INTO \(schema).nights VALUES ($1, $2)", [event.envelope.id, event.payload.nights])
                    transaction.emit(EventEnvelope(type: "nights.counted", producer: "test", tenantId: nil, traceId: nil, data: .integer(event.payload.nights)))
                }
                transaction.afterCommit { ran.withLockedValue { $0 += 1 } }
            }
            let batch = [try event(2), try event(3)]
            for work in try await handling.handle(batch + [batch[0]], pool: pool) { try await work() }
            #expect(try await count(pool, "SELECT sum(nights) FROM \(schema).nights") == 5, "a repeat inside one batch counts once")
            #expect(try await count(pool, "SELECT count(*) FROM \(schema).outbox WHERE event_type = 'nights.counted'") == 2)
            #expect(try await count(pool, "SELECT count(*) FROM \(schema).inbox WHERE consumer = '\(schema).bookings'") == 2)
            #expect(ran.withLockedValue { $0 } == 1)
            // Redelivered: nothing changes, nothing runs after.
            #expect(try await handling.handle(batch, pool: pool).isEmpty)
            #expect(try await count(pool, "SELECT sum(nights) FROM \(schema).nights") == 5)
            #expect(try await count(pool, "SELECT count(*) FROM \(schema).outbox") == 2)
        }
    }

    @Test func aFailingHandlerLeavesNoTraceSoTheRetryHandlesTheEvent() async throws {
        try await withSchema { pool, schema in
            let failing = NIOLockedValueBox(true)
            let handling = EventHandling<Booked>(queue: "\(schema).bookings", events: ["order.created"], schema: schema) { events, transaction in
                for event in events {
                    try transaction.connection.execute("INSERT INTO \(schema).nights VALUES ($1, $2)", [event.envelope.id, event.payload.nights])
                    transaction.emit(EventEnvelope(type: "nights.counted", producer: "test", tenantId: nil, traceId: nil, data: .null))
                }
                if failing.withLockedValue({ $0 }) { throw Refused() }
            }
            let batch = [try event(4)]
            await #expect(throws: Refused.self) { _ = try await handling.handle(batch, pool: pool) }
            #expect(try await count(pool, "SELECT count(*) FROM \(schema).inbox") == 0)
            #expect(try await count(pool, "SELECT count(*) FROM \(schema).outbox") == 0)
            #expect(try await count(pool, "SELECT count(*) FROM \(schema).nights") == 0)
            failing.withLockedValue { $0 = false }
            _ = try await handling.handle(batch, pool: pool)
            #expect(try await count(pool, "SELECT sum(nights) FROM \(schema).nights") == 4)
            #expect(try await count(pool, "SELECT count(*) FROM \(schema).outbox") == 1)
        }
    }

    @Test func aMessageOfAnotherShapeFailsToDecode() throws {
        let other = try EventEnvelope(type: "order.created", producer: "test", tenantId: nil, trace: nil, payload: ["rooms": "two"])
        #expect(throws: DecodingError.self) { try ConsumedEvent<Booked>(envelope: other) }
    }
}
