// Every supplier call becomes a metric at once and a `supplier.call` event within half a second:
// events are gathered in memory and written to the outbox in one insert per flush, so a busy
// search costs no database round trip per call. Bounded: past 20,000 waiting, new ones are dropped
// and counted (metrics keep counting them all).

import FoundationEssentials
import Logging
import NIOConcurrencyHelpers
import Prometheus
import ServiceLifecycle
import Shared

final class CallRecorder: Service, Sendable {
    static let capacity = 20_000
    static let buckets: [Duration] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30].map { .milliseconds(Int($0 * 1000)) }

    private let pending = NIOLockedValueBox<[EventEnvelope]>([])
    private let pool: PostgresPool
    private let registry: PrometheusCollectorRegistry
    private let logger: Logger
    private let interval: Duration

    init(pool: PostgresPool, registry: PrometheusCollectorRegistry, logger: Logger, interval: Duration = .milliseconds(500)) {
        self.pool = pool
        self.registry = registry
        self.logger = logger
        self.interval = interval
    }

    func record(_ call: SupplierCallEvent) {
        let labels = [("supplier", call.supplier), ("operation", call.operation), ("outcome", call.outcome)]
        registry.makeCounter(name: "supplier_calls_total", labels: labels).increment()
        registry.makeDurationHistogram(name: "supplier_call_duration_seconds", labels: [("supplier", call.supplier), ("operation", call.operation)],
                                       buckets: Self.buckets).record(.milliseconds(Int(call.latencyMs.rounded())))
        if call.outcome == "malformed" { registry.makeCounter(name: "supplier_malformed_responses_total", labels: [("supplier", call.supplier)]).increment() }
        guard let event = try? EventEnvelope(type: SupplierCallEvent.type, producer: "supplier-adapter", tenantId: nil, trace: nil, payload: call) else { return }
        let accepted = pending.withLockedValue { events in
            guard events.count < Self.capacity else { return false }
            events.append(event)
            return true
        }
        if !accepted { registry.makeCounter(name: "supplier_call_events_dropped_total", labels: []).increment() }
    }

    /// Writes what is waiting to the outbox; the relay publishes it.
    func flush() async {
        let events = pending.withLockedValue { events in
            defer { events.removeAll(keepingCapacity: true) }
            return events
        }
        guard !events.isEmpty else { return }
        do {
            try await pool.transaction { connection in try Outbox.append(events, schema: "supplier", on: connection) }
        } catch {
            logger.error("supplier.call events not written", metadata: ["count": .string(String(events.count)), "error": .string("\(error)")])
        }
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await Task.pause(for: interval)
            await flush()
        }
        await flush()
    }
}
