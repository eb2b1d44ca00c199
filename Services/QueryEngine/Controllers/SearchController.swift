// The distributor's search API (through the gateway):
//   POST /api/v1/search                            SearchRequest -> SearchResponse
//   POST /api/v1/offers/{offer_id}/price-check     AVAILABLE | PRICE_CHANGED (a new offer) | SOLD_OUT
//   GET  /api/v1/hotels/{id}                       one master hotel's content
//   GET  /api/v1/hotels?city=...[&country=..&page=..&page_size=..]   a destination's hotels, paged
// Order (internal; the tenant named in the body, see QueryEngineClient):
//   POST /offer-checks         the price check of one offer
//   POST /offer-alternatives   the same room elsewhere (order's fallback when a supplier will not book)

import FoundationEssentials
import Hummingbird
import Shared

struct SearchController: Sendable {
    let engine: SearchEngine
    let checks: PriceCheck
    let defaultCurrency: String
    let events: SearchEvents
    let memo: SearchMemo
    let metrics: SearchMetrics

    func add(to router: Router<PlatformRequestContext>) {
        let api = router.group("api/v1")
        api.post("search") { request, context -> Response in
            let caller = try context.requireIdentity()
            let input = try await request.decode(as: SearchRequest.self, context: context)
            let query = try SearchRules.query(input, today: CalendarDate(utc: Date()), defaultCurrency: defaultCurrency)
            let started = ContinuousClock.now
            let key = SearchMemo.Key(tenant: caller.tenantId, query: query)
            if let (response, total) = memo.answer(key, searchId: context.requestId, now: started) {
                metrics.searched(fromMemo: true)
                events.performed(query, searchId: context.requestId, hotels: total, tenant: caller.tenantId, latency: started.duration(to: .now), trace: context.trace)
                return response
            }
            let (outcome, led) = try await memo.search(key, origin: context.origin) { [engine] origin in
                try await engine.search(query, tenant: caller.tenantId, origin: origin)
            }
            let kept = led ? nil : memo.answer(key, searchId: context.requestId)
            metrics.searched(fromMemo: kept != nil)
            events.performed(
                query, searchId: context.requestId, hotels: outcome.response.total, tenant: caller.tenantId, latency: started.duration(to: .now), trace: context.trace)
            if let (response, _) = kept { return response }
            var response = outcome.response
            response.searchId = context.requestId
            return try await offloaded { [response] in PlatformJSON.response(response, capacity: 256 * 1024) }
        }
        api.post("offers/:offer/price-check") { _, context -> Response in
            let caller = try context.requireIdentity()
            return PlatformJSON.response(try await checks.check(try context.parameters.require("offer"), tenant: caller.tenantId, origin: context.origin))
        }
        router.post("offer-checks") { request, context -> Response in
            let input = try await request.decode(as: OfferCheckRequest.self, context: context)
            let tenant = try TextRule.code.check(input.tenantId, field: "tenant_id")
            return PlatformJSON.response(try await checks.check(input.offerId, tenant: tenant, origin: context.origin))
        }
        router.post("offer-alternatives") { request, context -> OfferAlternatives in
            let input = try await request.decode(as: OfferCheckRequest.self, context: context)
            let tenant = try TextRule.code.check(input.tenantId, field: "tenant_id")
            let terms = try checks.tokens.verify(input.offerId, tenant: tenant, now: Int(Date().timeIntervalSince1970))
            return OfferAlternatives(offers: try await engine.alternatives(to: terms, tenant: tenant, origin: context.origin))
        }
        api.get("hotels/:id") { _, context -> HotelContent in
            _ = try context.requireIdentity()
            let text = try context.parameters.require("id")
            guard let id = Int64(text), id > 0 else { throw Problem(.badRequest, code: "invalid_hotel_id", detail: "'\(text.prefix(40))' is not a hotel id.") }
            guard let hotel = try await engine.resolve(.hotels([id]), origin: context.origin).first else {
                throw Problem(.notFound, code: "unknown_hotel", detail: "There is no hotel \(id).")
            }
            return HotelContent(hotel)
        }
        api.get("hotels") { request, context -> HotelPage in
            _ = try context.requireIdentity()
            let parameters = request.uri.queryParameters
            guard let city = parameters["city"].map(String.init) else { throw Problem(.badRequest, code: "invalid_query", detail: "city is required.") }
            let destination = SearchRequest.Destination(city: city, country: parameters["country"].map(String.init))
            let place = try SearchRules.place(destination) { field, detail in Problem(.badRequest, code: "invalid_query", detail: "\(field) \(detail).") }
            let page = try request.queryNumber("page", 1...10_000, default: 1)
            let size = try request.queryNumber("page_size", 1...100, default: 20)
            let hotels = try await engine.resolve(place, origin: context.origin)
            let start = (page - 1) * size
            return HotelPage(total: hotels.count, page: page, pageSize: size, hotels: start < hotels.count ? hotels[start..<min(start + size, hotels.count)].map(HotelContent.init) : [])
        }
    }
}

/// A hotel's content as distributors see it (no supplier codes).
struct HotelContent: ResponseEncodable {
    var id: Int64
    var name: String
    var address: String
    var city: String
    var countryCode: String
    var stars: Int?
    var chain: String?
    var latitude: Double
    var longitude: Double

    init(_ hotel: MasterHotel) {
        (id, name, address, city, countryCode, stars, chain, latitude, longitude) =
            (hotel.id, hotel.name, hotel.address, hotel.city, hotel.countryCode, hotel.stars, hotel.chain, hotel.latitude, hotel.longitude)
    }

    enum CodingKeys: String, CodingKey { case id, name, address, city, countryCode = "country_code", stars, chain, latitude, longitude }
}

struct HotelPage: ResponseEncodable {
    var total: Int
    var page: Int
    var pageSize: Int
    var hotels: [HotelContent]
    enum CodingKeys: String, CodingKey { case total, page, pageSize = "page_size", hotels }
}

extension OfferAlternatives: ResponseEncodable {}
