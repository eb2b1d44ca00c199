// supplier-adapter's internal API, for the services that call it (matching, query-engine, order,
// inventory). The routes are listed in Services/SupplierAdapter/Controllers/SupplierAPIController.swift.

public struct SupplierAdapterClient: Sendable {
    public let service: ServiceClient

    public init(baseURL: String, http: HTTP1Client) {
        service = ServiceClient(.supplierAdapter, baseURL: baseURL, http: http)
    }

    public func suppliers(origin: CallOrigin) async throws -> [SupplierState] {
        try await service.get("/suppliers", as: [SupplierState].self, origin: origin, timeout: .seconds(5))
    }

    /// One page of a supplier's content feed (large: a generous deadline).
    public func hotels(of supplier: String, page: Int, origin: CallOrigin) async throws -> SupplierHotelPage {
        try await service.get("/suppliers/\(supplier.percentEncoded)/hotels?page=\(page)", as: SupplierHotelPage.self, origin: origin, timeout: .seconds(60))
    }

    public func availability(of supplier: String, _ query: AvailabilityQuery, origin: CallOrigin, timeout: Duration) async throws -> AvailabilityResult {
        try await service.post("/suppliers/\(supplier.percentEncoded)/availability", query, reading: AvailabilityResult.self, origin: origin, timeout: timeout)
    }

    /// The rate as the supplier sells it now (AVAILABLE, PRICE_CHANGED with the new offer, SOLD_OUT).
    public func checkRate(of supplier: String, _ request: RateCheckRequest, origin: CallOrigin, timeout: Duration) async throws -> RateCheckResult {
        try await service.post("/suppliers/\(supplier.percentEncoded)/rate-checks", request, as: RateCheckResult.self, origin: origin, timeout: timeout)
    }

    /// Books at the supplier: not idempotent at the supplier, so never retried; a timeout leaves the
    /// outcome unknown (ask `bookings(of:clientReference:)`).
    public func book(at supplier: String, _ request: SupplierBookingRequest, origin: CallOrigin, timeout: Duration) async throws -> SupplierBooking {
        try await service.post("/suppliers/\(supplier.percentEncoded)/bookings", request, as: SupplierBooking.self, origin: origin, timeout: timeout)
    }

    /// The supplier's bookings made with our reference (an order number).
    public func bookings(of supplier: String, clientReference: String, origin: CallOrigin) async throws -> [SupplierBooking] {
        try await service.get(
            "/suppliers/\(supplier.percentEncoded)/bookings?client_reference=\(clientReference.percentEncoded)", as: [SupplierBooking].self, origin: origin,
            timeout: .seconds(30))
    }

    /// Cancels (or, `simulate`, only quotes the penalty of cancelling) a booking by the supplier's reference.
    public func cancel(at supplier: String, reference: String, simulate: Bool, origin: CallOrigin) async throws -> SupplierCancellation {
        try await service.post(
            "/suppliers/\(supplier.percentEncoded)/bookings/\(reference.percentEncoded)/cancellation", ["simulate": simulate], as: SupplierCancellation.self,
            origin: origin, timeout: .seconds(30))
    }

    /// What the supplier bills for stays checking out in `period` (bed-bank suppliers; others answer 422 supplier_rejected).
    public func statement(of supplier: String, _ period: StatementPeriod, origin: CallOrigin) async throws -> [SupplierStatementRow] {
        try await service.get(
            "/suppliers/\(supplier.percentEncoded)/statement?from=\(period.from)&to=\(period.to)", as: [SupplierStatementRow].self, origin: origin, timeout: .seconds(60))
    }
}
