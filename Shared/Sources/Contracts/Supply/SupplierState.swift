// A registered supplier as supplier-adapter reports it to the other services (`GET /suppliers`).

public enum SupplierStatus: String, Codable, Sendable, CaseIterable {
    /// Normal.
    case active
    /// The supplier said (by webhook) it is degraded: calls go out, callers may rank it lower.
    case degraded
    /// The supplier said it is down for maintenance: no calls go out.
    case suspended
}

public struct SupplierState: Codable, Sendable, Equatable {
    public let code: String
    public let name: String
    /// `bedbank_json` or `ota_xml`.
    public let `protocol`: String
    public let enabled: Bool
    public let status: SupplierStatus
    /// `closed`, `half_open` or `open`.
    public let breaker: String

    public init(code: String, name: String, protocol: String, enabled: Bool, status: SupplierStatus, breaker: String) {
        self.code = code
        self.name = name
        self.protocol = `protocol`
        self.enabled = enabled
        self.status = status
        self.breaker = breaker
    }

    /// Whether calls to it go out at all.
    public var isCallable: Bool { enabled && status != .suspended }
}

/// `POST /suppliers/{code}/bookings/{reference}/cancellation`.
public struct CancellationRequest: Codable, Sendable {
    public var simulate: Bool
    public init(simulate: Bool) { self.simulate = simulate }
}
