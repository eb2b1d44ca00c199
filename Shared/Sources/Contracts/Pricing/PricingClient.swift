// pricing's internal API: `GET /exchange-rates` (every rate against the base currency) and
// `POST /prices/by-hotel` (a batch of offers priced for a tenant, in its compact shape; `POST /prices`
// takes the same batch offer by offer, and is what a pricing from before the compact shape knows).

import NIOConcurrencyHelpers

public struct PricingClient: Sendable {
    public let service: ServiceClient
    /// Until when to send batches offer by offer: the pricing that answered did not know `/prices/by-hotel`
    /// (an older version during a rolling upgrade).
    private let flatUntil = NIOLockedValueBox<ContinuousClock.Instant?>(nil)

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
        if let until = flatUntil.withLockedValue({ $0 }), ContinuousClock.now < until {
            return try await postFlat(request, origin: origin, timeout: timeout)
        }
        let answer: PriceBatchResult.InOrder
        do {
            answer = try await service.post(
                "/prices/by-hotel", json: PriceBatchRequest.ByHotel(request), as: PriceBatchResult.InOrder.self, origin: origin, timeout: timeout)
        } catch ServiceCallError.answered(_, _, status: 404, _, _) {
            flatUntil.withLockedValue { $0 = .now + .seconds(60) }
            return try await postFlat(request, origin: origin, timeout: timeout)
        }
        guard let result = answer.matched(to: request) else {
            throw ServiceCallError.answered(
                .pricing, path: "/prices/by-hotel", status: 200, code: nil, detail: "\(answer.offers.count) prices for \(request.offers.count) offers")
        }
        return result
    }

    private func postFlat(_ request: PriceBatchRequest, origin: CallOrigin, timeout: Duration) async throws -> PriceBatchResult {
        try await service.post("/prices", json: request, as: PriceBatchResult.self, origin: origin, timeout: timeout)
    }
}
