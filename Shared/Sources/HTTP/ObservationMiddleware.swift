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
        let duration = start.duration(to: .now)
        let route = context.endpointPath ?? "unmatched"
        metrics.record(route: route, method: request.method.rawValue, status: response.status.code, duration: duration)
        var fields: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "route": .string(route),
            "path": .string(request.uri.path),
            "status": .stringConvertible(response.status.code),
            "durationMs": .stringConvertible(Double(duration.milliseconds)),
        ]
        if let failure { fields["error"] = .string(failure) }
        context.logger.log(level: response.status.code >= 500 ? .error : .info, "request completed", metadata: fields)
        return response
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
