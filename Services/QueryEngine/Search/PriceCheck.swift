// Asking the supplier again about one offer before it is booked: AVAILABLE (the same price: the same
// offer_id), PRICE_CHANGED (priced anew for the tenant, with its own new offer_id) or SOLD_OUT.

import FoundationEssentials
import Shared

struct PriceCheck: Sendable {
    let tokens: OfferTokens
    let sources: OfferSources
    let pricing: PricingClient
    let matching: MatchingClient
    let lifetime: Duration

    struct Answer: JSONWritable, Sendable {
        var status: RateCheckStatus
        /// The offer as it stands now (absent when sold out).
        var offer: OfferResult?

        func write(json: inout JSONWriter) {
            json.object {
                $0.field("status", code: status)
                $0.field("offer", offer)
            }
        }
    }

    func check(_ token: String, tenant: String, origin: CallOrigin) async throws -> Answer {
        let terms = try tokens.verify(token, tenant: tenant, now: Int(Date().timeIntervalSince1970))
        let result: RateCheckResult
        do {
            result = try await sources.checkRate(of: terms.supplier, RateCheckRequest(rateKey: terms.rateKey, expectedNet: terms.net.amount), origin: origin, timeout: .seconds(10))
        } catch let ServiceCallError.answered(_, _, _, code, _) where code == "sold_out" {
            return Answer(status: .soldOut, offer: nil)
        } catch {
            throw Problem(.badGateway, code: "price_check_failed", detail: "The supplier could not confirm this offer now; retry, or search again.", headers: [.retryAfter: "2"])
        }
        switch (result.status, result.offer) {
        case (.soldOut, _), (_, nil):
            return Answer(status: .soldOut, offer: nil)
        case (.available, let now?) where now.rateKey != terms.rateKey || now.rateType != terms.rateType:
            // The same price, by the supplier's checked rate (a RECHECK rate is booked by it): a new offer id.
            var checked = terms
            (checked.rateKey, checked.rateType) = (now.rateKey, now.rateType)
            checked.expires = Int(Date().timeIntervalSince1970) + Int(lifetime.components.seconds)
            return Answer(status: .available, offer: Self.offer(checked, token: try tokens.sign(checked)))
        case (.available, _):
            return Answer(status: .available, offer: Self.offer(terms, token: token))
        case (.priceChanged, let now?):
            var renewed = terms
            (renewed.rateKey, renewed.rateType, renewed.net) = (now.rateKey, now.rateType, Money(now.net, now.currency))
            let (sell, netConverted) = try await reprice(now, terms: terms, tenant: tenant, origin: origin)
            (renewed.sell, renewed.cost) = (sell, netConverted)
            // Penalties as search shows them: the same share of the sell price as of the net.
            renewed.cancellationPolicies = CancellationPolicy.scaled(now.cancellationPolicies, net: now.net, sell: renewed.sell)
            renewed.expires = Int(Date().timeIntervalSince1970) + Int(lifetime.components.seconds)
            return Answer(status: .priceChanged, offer: Self.offer(renewed, token: try tokens.sign(renewed)))
        }
    }

    /// The new net priced for the tenant in the currency of the original offer, and converted to it.
    func reprice(_ offer: SupplierOffer, terms: OfferTerms, tenant: String, origin: CallOrigin) async throws -> (sell: Money, net: Amount) {
        let hotel = try? await matching.hotels(ids: [terms.masterHotelId], origin: origin).first
        let request = PriceBatchRequest(tenantId: tenant, currency: terms.sell.currency, offers: [PriceableOffer(
            id: "0", supplier: offer.supplier, masterHotelId: terms.masterHotelId, countryCode: hotel?.countryCode, city: hotel?.city, stars: hotel?.stars,
            board: offer.board, refundable: offer.refundable, checkIn: terms.checkIn, net: Money(offer.net, offer.currency),
            minimumSell: offer.sellingRate.map { Money($0, offer.currency) })])
        guard let priced = try? await pricing.price(request, origin: origin).offers.first, let sell = priced.sell, let net = priced.net else {
            throw Problem(.serviceUnavailable, code: "search_unavailable", detail: "The new price cannot be made now; retry in a moment.", headers: [.retryAfter: "2"])
        }
        return (sell, net.amount)
    }

    static func offer(_ terms: OfferTerms, token: String) -> OfferResult {
        let nights = max(1, terms.checkIn.nights(until: terms.checkOut))
        return OfferResult(
            offerId: token, roomName: terms.roomName, board: terms.board, refundable: terms.refundable, needsPriceCheck: false, total: terms.sell,
            perNight: Money(terms.sell.amount.divided(by: nights, toScale: Currency.minorUnits(terms.sell.currency)), terms.sell.currency),
            cancellationPolicies: terms.cancellationPolicies)
    }
}
