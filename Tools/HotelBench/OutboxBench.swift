// The outbox end to end in one process: writers commit events with their outbox rows, the relay
// publishes them with confirms, a consumer records them in its inbox. Lag is measured from just
// before the writer's commit to the consumer's inbox commit.

import Foundation
import Logging
import NIOConcurrencyHelpers
import Shared

struct Stamp: Codable {
    let t0: Double
}

final class OutboxHarness: Sendable {
    let schema = "bench_\(UUID().uuidString.prefix(8).lowercased())"
    let pool: PostgresPool
    let relay: OutboxRelay
    let consumer: EventConsumer
    let publisher: EventPublisher
    let lags = NIOLockedValueBox<[Double]>([])
    let consumed = NIOLockedValueBox(0)

    init(_ env: EnvironmentVariables) async throws {
        var settings = try PostgresSettings(env, applicationName: "hotel-bench")
        settings.poolSize = 8
        let logger = Logger(label: "bench")
        pool = PostgresPool(settings: settings, logger: logger)
        try await Migrator(pool: pool, schema: schema, migrations: []).up()
        let amqp = try AMQPSettings(env)
        publisher = EventPublisher(settings: amqp, logger: logger)
        relay = OutboxRelay(settings: .init(schema: schema), pool: pool, publisher: publisher, logger: logger)
        var spec = ConsumerSpec(queue: "\(schema).inbox", bindingKeys: ["\(schema).#"])
        spec.prefetch = 1000
        spec.batchSize = 500
        try await BrokerAdmin(settings: amqp).declare(spec)
        let (pool, schema, lags, consumed, queue) = (pool, schema, lags, consumed, spec.queue)
        consumer = EventConsumer(settings: amqp, spec: spec, logger: logger) { batch in
            let envelopes = try batch.map { try EventEnvelope(delivery: $0) }
            _ = try await pool.transaction { try Inbox.record(envelopes.map(\.id), consumer: queue, schema: schema, on: $0) }
            let now = Date().timeIntervalSince1970
            let batchLags = envelopes.compactMap { try? $0.payload(as: Stamp.self) }.map { (now - $0.t0) * 1000 }
            lags.withLockedValue { $0 += batchLags }
            consumed.withLockedValue { $0 += envelopes.count }
        }
    }

    func write(_ count: Int) async throws {
        let events = try (0..<count).map { _ in
            try EventEnvelope(type: "\(schema).order.created", producer: "bench", tenantId: "t", trace: nil, payload: Stamp(t0: Date().timeIntervalSince1970))
        }
        let target = schema
        try await pool.transaction { try Outbox.append(events, schema: target, on: $0) }
    }

    func running(_ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.relay.run() }
            group.addTask { try await self.consumer.run() }
            try await body()
            group.cancelAll()
        }
        try await pool.execute("DROP SCHEMA \(schema) CASCADE")
        try await publisher.shutdown()
        try await pool.shutdown()
    }

    func waitFor(_ total: Int, limit: Duration = .seconds(300)) async throws {
        let deadline = ContinuousClock.now + limit
        while consumed.withLockedValue({ $0 }) < total && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }
}

enum OutboxBench {
    /// Writes `events` in transactions of 500 from 4 writers and waits until all are consumed.
    static func throughput(_ env: EnvironmentVariables, events: Int) async throws {
        let harness = try await OutboxHarness(env)
        try await harness.running {
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<4 {
                    group.addTask {
                        for _ in stride(from: writer * 500, to: events, by: 2000) { try await harness.write(500) }
                    }
                }
                try await group.waitForAll()
            }
            let written = start.duration(to: .now)
            try await harness.waitFor(events)
            let elapsed = start.duration(to: .now)
            let consumed = harness.consumed.withLockedValue { $0 }
            print(String(format: "outbox_events_per_second=%.0f events=%d consumed=%d seconds=%.2f write_seconds=%.2f",
                         Double(consumed) / elapsed.seconds, events, consumed, elapsed.seconds, written.seconds))
        }
    }

    /// Writes `rate` events per second, in 10 ms ticks, for `seconds`, and reports the lag distribution.
    static func lag(_ env: EnvironmentVariables, rate: Int, seconds: Int) async throws {
        let harness = try await OutboxHarness(env)
        try await harness.running {
            try await Task.sleep(for: .milliseconds(500))
            let perTick = max(1, rate / 100)
            let ticks = seconds * 100
            let clock = ContinuousClock()
            let start = clock.now
            for tick in 0..<ticks {
                try await harness.write(perTick)
                try await clock.sleep(until: start + .milliseconds(10 * (tick + 1)))
            }
            try await harness.waitFor(perTick * ticks)
            let lags = harness.lags.withLockedValue { $0 }
            print(String(format: "outbox_lag_ms p50=%.1f p99=%.1f max=%.1f events=%d rate=%d",
                         OutboxHarness.percentile(lags, 0.5), OutboxHarness.percentile(lags, 0.99), lags.max() ?? .nan, lags.count, perTick * 100))
        }
    }
}
