// pricing's internal API: `GET /exchange-rates` (every rate against the base currency) and
// `POST /prices` (a batch of offers priced for a tenant).

public struct PricingClient: Sendable {
    public let service: ServiceClient

    public init(baseURL: String, http: HTTP1Client) {
        service = ServiceClient(.pricing, baseURL: baseURL, http: http)
    }

    public func exchangeRates(origin: CallOrigin) async throws -> ExchangeRates {
        try await service.get("/exchange-rates", as: ExchangeRates.self, origin: origin, timeout: .seconds(2))
    }
}

extension PricingClient {
    /// A tenant's sell prices for `request.offers`, in one call (thousands at once are fine).
    public func price(_ request: PriceBatchRequest, origin: CallOrigin, timeout: Duration = .seconds(2)) async throws -> PriceBatchResult {
        try await service.post("/prices", json: request, as: PriceBatchResult.self, origin: origin, timeout: timeout)
    }
}
