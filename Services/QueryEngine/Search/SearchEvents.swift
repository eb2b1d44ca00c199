// `search.performed` for BI, one per search, published straight to RabbitMQ (query-engine keeps no
// database, so no outbox). Never in the search's way: events wait in memory (at most 10,000) and a
// background publisher sends whatever is waiting in one batch with confirms; when the broker is
// down, or the buffer is full, events are dropped and counted (`search_events_dropped_total`):
// BI's search counts then miss them, searches do not. Sent transient: the broker keeps them in
// memory, not on disk (half its work per search); a broker restart loses those still queued.

import FoundationEssentials
import Logging
import NIOConcurrencyHelpers
import Prometheus
import ServiceLifecycle
import Shared

final class SearchEvents: Service, Sendable {
    static let capacity = 10_000

    let publisher: EventPublisher?
    let logger: Logger
    let dropped: Counter
    private let waiting = NIOLockedValueBox<[EventEnvelope]>([])
    private let wake = WakeSignal()

    init(publisher: EventPublisher?, registry: PrometheusCollectorRegistry, logger: Logger) {
        self.publisher = publisher
        self.logger = logger
        dropped = registry.makeCounter(name: "search_events_dropped_total")
    }

    func performed(_ query: SearchQuery, searchId: String, hotels: Int, tenant: String, latency: Duration, trace: TraceContext) {
        let destination: String
        switch query.place {
        case .city(let city, let country): destination = "city:" + city + (country.map { "," + $0 } ?? "")
        case .near(let latitude, let longitude, let radius): destination = "near:\(latitude),\(longitude),\(radius)"
        case .hotels(let ids): destination = "hotels:\(ids.count)"
        }
        let data = SearchPerformed(
            searchId: searchId, destination: destination, checkIn: query.checkIn, checkOut: query.checkOut, rooms: query.rooms.count,
            currency: query.currency, hotels: hotels, latencyMs: Int(latency.milliseconds))
        guard publisher != nil, let event = try? EventEnvelope(type: SearchPerformed.type, producer: "query-engine", tenantId: tenant, trace: trace, payload: data)
        else { return }
        let kept = waiting.withLockedValue { events in
            guard events.count < Self.capacity else { return false }
            events.append(event)
            return true
        }
        if kept { wake.signal() } else { dropped.increment() }
    }

    /// Events waiting to be published.
    var backlog: Int { waiting.withLockedValue { $0.count } }

    func run() async throws {
        guard let publisher else { return }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let batch = waiting.withLockedValue { events in
                defer { events.removeAll(keepingCapacity: true) }
                return events
            }
            if batch.isEmpty {
                await wake.wait(timeout: .seconds(1))
                continue
            }
            do {
                try await publisher.publish(batch, persistent: false)
            } catch {
                dropped.increment(by: Int64(batch.count))
                logger.debug("search events dropped", metadata: ["count": .stringConvertible(batch.count), "error": .string("\(error)")])
            }
        }
    }
}
