// Migrations, the outbox relay and the inbox against the real PostgreSQL and RabbitMQ.

import Foundation
import NIOConcurrencyHelpers
import Prometheus
@testable import Shared
import TestSupport
import Testing

func uniqueSchema(_ prefix: String) -> String { "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())" }

@Suite struct MigrationTests {
    @Test func appliesInOrderOnceAndRevertsNewestFirst() async throws {
        try await withPool(try TestInfrastructure.postgresSettings(poolSize: 3)) { pool in
            let schema = uniqueSchema("mig")
            let migrations = [
                Migration(id: "001", name: "hotels", up: "CREATE TABLE hotels (id int PRIMARY KEY); CREATE INDEX hotels_id ON hotels (id);", down: "DROP TABLE hotels;"),
                Migration(id: "002", name: "rooms", up: "CREATE TABLE rooms (hotel_id int REFERENCES hotels);", down: "DROP TABLE rooms;"),
            ]
            let migrator = Migrator(pool: pool, schema: schema, migrations: migrations)
            // Two replicas starting at once: the advisory lock lets one apply, the other finds nothing to do.
            async let first = migrator.up()
            async let second = migrator.up()
            let applied = try await [first, second]
            #expect(applied.contains(["kit.001", "kit.002", "kit.003", "001", "002"]) && applied.contains([]))
            #expect(try await migrator.status().allSatisfy { $0.appliedAt != nil })
            try await pool.execute("INSERT INTO \(schema).hotels VALUES (1)")
            #expect(try await migrator.down() == ["002"])
            #expect(try await pool.query("SELECT to_regclass($1) IS NULL AS gone", ["\(schema).rooms"]).first?.bool("gone") == true)
            #expect(try await migrator.status().map { $0.appliedAt != nil } == [true, true, true, true, false])
            #expect(try await migrator.up() == ["002"])
            try await pool.execute("DROP SCHEMA \(schema) CASCADE")
        }
    }

    @Test func migrationsAreNotCutByTheStatementTimeout() async throws {
        try await withPool(try TestInfrastructure.postgresSettings(poolSize: 1, statementTimeout: .milliseconds(100))) { pool in
            let schema = uniqueSchema("slow")
            let slow = Migration(id: "001", name: "slow", up: "SELECT pg_sleep(0.3); CREATE TABLE t (id int);", down: "DROP TABLE t;")
            #expect(try await Migrator(pool: pool, schema: schema, migrations: [slow]).up().contains("001"))
            await #expect(throws: PostgresError.self) { try await pool.query("SELECT pg_sleep(0.3)") }
            try await pool.execute("DROP SCHEMA \(schema) CASCADE")
        }
    }
}

@Suite struct OutboxTests {
    @Test func inboxMakesRedeliveryHarmless() async throws {
        try await withPool(try TestInfrastructure.postgresSettings(poolSize: 2)) { pool in
            let schema = uniqueSchema("inbox")
            try await Migrator(pool: pool, schema: schema, migrations: []).up()
            let a = UUID(), b = UUID()
            #expect(try await pool.transaction { try Inbox.record([a, b], consumer: "c1", schema: schema, on: $0) } == [a, b])
            #expect(try await pool.transaction { try Inbox.record([a, b], consumer: "c1", schema: schema, on: $0) } == [])
            #expect(try await pool.transaction { try Inbox.record([a], consumer: "c2", schema: schema, on: $0) } == [a], "per consumer")
            try await pool.execute("DROP SCHEMA \(schema) CASCADE")
        }
    }

    @Test func outboxRowsAreNotPublishedUnlessCommitted() async throws {
        try await withPool(try TestInfrastructure.postgresSettings(poolSize: 3)) { pool in
            let schema = uniqueSchema("obx")
            try await Migrator(pool: pool, schema: schema, migrations: []).up()
            struct Abort: Error {}
            let event = EventEnvelope(type: "obx.test", producer: "test", tenantId: nil, traceId: nil, data: .null)
            await #expect(throws: Abort.self) {
                try await pool.transaction { connection in
                    try Outbox.append([event], schema: schema, on: connection)
                    throw Abort()
                }
            }
            #expect(try await pool.query("SELECT count(*)::int AS n FROM \(schema).outbox").first?.int("n") == 0)
            try await pool.execute("DROP SCHEMA \(schema) CASCADE")
        }
    }
}

