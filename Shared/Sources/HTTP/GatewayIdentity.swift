// How a service knows that X-Tenant-Id / X-Role come from the gateway: the gateway signs them, with
// the request's method, path and id and the time, under GATEWAY_IDENTITY_SECRET, in
// `X-Gateway-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`. A service sets the caller's
// identity only from a valid signature; identity headers without one are refused.

import FoundationEssentials
import Hummingbird

public struct GatewayIdentity: Sendable {
    /// How far the signature's time may be from the service's clock.
    public static let tolerance = 300
    private let key: HMACKey

    public init(secret: String) {
        key = HMACKey(Digest.hmacSHA256(key: Array(secret.utf8), message: Array("hotel-platform/gateway-identity/v1".utf8)))
    }

    /// The header value for `identity` on a request the gateway sends upstream.
    public func sign(_ identity: CallerIdentity, method: String, path: String, requestId: String, now: Int) -> String {
        SignedHeader.make(timestamp: now, mac: mac(identity, method: method, path: path, requestId: requestId, timestamp: now))
    }

    public func verify(_ header: String, identity: CallerIdentity, method: String, path: String, requestId: String, now: Int) -> Bool {
        (try? SignedHeader.verify(header, now: now, tolerance: Self.tolerance) {
            mac(identity, method: method, path: path, requestId: requestId, timestamp: $0)
        }) != nil
    }

    private func mac(_ identity: CallerIdentity, method: String, path: String, requestId: String, timestamp: Int) -> [UInt8] {
        // The parts one per line, as bytes (joining Strings cost more than the MAC).
        var message: [UInt8] = []
        message.reserveCapacity(128 + path.utf8.count)
        for part in [String(timestamp), identity.tenantId, identity.role, method, path] {
            message.append(contentsOf: part.utf8)
            message.append(UInt8(ascii: "\n"))
        }
        message.append(contentsOf: requestId.utf8)
        return key.authenticate(message)
    }
}

/// In every service behind the gateway: the caller's identity from the gateway's signed headers.
struct GatewayIdentityMiddleware: RouterMiddleware {
    typealias Context = PlatformRequestContext
    /// Nil when the service has no GATEWAY_IDENTITY_SECRET: it then trusts no identity at all.
    let verifier: GatewayIdentity?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let tenant = request.headers.first(.tenantId), role = request.headers.first(.role)
        guard tenant != nil || role != nil else { return try await next(request, context) }
        guard let tenant, let role, let signature = request.headers.first(.gatewaySignature), let verifier,
            verifier.verify(
                signature, identity: CallerIdentity(tenantId: tenant, role: role), method: request.method.rawValue, path: request.uri.path,
                requestId: request.headers.first(.requestId) ?? "", now: Int(Date().timeIntervalSince1970))
        else {
            throw Problem(.unauthorized, code: "untrusted_identity", detail: "X-Tenant-Id and X-Role are accepted only from the gateway; call through /api/v1.")
        }
        var context = context
        context.identity = CallerIdentity(tenantId: tenant, role: role)
        context.logger[metadataKey: "tenantId"] = .string(tenant)
        return try await next(request, context)
    }
}

extension PlatformRequestContext {
    /// The caller the gateway vouched for; 401 when the request did not come through it.
    public func requireIdentity() throws -> CallerIdentity {
        guard let identity else {
            throw Problem(.unauthorized, code: "missing_identity", detail: "This endpoint serves requests routed by the gateway; call it through /api/v1.")
        }
        return identity
    }

    /// An operator the gateway vouched for; 403 for a distributor.
    public func requireOperator() throws -> CallerIdentity {
        let identity = try requireIdentity()
        guard identity.role == "admin" else { throw Problem(.forbidden, code: "forbidden", detail: "Only operators may do this.") }
        return identity
    }
}
