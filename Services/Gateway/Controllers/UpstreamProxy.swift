// Forwards a public request to the service that answers it: method, path, query, body, request id
// and trace; the caller's identity as X-Tenant-Id / X-Role from the verified token (never the
// client's), signed. A circuit breaker per upstream fails fast while the upstream is down. Calls go
// over Shared's HTTP1Client: keep-alive, no retries (a refused connection is a 502 at once).

import FoundationEssentials
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Prometheus
import Shared

struct UpstreamTarget: Sendable {
    var baseURL: String
    var timeout: Duration
    /// `baseURL` parsed once, at start-up (a URL that is not a base URL is a configuration error there).
    var origin: HTTP1Client.Origin
}

final class UpstreamProxy: Sendable {
    let client: HTTP1Client
    let targets: [Upstream: UpstreamTarget]
    let identity: GatewayIdentity
    private let breakers: NIOLockedValueBox<[Upstream: CircuitBreaker]>
    private let gauges: [Upstream: Gauge]

    /// Headers that describe one hop, or that only the gateway may set.
    static func isDropped(_ name: HTTPField.Name) -> Bool {
        switch name.canonicalName {
        case "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
            "host", "content-length", "authorization", "x-tenant-id", "x-role", "x-gateway-signature", "x-request-id", "traceparent":
            true
        default: false
        }
    }

    init(client: HTTP1Client, targets: [Upstream: UpstreamTarget], identity: GatewayIdentity, policy: BreakerPolicy, registry: PrometheusCollectorRegistry) {
        self.client = client
        self.targets = targets
        self.identity = identity
        breakers = NIOLockedValueBox(Dictionary(uniqueKeysWithValues: Upstream.allCases.map { ($0, CircuitBreaker(policy: policy)) }))
        gauges = Dictionary(uniqueKeysWithValues: Upstream.allCases.map {
            ($0, registry.makeGauge(name: "circuit_breaker_state", labels: [("upstream", $0.rawValue)]))
        })
    }

    func forward(_ request: Request, route: UpstreamRoute, context: PlatformRequestContext) async throws -> Response {
        let body = request.method == .get || request.method == .head ? nil : try await request.body.collect(upTo: context.maxUploadSize)
        let loop = MultiThreadedEventLoopGroup.currentEventLoop ?? client.group.any()
        let response = try await call(
            request.method, route: route, path: request.uri.path[...], query: request.uri.query, headers: request.headers, body: body,
            caller: context.identity, requestId: context.requestId, trace: context.trace, on: loop
        ).get()
        return Response(status: response.status, headers: response.headers, body: .init(byteBuffer: response.body))
    }

    /// The upstream's answer (its hop and identity headers left out), or a Problem: 503 while its
    /// breaker is open or it has no address, 502 when it cannot be reached, 504 past its timeout.
    func call(
        _ method: HTTPRequest.Method, route: UpstreamRoute, path publicPath: Substring, query: String?, headers received: HTTPFields, body: ByteBuffer?,
        caller: CallerIdentity?, requestId: String, trace: TraceContext, on loop: any EventLoop
    ) -> EventLoopFuture<HTTP1Client.Response> {
        let upstream = route.upstream
        guard let target = targets[upstream] else {
            return loop.makeFailedFuture(Problem(
                .serviceUnavailable, code: "upstream_unconfigured", detail: "No address is configured for \(upstream.rawValue) (\(upstream.urlVariable))."))
        }
        guard permit(upstream) else {
            return loop.makeFailedFuture(Problem(
                .serviceUnavailable, code: "upstream_circuit_open",
                detail: "\(upstream.rawValue) is failing; the gateway stops calling it for a while. Retry later.",
                extensions: ["upstream": .string(upstream.rawValue)], headers: [.retryAfter: "5"]))
        }
        let path = route.upstreamPath(for: publicPath)
        // (What is appended after the filter was dropped by it: appending cannot repeat a name.)
        var headers = HTTPFields()
        for field in received where !Self.isDropped(field.name) { headers.append(field) }
        headers.append(HTTPField(name: .requestId, value: requestId))
        headers.append(HTTPField(name: .traceparent, value: trace.traceparent))
        if let caller {
            headers.append(HTTPField(name: .tenantId, value: caller.tenantId))
            headers.append(HTTPField(name: .role, value: caller.role))
            let signature = identity.sign(caller, method: method.rawValue, path: path, requestId: requestId, now: Int(Date().timeIntervalSince1970))
            headers.append(HTTPField(name: .gatewaySignature, value: signature))
        }
        let pathAndQuery = query.map { path + "?" + $0 } ?? path
        let answered = loop.makePromise(of: HTTP1Client.Response.self)
        client.execute(method, target.origin, pathAndQuery, headers: headers, body: body, timeout: target.timeout, on: loop).whenComplete { result in
            switch result {
            case .success(var response):
                self.record(upstream, success: response.status.code < 500)
                response.headers = HTTPFields(response.headers.filter { !Self.isDropped($0.name) })
                answered.succeed(response)
            case .failure(let error):
                self.record(upstream, success: false)
                answered.fail(Self.problem(for: error, upstream: upstream, timeout: target.timeout))
            }
        }
        return answered.futureResult
    }

    static func problem(for error: any Error, upstream: Upstream, timeout: Duration) -> Problem {
        let extensions: [String: ProblemExtension] = ["upstream": .string(upstream.rawValue)]
        if let error = error as? HTTP1Client.Failure, error == .timeout {
            return Problem(.gatewayTimeout, code: "upstream_timeout", detail: "\(upstream.rawValue) did not answer within \(timeout).", extensions: extensions)
        }
        return Problem(.badGateway, code: "upstream_unavailable", detail: "\(upstream.rawValue) could not be reached or broke off the response.", extensions: extensions)
    }

    private func permit(_ upstream: Upstream) -> Bool {
        let (allowed, state) = breakers.withLockedValue { breakers in
            (breakers[upstream]!.permit(at: .now), breakers[upstream]!.gaugeValue)
        }
        gauges[upstream]?.set(Double(state))
        return allowed
    }

    private func record(_ upstream: Upstream, success: Bool) {
        let state = breakers.withLockedValue { breakers in
            breakers[upstream]!.record(success: success, at: .now)
            return breakers[upstream]!.gaugeValue
        }
        gauges[upstream]?.set(Double(state))
    }
}