@Suite struct OutboxRelayTests {
    @Test func backlogGaugeCountsCommittedButUnpublishedRows() async throws {
        try await withPool(try TestInfrastructure.postgresSettings(poolSize: 3)) { pool in
            let schema = uniqueSchema("backlog")
            try await Migrator(pool: pool, schema: schema, migrations: []).up()
            let registry = PrometheusCollectorRegistry()
            let publisher = EventPublisher(settings: try amqpSettings(), logger: TestInfrastructure.logger)
            let relay = OutboxRelay(settings: .init(schema: schema), pool: pool, publisher: publisher, logger: TestInfrastructure.logger, metrics: registry)
            let events = (0..<3).map { _ in EventEnvelope(type: "\(schema).order.created", producer: "test", tenantId: nil, traceId: nil, data: .null) }
            try await pool.transaction { try Outbox.append(events, schema: schema, on: $0) }
            try await relay.reportBacklog()
            #expect(registry.emitToString().contains(#"outbox_backlog{schema="\#(schema)"} 3.0"#))
            #expect(try await relay.publishBatch() == 3)
            try await relay.reportBacklog()
            #expect(registry.emitToString().contains(#"outbox_backlog{schema="\#(schema)"} 0.0"#))
            try await publisher.shutdown()
            try await pool.execute("DROP SCHEMA \(schema) CASCADE")
        }
    }
}

@Suite struct OutboxBellTests {
    /// The relay polls every ten minutes here: only the bell rung at commit can make it publish in
    /// time (the windows are long for a machine busy with the whole suite, and far below the poll).
    @Test func aCommittedWriteWakesItsRelayAtOnce() async throws {
        try await withPool(try TestInfrastructure.postgresSettings(poolSize: 3)) { pool in
            let schema = uniqueSchema("bell")
            try await Migrator(pool: pool, schema: schema, migrations: []).up()
            let publisher = EventPublisher(settings: try amqpSettings(), logger: TestInfrastructure.logger)
            var settings = OutboxRelay.Settings(schema: schema)
            settings.pollInterval = .seconds(600)
            let relay = OutboxRelay(settings: settings, pool: pool, publisher: publisher, logger: TestInfrastructure.logger)
            let running = Task { try await relay.run() }
            let unsent = { try await pool.query("SELECT count(*)::int AS n FROM \(schema).outbox WHERE sent_at IS NULL").first?.int("n") ?? -1 }
            let event: @Sendable () -> EventEnvelope = { EventEnvelope(type: "\(schema).order.created", producer: "test", tenantId: nil, traceId: nil, data: .null) }
            try await Task.sleep(for: .milliseconds(300))  // the relay's first look done: it waits for the bell or its poll

            let written = event()
            try await pool.transaction { try Outbox.append([written], schema: schema, on: $0) }
            #expect(try await eventually(within: .seconds(45)) { try await unsent() == 0 }, "a transaction's events")

            let rows = try Outbox.Rows([event()], schema: schema)
            try await pool.query("WITH e AS (\(rows.insert(firstParameter: 1))) SELECT 1", rows.parameters, writing: rows)
            #expect(try await eventually(within: .seconds(45)) { try await unsent() == 0 }, "a statement's events")

            running.cancel()
            _ = try? await running.value
            try await publisher.shutdown()
            try await pool.execute("DROP SCHEMA \(schema) CASCADE")
        }
    }
}

/// The relay and a consumer whose handler records into the inbox, on a fresh schema and queue.
struct OutboxPipeline {
    let schema: String
    let namespace: String
    let pool: PostgresPool
    let relay: OutboxRelay
    let publisher: EventPublisher
    let consumer: EventConsumer

    init(pool: PostgresPool) async throws {
        schema = uniqueSchema("zl")
        namespace = schema
        self.pool = pool
        try await Migrator(pool: pool, schema: schema, migrations: []).up()
        let settings = try amqpSettings()
        publisher = EventPublisher(settings: settings, logger: TestInfrastructure.logger)
        relay = OutboxRelay(settings: .init(schema: schema), pool: pool, publisher: publisher, logger: TestInfrastructure.logger)
        var spec = ConsumerSpec(queue: "\(namespace).inbox", bindingKeys: ["\(namespace).#"])
        spec.retryDelay = .milliseconds(200)
        try await BrokerAdmin(settings: settings).declare(spec)
        let (schema, queue) = (schema, spec.queue)
        consumer = EventConsumer(settings: settings, spec: spec, logger: TestInfrastructure.logger) { batch in
            let ids = try batch.map { try EventEnvelope(delivery: $0).id }
            _ = try await pool.transaction { try Inbox.record(ids, consumer: queue, schema: schema, on: $0) }
        }
    }

    func write(_ count: Int, batch: Int = 100) async throws {
        for start in stride(from: 0, to: count, by: batch) {
            let events = (start..<min(start + batch, count)).map { n in
                EventEnvelope(type: "\(namespace).order.created", producer: "test", tenantId: "t", traceId: nil, data: .object(["n": .integer(n)]))
            }
            try await pool.transaction { try Outbox.append(events, schema: schema, on: $0) }
        }
    }

    func consumed() async throws -> Int {
        try await pool.query("SELECT count(DISTINCT event_id)::int AS n FROM \(schema).inbox").first?.int("n") ?? -1
    }

    func unsent() async throws -> Int {
        try await pool.query("SELECT count(*)::int AS n FROM \(schema).outbox WHERE sent_at IS NULL").first?.int("n") ?? -1
    }
}
