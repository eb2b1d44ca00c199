// Sends every sampled request's span to an OpenTelemetry collector (OTLP over HTTP, JSON), when one
// is configured: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (the full URL), or `OTEL_EXPORTER_OTLP_ENDPOINT`
// (+ `/v1/traces`); `OTEL_EXPORTER_OTLP_HEADERS` (`key=value,...`, e.g. an API key);
// `OTEL_SERVICE_NAME` (the service's own name). Never in a request's way: spans wait in memory
// (at most 4,096) and go in batches every second; a full buffer or a failed export drops them,
// counted by `otlp_spans_dropped_total`. The probes (/health, /ready, /metrics) are not traced.

import FoundationEssentials
import HTTPTypes
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Prometheus
import ServiceLifecycle

public struct SpanExportSettings: Sendable, Equatable {
    public var url: String
    /// Every export's headers: the JSON content type and OTEL_EXPORTER_OTLP_HEADERS.
    public var headers: HTTPFields = [.contentType: "application/json"]
    public var serviceName: String?

    /// nil when no endpoint is configured (no traces are sent).
    public init?(_ env: EnvironmentVariables) throws {
        let full = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", base = "OTEL_EXPORTER_OTLP_ENDPOINT"
        if env.optional(full) != nil {
            url = try env.url(full, schemes: ["http", "https"], example: "http://otel-collector:4318/v1/traces").absoluteString
        } else if env.optional(base) != nil {
            var root = try env.url(base, schemes: ["http", "https"], example: "http://otel-collector:4318").absoluteString
            while root.hasSuffix("/") { root.removeLast() }
            url = root + "/v1/traces"
        } else {
            return nil
        }
        for pair in (env.optional("OTEL_EXPORTER_OTLP_HEADERS") ?? "").split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).trimmed.percentDecoded ?? "" }
            guard parts.count == 2, let name = HTTPField.Name(parts[0]), !parts[1].isEmpty else {
                throw ConfigurationError(variable: "OTEL_EXPORTER_OTLP_HEADERS", problem: "must be key=value pairs separated by commas, got '\(pair)'")
            }
            headers.append(HTTPField(name: name, value: parts[1]))
        }
        serviceName = env.optional("OTEL_SERVICE_NAME")
    }
}

public final class SpanExporter: Service, Sendable {
    static let capacity = 4096
    static let batchSize = 512

    let settings: SpanExportSettings
    let service: String
    let version: String
    let logger: Logger
    let dropped: Counter
    let http = HTTP1Client(connectTimeout: .seconds(2))
    private let waiting = NIOLockedValueBox<[FinishedSpan]>([])
    private let wake = WakeSignal()

    public init(settings: SpanExportSettings, service: String, version: String, registry: PrometheusCollectorRegistry, logger: Logger) {
        self.settings = settings
        self.service = settings.serviceName ?? service
        self.version = version
        self.logger = logger
        dropped = registry.makeCounter(name: "otlp_spans_dropped_total")
    }

    /// Keeps `span` for the next export (a probe's, or one the caller did not sample, is let go).
    public func finished(_ span: FinishedSpan) {
        guard span.sampled, !AccessLog.probes.contains(span.route) else { return }
        let count = waiting.withLockedValue { spans -> Int? in
            guard spans.count < Self.capacity else { return nil }
            spans.append(span)
            return spans.count
        }
        guard let count else { return dropped.increment() }
        if count == Self.batchSize { wake.signal() }
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await wake.wait(timeout: .seconds(1))
            await exportWaiting()
        }
        // What came in up to the end, once.
        await exportWaiting()
        try? await http.shutdown()
    }

    func exportWaiting() async {
        while true {
            let batch = waiting.withLockedValue { spans -> [FinishedSpan] in
                let batch = Array(spans.prefix(Self.batchSize))
                spans.removeFirst(batch.count)
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let body = try OTLPTraces.body(batch, service: service, version: version)
                let answer = try await http.execute(.post, settings.url, headers: settings.headers, body: ByteBuffer(bytes: body), timeout: .seconds(5))
                guard (200..<300).contains(answer.status.code) else { throw ExportRefused(status: answer.status.code) }
            } catch {
                dropped.increment(by: Int64(batch.count))
                logger.warning("trace export failed: spans dropped", metadata: ["spans": .stringConvertible(batch.count), "error": .string("\(error)")])
                return
            }
        }
    }

    struct ExportRefused: Error { let status: Int }
}
