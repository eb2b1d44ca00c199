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
    /// A tenant's sell prices for `request.offers`, in order. Past a thousand offers the request is
    /// cut into `batches` sent at once: pricing prices each call on one of its event loops, so a
    /// search's few thousand offers in one call kept its other cores idle (and a body past
    /// MAX_BODY_BYTES, about 3,000 offers, would be refused).
    public func price(_ request: PriceBatchRequest, origin: CallOrigin, timeout: Duration = .seconds(2)) async throws -> PriceBatchResult {
        let batches = Self.batches(of: request.offers.count)
        guard batches.count > 1 else { return try await post(request, origin: origin, timeout: timeout) }
        var answers = [[PricedOffer]](repeating: [], count: batches.count)
        try await withThrowingTaskGroup(of: (Int, PriceBatchResult).self) { group in
            for (number, range) in batches.enumerated() {
                var batch = request
                batch.offers = Array(request.offers[range])
                group.addTask { (number, try await post(batch, origin: origin, timeout: timeout)) }
            }
            for try await (number, answer) in group { answers[number] = answer.offers }
        }
        return PriceBatchResult(offers: Array(answers.joined()))
    }

    /// The offers' batches: as even as can be, at most a thousand offers each, and two at least past
    /// a thousand (both of pricing's event loops at work).
    static func batches(of count: Int) -> [Range<Int>] {
        let batches = count <= 1_000 ? 1 : max(2, (count + 999) / 1_000)
        let size = max(1, (count + batches - 1) / batches)
        return stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
    }

    private func post(_ request: PriceBatchRequest, origin: CallOrigin, timeout: Duration) async throws -> PriceBatchResult {
        try await service.post("/prices", json: request, as: PriceBatchResult.self, origin: origin, timeout: timeout)
    }
}
