// Turns thrown errors into problem+json, then times and counts every request (errors included) and
// writes one access log line.

import Hummingbird
import Logging

struct ObservationMiddleware: RouterMiddleware {
    typealias Context = PlatformRequestContext
    let metrics: HTTPMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        var failure: String?
        do {
            response = try await next(request, context)
        } catch {
            let problem = Problem.from(error)
            if problem.status.code >= 500 { failure = String(reflecting: error) }
            response = problem.response(requestId: context.requestId)
        }
        AccessLog.record(
            metrics, logger: context.logger, method: request.method.rawValue, route: context.endpointPath ?? "unmatched", path: request.uri.path,
            status: response.status.code, duration: start.duration(to: .now), failure: failure, span: context.trace)
        return response
    }
}

/// What every request leaves behind, whoever answered it (a route, or a channel handler ahead of
/// the router): its metrics and one access log line.
public enum AccessLog {
    /// `requestId` and `trace`, when given, go into the line as if attached to `logger` (a caller
    /// without a request's logger saves making one). The request's span (`span`, else `trace`) is
    /// exported when traces are.
    public static func record(
        _ metrics: HTTPMetrics, logger: Logger, method: String, route: String, path: String, status: Int, duration: Duration, failure: String? = nil,
        requestId: String? = nil, trace: TraceContext? = nil, span: TraceContext? = nil
    ) {
        metrics.record(route: route, method: method, status: status, duration: duration)
        if let spans = metrics.spans, let context = span ?? trace {
            spans.finished(FinishedSpan(trace: context, method: method, route: route, status: status, duration: duration))
        }
        let level = Self.level(route: route, status: status)
        var fields: [(key: String, value: LogValue)] = [
            ("method", .string(method)), ("route", .string(route)), ("path", .string(path)), ("status", .integer(status)),
            ("durationMs", .decimal(duration.milliseconds)),
        ]
        if let failure { fields.append(("error", .string(failure))) }
        if let requestId { fields.append(("requestId", .string(requestId))) }
        if let trace { fields += [("traceId", .string(trace.traceId)), ("spanId", .string(trace.spanId))] }
        if let handler = logger.handler as? JSONLogHandler {
            handler.write(level: level, message: "request completed", fields: fields)
        } else {
            logger.log(level: level, "request completed", metadata: Logger.Metadata(fields.map { ($0.key, $0.value.metadata) }, uniquingKeysWith: { $1 }))
        }
    }
}

extension AccessLog {
    /// What orchestrators and Prometheus ask every few seconds: logged at debug, never traced.
    public static let probes: Set<String> = ["/health", "/ready", "/metrics"]

    /// Probes (asked every few seconds by orchestrators and Prometheus) at debug: the readiness
    /// probe logs a dependency's change of state once instead. A 503 (a dependency unavailable,
    /// said once by the probe too) at warning; any other 5xx at error.
    static func level(route: String, status: Int) -> Logger.Level {
        switch (route, status) {
        case (let route, _) where probes.contains(route): .debug
        case (_, 503): .warning
        case (_, 500...): .error
        default: .info
        }
    }
}

extension Duration {
    /// Milliseconds, to the microsecond.
    public var milliseconds: Double {
        let (seconds, attoseconds) = components
        let micros = Double(seconds) * 1_000_000 + Double(attoseconds / 1_000_000_000_000)
        return micros / 1000
    }
}
