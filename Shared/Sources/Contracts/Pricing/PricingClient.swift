// pricing's internal API: `GET /exchange-rates` (every rate against the base currency).

public struct PricingClient: Sendable {
    public let service: ServiceClient

    public init(baseURL: String, http: HTTP1Client) {
        service = ServiceClient(.pricing, baseURL: baseURL, http: http)
    }

    public func exchangeRates(origin: CallOrigin) async throws -> ExchangeRates {
        try await service.get("/exchange-rates", as: ExchangeRates.self, origin: origin, timeout: .seconds(2))
    }
}
