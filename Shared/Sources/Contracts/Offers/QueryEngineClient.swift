// query-engine's internal API for order (the tenant is named in the body: order calls on behalf of
// the distributor whose order it books):
//   POST /offer-checks         OfferCheckRequest -> OfferCheck: the price check of one offer
//   POST /offer-alternatives   OfferCheckRequest -> OfferAlternatives: the same hotel's offers, for
//                              the same stay and guests, from every other supplier, cheapest first

import FoundationEssentials

public struct OfferCheckRequest: Codable, Sendable {
    public var tenantId: String
    public var offerId: String

    public init(tenantId: String, offerId: String) {
        self.tenantId = tenantId
        self.offerId = offerId
    }

    enum CodingKeys: String, CodingKey { case tenantId = "tenant_id", offerId = "offer_id" }
}

/// AVAILABLE (the same offer), PRICE_CHANGED (a new offer id at the new price) or SOLD_OUT.
public struct OfferCheck: Decodable, Sendable {
    public var status: RateCheckStatus
    /// The offer as it stands now; absent when sold out.
    public var offerId: String?

    struct Offer: Decodable { var offerId: String; enum CodingKeys: String, CodingKey { case offerId = "offer_id" } }
    enum CodingKeys: String, CodingKey { case status, offer }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decode(RateCheckStatus.self, forKey: .status)
        offerId = try container.decodeIfPresent(Offer.self, forKey: .offer)?.offerId
    }
}

public struct OfferAlternatives: Codable, Sendable {
    /// Offer ids, cheapest first.
    public var offers: [String]

    public init(offers: [String]) { self.offers = offers }
}

public struct QueryEngineClient: Sendable {
    public let service: ServiceClient

    public init(baseURL: String, http: HTTP1Client) {
        service = ServiceClient(.queryEngine, baseURL: baseURL, http: http)
    }

    public func check(_ request: OfferCheckRequest, origin: CallOrigin) async throws -> OfferCheck {
        try await service.post("/offer-checks", request, as: OfferCheck.self, origin: origin, timeout: .seconds(12))
    }

    public func alternatives(_ request: OfferCheckRequest, origin: CallOrigin) async throws -> OfferAlternatives {
        try await service.post("/offer-alternatives", request, as: OfferAlternatives.self, origin: origin, timeout: .seconds(15))
    }
}
