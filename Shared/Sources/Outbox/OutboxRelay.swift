// Publishes what the outbox holds: woken when a write of this process committed rows (OutboxBell),
// polling as the fallback (rows other replicas wrote, a crash left unannounced). Each batch
// is locked with FOR UPDATE SKIP LOCKED (replicas share the work), published with confirms, and
// marked sent in the same transaction; a failed publish rolls back and the rows wait for the next
// try. Nothing committed is lost; a crash after the broker confirmed may publish a row twice, which
// consumers' inboxes absorb.

import FoundationEssentials
import Glibc
import Logging
import Prometheus
import ServiceLifecycle

public final class OutboxRelay: Service, Sendable {
    public struct Settings: Sendable {
        public var schema: String
        public var batchSize = 500
        public var pollInterval: Duration = .seconds(1)
        /// After a batch, how long the relay lets further commits gather before it looks again: under
        /// load one batch per linger instead of one per commit, each event at most this much later.
        public var linger: Duration = .milliseconds(5)
        /// Sent rows are deleted after this long.
        public var retention: Duration = .seconds(24 * 3600)

        public init(schema: String) { self.schema = schema }
    }

    let settings: Settings
    let pool: PostgresPool
    let publisher: EventPublisher
    let logger: Logger
    let backlog: Gauge?
    private let wake = WakeSignal()

    public init(settings: Settings, pool: PostgresPool, publisher: EventPublisher, logger: Logger, metrics: PrometheusCollectorRegistry? = nil) {
        self.settings = settings
        self.pool = pool
        self.publisher = publisher
        self.logger = logger
        self.backlog = metrics?.makeGauge(descriptor: MetricNameDescriptor(metricName: "outbox", unitName: "backlog", helpText: "Outbox rows committed but not yet published"), labels: [("schema", settings.schema)])
    }

    public func run() async throws {
        OutboxBell.listen(wake, to: settings.schema)
        defer { OutboxBell.stopListening(wake, to: settings.schema) }
        await relay()
    }

    private func relay() async {
        var failures = 0
        var lastHousekeeping = ContinuousClock.now - .seconds(3600), lastReport = lastHousekeeping
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let published = try await publishBatch()
                failures = 0
                if published == settings.batchSize { continue }
                if ContinuousClock.now - lastReport > .seconds(1) {
                    try await reportBacklog()
                    lastReport = .now
                }
                if ContinuousClock.now - lastHousekeeping > .seconds(60) {
                    try await forgetSentRows()
                    lastHousekeeping = .now
                }
                if published > 0 { try? await Task.sleep(for: settings.linger) }
                await wake.wait(timeout: settings.pollInterval)
            } catch {
                failures += 1
                logger.warning("outbox relay could not publish", metadata: ["schema": .string(settings.schema), "error": .string("\(error)")])
                try? await Task.sleep(for: .milliseconds(min(5000, 100 << min(failures, 6))))
            }
        }
    }

    /// One batch: lock, publish with confirms, mark sent, commit. Returns how many were published.
    func publishBatch() async throws -> Int {
        let table = Migrator.quoted(settings.schema) + ".outbox"
        let limit = settings.batchSize
        return try await pool.withLease { lease in
            do {
                let rows = try await lease.run { connection in
                    try connection.execute("BEGIN")
                    return try connection.query(
                        "SELECT seq, id, event_type, body, traceparent FROM \(table) WHERE sent_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED",
                        [limit])
                }
                let messages = try rows.map { row in
                    OutgoingMessage(
                        exchange: EventTopology.exchange, routingKey: try row.string("event_type"), body: Array(try row.string("body").utf8),
                        messageId: try row.string("id"), type: try row.string("event_type"),
                        headers: try row.optionalString("traceparent").map { ["traceparent": $0] } ?? [:])
                }
                try await publisher.publish(messages)
                let seqs = try rows.map { try $0.int("seq") }
                try await lease.run { connection in
                    if !seqs.isEmpty { try connection.execute("UPDATE \(table) SET sent_at = now() WHERE seq = ANY($1::bigint[])", [PostgresArray(seqs)]) }
                    try connection.execute("COMMIT")
                }
                return rows.count
            } catch {
                _ = try? await lease.run { try $0.execute("ROLLBACK") }
                throw error
            }
        }
    }

    /// The `outbox_backlog` gauge: rows committed but not yet published (cheap: a partial index).
    func reportBacklog() async throws {
        guard let backlog else { return }
        let table = Migrator.quoted(settings.schema) + ".outbox"
        backlog.set(Double(try await pool.query("SELECT count(*)::int AS n FROM \(table) WHERE sent_at IS NULL").first?.int("n") ?? 0))
    }

    func forgetSentRows() async throws {
        let table = Migrator.quoted(settings.schema) + ".outbox"
        try await pool.execute(
            "DELETE FROM \(table) WHERE sent_at < now() - make_interval(secs => $1)", [Int(settings.retention.components.seconds)])
    }
}
