// The request context every service uses: who asked (request id, trace) and the platform's JSON conventions.

import Hummingbird
import Logging

public struct PlatformRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller's `X-Request-Id`, or one generated for this request.
    public var requestId: String = ""
    /// The W3C trace this request belongs to, with this service's own span.
    public var trace: TraceContext = .root()
    /// Who is calling: set by the gateway from a verified token, and in services from the gateway's headers.
    public var identity: CallerIdentity?
    /// The address the caller connected from.
    public var clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    public var requestDecoder: PlatformJSON.RequestDecoder { .init() }
    public var responseEncoder: PlatformJSON.ResponseEncoder { .init() }
}

/// The tenant and role a request acts for.
public struct CallerIdentity: Sendable, Equatable {
    public var tenantId: String
    /// `distributor` or `admin`.
    public var role: String
    /// The API key the token was issued for, where known (in the gateway).
    public var keyId: String?

    public init(tenantId: String, role: String, keyId: String? = nil) {
        self.tenantId = tenantId
        self.role = role
        self.keyId = keyId
    }
}
