// Every event on hotel.events into ClickHouse: the consumer `bi.all` (bound to `#`) hands over
// batches of up to `batchSize` deliveries gathered for at most a second; each batch becomes rows
// (duplicates within it dropped) and one INSERT, and is acked only after ClickHouse took it. While
// ClickHouse is down the insert is tried again with backoff: the batch stays unacked and the rest
// waits in the queue, so nothing is lost; /ready says ClickHouse is down meanwhile. Duplicates
// across batches (a redelivery) collapse in the table (AnalyticsSchema).

import FoundationEssentials
import Logging
import NIOConcurrencyHelpers
import Prometheus
import ServiceLifecycle
import Shared

final class EventIngest: Sendable {
    let store: ClickHouse
    let logger: Logger
    let inserted: Counter
    let failures: Counter
    private let schemaReady = NIOLockedValueBox(false)

    init(store: ClickHouse, registry: PrometheusCollectorRegistry, logger: Logger) {
        self.store = store
        self.logger = logger
        inserted = registry.makeCounter(name: "bi_events_inserted_total")
        failures = registry.makeCounter(name: "bi_insert_failures_total")
    }

    static func spec(batchSize: Int) -> ConsumerSpec {
        var spec = ConsumerSpec(queue: "bi.all", bindingKeys: ["#"])
        (spec.batchSize, spec.prefetch, spec.gather) = (batchSize, batchSize * 2, .seconds(1))
        return spec
    }

    func ensureSchema() async throws {
        guard !schemaReady.withLockedValue({ $0 }) else { return }
        try await store.execute(AnalyticsSchema.create)
        schemaReady.withLockedValue { $0 = true }
    }

    /// The batch's rows, each event once.
    static func rows(_ batch: [Delivery], receivedAt: Date = Date()) -> [EventRow] {
        var seen = Set<String>()
        return batch.map { EventRows.row(body: $0.body, messageId: $0.messageId, receivedAt: receivedAt) }.filter { seen.insert($0.eventId).inserted }
    }

    /// Inserts `batch`, trying again (100 ms doubling to 5 s) until ClickHouse takes it; gives up
    /// only when the service stops (the batch is then redelivered).
    func handle(_ batch: [Delivery]) async throws {
        let rows = Self.rows(batch).map(\.fields)
        var pause = Duration.milliseconds(100)
        while true {
            do {
                try await ensureSchema()
                try await store.insert(into: AnalyticsSchema.events, columns: AnalyticsSchema.columns, rows: rows)
                inserted.increment(by: Int64(rows.count))
                return
            } catch {
                failures.increment()
                logger.warning("events not written to ClickHouse: retrying", metadata: ["events": .stringConvertible(rows.count), "error": .string("\(error)")])
                guard !Task.isShuttingDownGracefully, !Task.isCancelled else { throw error }
                await Task.pause(for: pause)
                pause = min(pause * 2, .seconds(5))
            }
        }
    }
}
