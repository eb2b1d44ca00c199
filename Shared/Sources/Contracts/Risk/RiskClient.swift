// risk's internal API for order: assessments and credit reservations (see AssessmentContracts and
// CreditContracts). Each call is idempotent by order id: asking again answers what was answered.

public struct RiskClient: Sendable {
    public let service: ServiceClient

    public init(baseURL: String, http: HTTP1Client) {
        service = ServiceClient(.risk, baseURL: baseURL, http: http)
    }

    public func assess(_ request: AssessmentRequest, origin: CallOrigin) async throws -> Assessment {
        try await service.post("/assessments", request, as: Assessment.self, origin: origin, timeout: .seconds(5))
    }

    public func assessment(of order: String, origin: CallOrigin) async throws -> Assessment {
        try await service.get("/assessments/\(order.percentEncoded)", as: Assessment.self, origin: origin, timeout: .seconds(5))
    }

    /// The currency of the tenant's credit account: reservations are made in it.
    public func accountCurrency(of tenant: String, origin: CallOrigin) async throws -> String {
        struct Account: Decodable { var currency: String }
        return try await service.get("/credit/accounts/\(tenant.percentEncoded)", as: Account.self, origin: origin, timeout: .seconds(5)).currency
    }

    public func reserve(_ request: CreditReserveRequest, origin: CallOrigin) async throws -> CreditReservation {
        try await service.post("/credit/reservations", request, as: CreditReservation.self, origin: origin, timeout: .seconds(5))
    }

    public func reservation(of order: String, origin: CallOrigin) async throws -> CreditReservation {
        try await service.get("/credit/reservations/\(order.percentEncoded)", as: CreditReservation.self, origin: origin, timeout: .seconds(5))
    }

    public enum Operation: String, Sendable { case capture, release, refund }

    /// Capture (nil: all of it), release, or refund `amount` of what was captured.
    public func apply(_ operation: Operation, to order: String, amount: Money? = nil, origin: CallOrigin) async throws -> CreditReservation {
        try await service.post(
            "/credit/reservations/\(order.percentEncoded)/\(operation.rawValue)", CreditAmountRequest(amount: amount), as: CreditReservation.self, origin: origin,
            timeout: .seconds(5))
    }
}
