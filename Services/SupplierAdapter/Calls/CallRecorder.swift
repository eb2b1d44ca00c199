// Every supplier call becomes a metric at once and a `supplier.call` event within half a second:
// events are gathered in memory and written to the outbox in one insert per flush, so a busy
// search costs no database round trip per call. Bounded: past 20,000 waiting, new ones are dropped
// and counted (metrics keep counting them all); and past 10,000 price quotes waiting (a busy spell of
// city searches), events go without their quotes: matching learns prices from a sample then.

import FoundationEssentials
import Logging
import NIOConcurrencyHelpers
import Prometheus
import ServiceLifecycle
import Shared

final class CallRecorder: Service, Sendable {
    let capacity: Int
    let quoteCapacity: Int
    static let buckets: [Duration] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30].map { .milliseconds(Int($0 * 1000)) }

    private let pending = NIOLockedValueBox<(events: [EventEnvelope], quotes: Int)>(([], 0))
    private let pool: PostgresPool
    private let registry: PrometheusCollectorRegistry
    private let logger: Logger
    private let interval: Duration

    init(
        pool: PostgresPool, registry: PrometheusCollectorRegistry, logger: Logger, interval: Duration = .milliseconds(500), capacity: Int = 20_000,
        quoteCapacity: Int = 10_000
    ) {
        self.capacity = capacity
        self.quoteCapacity = quoteCapacity
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
        let quotes = call.quotes?.count ?? 0
        // Room for its quotes is taken now; the event is added once encoded.
        let room: Bool? = pending.withLockedValue { waiting in
            guard waiting.events.count < capacity else { return nil }
            guard waiting.quotes + quotes <= quoteCapacity else { return false }
            waiting.quotes += quotes
            return true
        }
        guard let room else { return registry.makeCounter(name: "supplier_call_events_dropped_total", labels: []).increment() }
        var sent = call
        if !room {
            sent.stay = nil
            sent.quotes = nil
            registry.makeCounter(name: "supplier_call_quotes_dropped_total", labels: []).increment(by: Int64(quotes))
        }
        let event = EventEnvelope(type: SupplierCallEvent.type, producer: "supplier-adapter", tenantId: nil, traceId: nil, data: sent.payload)
        let accepted = pending.withLockedValue { waiting in
            guard waiting.events.count < capacity else { return false }
            waiting.events.append(event)
            return true
        }
        if !accepted { registry.makeCounter(name: "supplier_call_events_dropped_total", labels: []).increment() }
    }

    /// The events waiting for the next flush.
    var waiting: [EventEnvelope] { pending.withLockedValue { $0.events } }

    /// Writes what is waiting to the outbox; the relay publishes it.
    func flush() async {
        let events = pending.withLockedValue { waiting in
            defer { waiting = ([], 0) }
            return waiting.events
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
