// http_requests_total and http_request_duration_seconds, the names the seed's alert rules use,
// labelled by service, route template, method and status.

import NIOConcurrencyHelpers
import Prometheus

public final class HTTPMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let service: String
    /// Where each request's span goes, when traces are exported (OTEL_EXPORTER_OTLP_ENDPOINT).
    public let spans: SpanExporter?

    static let buckets: [Duration] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10].map { .milliseconds(Int($0 * 1000)) }

    public init(service: String, registry: PrometheusCollectorRegistry, spans: SpanExporter? = nil) {
        self.service = service
        self.registry = registry
        self.spans = spans
    }

    func record(route: String, method: String, status: Int, duration: Duration) {
        let key = Series(route: route, method: method, status: status)
        let (requests, durations) = series.withLockedValue { series in
            if let found = series[key] { return found }
            let labels = [("service", service), ("route", route), ("method", method), ("status", String(status))]
            let made = (
                registry.makeCounter(name: "http_requests_total", labels: labels),
                registry.makeDurationHistogram(name: "http_request_duration_seconds", labels: labels, buckets: Self.buckets)
            )
            series[key] = made
            return made
        }
        requests.increment()
        durations.record(duration)
    }

    /// One label set's metrics, found again without building and hashing its labels on every request.
    private struct Series: Hashable {
        let route: String
        let method: String
        let status: Int
    }
    private let series = NIOLockedValueBox([Series: (Counter, DurationHistogram)]())
}
