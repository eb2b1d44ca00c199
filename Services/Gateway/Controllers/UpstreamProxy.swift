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
import NIOHTTP1
import NIOPosix
import Prometheus
import Shared

struct UpstreamTarget: Sendable {
    var baseURL: String
    var timeout: Duration
    /// `baseURL` parsed once, at start-up (a URL that is not a base URL is a configuration error there).
    var origin: HTTP1Client.Origin
}

/// What an upstream answered, its dropped headers left out (the rest in the order received).
struct UpstreamAnswer: Sendable {
    var status: HTTPResponseStatus
    var headers: [(name: String, value: String)]
    var body: ByteBuffer
}

final class UpstreamProxy: Sendable {
    let client: HTTP1Client
    let targets: [Upstream: UpstreamTarget]
    let identity: GatewayIdentity
    private let breakers: NIOLockedValueBox<[Upstream: CircuitBreaker]>
    private let gauges: [Upstream: Gauge]

    /// Headers that describe one hop, that only the gateway may set, or that it answers with itself
    /// (Date, Server), lowercase: compared with a name's bytes, any case.
    private static let dropped: [[UInt8]] = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host",
        "content-length", "authorization", "x-tenant-id", "x-role", "x-gateway-signature", "x-request-id", "traceparent", "date", "server", "x-client-ip",
    ].map { Array($0.utf8) }

    static func isDropped(_ name: String) -> Bool {
        let count = name.utf8.count
        // A token's bytes with 0x20 set are its lowercase letters and itself otherwise.
        func matches(_ bytes: some Sequence<UInt8>) -> Bool {
            dropped.contains { candidate in candidate.count == count && zip(candidate, bytes).allSatisfy { $0 == $1 | 0x20 } }
        }
        return name.utf8.withContiguousStorageIfAvailable(matches) ?? matches(name.utf8)
    }

    /// A client's headers that go on upstream: all but the dropped ones.
    static func forwarded(_ fields: HTTPFields) -> HTTP1Client.HeaderLines {
        var lines = HTTP1Client.HeaderLines()
        for field in fields where !isDropped(field.name.canonicalName) { lines.add(field) }
        return lines
    }

    /// The same from NIO's parser (the fast lane).
    static func forwarded(_ headers: HTTPHeaders) -> HTTP1Client.HeaderLines {
        var lines = HTTP1Client.HeaderLines()
        for (name, value) in headers where !isDropped(name) { lines.add(name: name, value: value) }
        return lines
    }

    init(client: HTTP1Client, targets: [Upstream: UpstreamTarget], identity: GatewayIdentity, policy: BreakerPolicy, registry: PrometheusCollectorRegistry) {
        self.client = client
        self.targets = targets
        self.identity = identity
        breakers = NIOLockedValueBox(Dictionary(uniqueKeysWithValues: Upstream.upstreams.map { ($0, CircuitBreaker(policy: policy)) }))
        gauges = Dictionary(uniqueKeysWithValues: Upstream.upstreams.map {
            ($0, registry.makeGauge(name: "circuit_breaker_state", labels: [("upstream", $0.rawValue)]))
        })
    }

    func forward(_ request: Request, route: UpstreamRoute, context: PlatformRequestContext) async throws -> Response {
        let body = request.method == .get || request.method == .head ? nil : try await request.body.collect(upTo: context.maxUploadSize)
        let loop = MultiThreadedEventLoopGroup.currentEventLoop ?? client.group.any()
        let answer = try await call(
            request.method, route: route, path: request.uri.path[...], query: request.uri.query, headers: Self.forwarded(request.headers), body: body,
            caller: context.identity, requestId: context.requestId, trace: context.trace, clientIP: context.clientAddress, on: loop
        ).get()
        return Response(status: .init(code: Int(answer.status.code)), headers: HTTPFields(parsed: answer.headers), body: .init(byteBuffer: answer.body))
    }

    /// The upstream's answer (its dropped headers left out), or a Problem: 503 while its breaker is
    /// open or it has no address, 502 when it cannot be reached, 504 past its timeout.
    func call(
        _ method: HTTPRequest.Method, route: UpstreamRoute, path publicPath: Substring, query: String?, headers forwarded: HTTP1Client.HeaderLines,
        body: ByteBuffer?, caller: CallerIdentity?, requestId: String, trace: TraceContext, clientIP: String? = nil, on loop: any EventLoop
    ) -> EventLoopFuture<UpstreamAnswer> {
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
        // (What is added here was dropped from the client's headers: adding cannot repeat a name.)
        var headers = forwarded
        headers.add(name: HTTPField.Name.requestId.rawName, value: requestId)
        headers.add(name: HTTPField.Name.traceparent.rawName, value: trace.traceparent)
        if let clientIP { headers.add(name: HTTPField.Name.clientIP.rawName, value: clientIP) }
        if let caller {
            headers.add(name: HTTPField.Name.tenantId.rawName, value: caller.tenantId)
            headers.add(name: HTTPField.Name.role.rawName, value: caller.role)
            let signature = identity.sign(caller, method: method.rawValue, path: path, requestId: requestId, now: Int(Date().timeIntervalSince1970))
            headers.add(name: HTTPField.Name.gatewaySignature.rawName, value: signature)
        }
        let pathAndQuery = query.map { path + "?" + $0 } ?? path
        let answered = loop.makePromise(of: UpstreamAnswer.self)
        client.forward(method, target.origin, pathAndQuery, headers: headers, body: body, timeout: target.timeout, on: loop).whenComplete { result in
            switch result {
            case .success(let response):
                self.record(upstream, success: response.head.status.code < 500)
                var kept: [(name: String, value: String)] = []
                kept.reserveCapacity(response.head.headers.count + 8)
                for (name, value) in response.head.headers where !Self.isDropped(name) { kept.append((name, value)) }
                answered.succeed(UpstreamAnswer(status: response.head.status, headers: kept, body: response.body))
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
