// Forwards a public request to the service that answers it: method, path, query, body, request id
// and trace; the caller's identity as X-Tenant-Id / X-Role from the verified token (never the
// client's). A circuit breaker per upstream fails fast while the upstream is down.

import AsyncHTTPClient
import FoundationEssentials
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import Prometheus
import Shared

struct UpstreamTarget: Sendable {
    var baseURL: String
    var timeout: Duration
}

final class UpstreamProxy: Sendable {
    let client: HTTPClient
    let targets: [Upstream: UpstreamTarget]
    let identity: GatewayIdentity
    let maxResponseBytes = 16 << 20
    private let breakers: NIOLockedValueBox<[Upstream: CircuitBreaker]>
    private let gauges: [Upstream: Gauge]

    /// Headers that describe one hop, or that only the gateway may set.
    static let dropped: Set<String> = [
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
        "host", "content-length", "authorization", "x-tenant-id", "x-role", "x-gateway-signature", "x-request-id", "traceparent",
    ]

    init(client: HTTPClient, targets: [Upstream: UpstreamTarget], identity: GatewayIdentity, policy: BreakerPolicy, registry: PrometheusCollectorRegistry) {
        self.client = client
        self.targets = targets
        self.identity = identity
        breakers = NIOLockedValueBox(Dictionary(uniqueKeysWithValues: Upstream.allCases.map { ($0, CircuitBreaker(policy: policy)) }))
        gauges = Dictionary(uniqueKeysWithValues: Upstream.allCases.map {
            ($0, registry.makeGauge(name: "circuit_breaker_state", labels: [("upstream", $0.rawValue)]))
        })
    }

    func forward(_ request: Request, route: UpstreamRoute, context: PlatformRequestContext) async throws -> Response {
        let upstream = route.upstream
        guard let target = targets[upstream] else {
            throw Problem(.serviceUnavailable, code: "upstream_unconfigured", detail: "No address is configured for \(upstream.rawValue) (\(upstream.urlVariable)).")
        }
        guard permit(upstream) else {
            throw Problem(
                .serviceUnavailable, code: "upstream_circuit_open",
                detail: "\(upstream.rawValue) is failing; the gateway stops calling it for a while. Retry later.",
                extensions: ["upstream": .string(upstream.rawValue)], headers: [.retryAfter: "5"])
        }
        let path = route.upstreamPath(for: request.uri.path[...])
        var outgoing = HTTPClientRequest(url: target.baseURL + path + (request.uri.query.map { "?" + $0 } ?? ""))
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers where !Self.dropped.contains(field.name.canonicalName) {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        outgoing.headers.add(name: "X-Request-Id", value: context.requestId)
        outgoing.headers.add(name: "traceparent", value: context.trace.traceparent)
        if let caller = context.identity {
            outgoing.headers.add(name: "X-Tenant-Id", value: caller.tenantId)
            outgoing.headers.add(name: "X-Role", value: caller.role)
            let signature = identity.sign(caller, method: request.method.rawValue, path: path, requestId: context.requestId, now: Int(Date().timeIntervalSince1970))
            outgoing.headers.add(name: "X-Gateway-Signature", value: signature)
        }
        if request.method != .get && request.method != .head {
            outgoing.body = .bytes(try await request.body.collect(upTo: context.maxUploadSize))
        }
        do {
            let response = try await client.execute(outgoing, timeout: .nanoseconds(Int64(target.timeout.milliseconds * 1_000_000)))
            let body = try await response.body.collect(upTo: maxResponseBytes)
            record(upstream, success: response.status.code < 500)
            var headers = HTTPFields()
            for (name, value) in response.headers {
                guard !Self.dropped.contains(name.lowercased()), let field = HTTPField.Name(name) else { continue }
                headers.append(HTTPField(name: field, value: value))
            }
            return Response(status: .init(code: Int(response.status.code)), headers: headers, body: .init(byteBuffer: body))
        } catch {
            record(upstream, success: false)
            throw Self.problem(for: error, upstream: upstream, timeout: target.timeout)
        }
    }

    static func problem(for error: any Error, upstream: Upstream, timeout: Duration) -> Problem {
        let extensions: [String: ProblemExtension] = ["upstream": .string(upstream.rawValue)]
        if let error = error as? HTTPClientError, [.deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout].contains(error) {
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
