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
}
