// PricingClient against a pricing from before the compact batch (`POST /prices/by-hotel`): the
// client falls back to `POST /prices` offer by offer and keeps to it for a while, so a rolling
// upgrade that starts query-engine before pricing loses no search. The shape itself is tested in
// HandWrittenJSONTests; the same prices either way against the real pricing in PricingRulesTests.

import Foundation
import Hummingbird
import NIOConcurrencyHelpers
@testable import Shared
import Testing

@Suite struct PricingClientShapeTests {
    /// An older pricing: only `POST /prices`, each offer sold at its net plus one; every path asked kept.
    final class OlderPricing: Sendable {
        let server = LocalServer()
        let asked = NIOLockedValueBox<[String]>([])

        func start() async throws {
            let router = Router()
            router.middlewares.add(Recorder(asked: asked))
            router.post("/prices") { request, _ -> Response in
                let body = Array(buffer: try await request.body.collect(upTo: 1 << 22))
                let batch = try JSONReader.read(PriceBatchRequest.self, from: body)
                return PlatformJSON.response(PriceBatchResult(offers: batch.offers.map { offer in
                    let sell = Money(offer.net.amount + Amount("1")!, batch.currency)
                    return PricedOffer(id: offer.id, sell: sell, net: Money(offer.net.amount, batch.currency), ruleId: nil, guardApplied: nil, unpriced: nil)
                }))
            }
            router.get("/health") { _, _ in "ok" }
            try await server.start(router)
        }
    }

    struct Recorder: RouterMiddleware {
        let asked: NIOLockedValueBox<[String]>
        func handle(_ request: Request, context: BasicRequestContext, next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
            asked.withLockedValue { $0.append(request.uri.path) }
            return try await next(request, context)
        }
    }

    @Test func anOlderPricingIsAskedOfferByOfferAndKeptToForAWhile() async throws {
        let older = OlderPricing()
        try await older.start()
        defer { Task { await older.server.stop() } }
        let client = PricingClient(baseURL: older.server.base, http: HTTP1Client())
        let offers = (0..<3).map { index in
            PriceableOffer(
                id: "o\(index)", supplier: index == 1 ? "sunbeds" : "globebeds", masterHotelId: 7, countryCode: "FR", city: "Paris", stars: 4,
                board: .roomOnly, refundable: true, checkIn: CalendarDate("2027-06-01")!, net: Money(Amount("\(100 + index).50")!, "EUR"))
        }
        let request = PriceBatchRequest(tenantId: "t-1", currency: "EUR", offers: offers)
        let first = try await client.price(request, origin: .job())
        #expect(first.offers.map(\.id) == ["o0", "o1", "o2"])
        #expect(first.offers.map { $0.sell?.amount.description } == ["101.50", "102.50", "103.50"], "\(first.offers)")
        _ = try await client.price(request, origin: .job())
        let asked = older.asked.withLockedValue { $0 }.filter { $0 != "/health" }
        #expect(asked == ["/prices/by-hotel", "/prices", "/prices"], "the compact shape tried once, then offer by offer: \(asked)")
    }
}
