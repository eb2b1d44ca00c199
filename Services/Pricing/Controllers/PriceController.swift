// Prices for query-engine and order (internal), and the operators' "why this price":
//   POST /prices                             PriceBatchRequest -> PriceBatchResult (JSON by hand: JSONReader/JSONWriter)
//   POST /prices/by-hotel                    the same batch grouped by hotel, answered in order (PriceBatch+ByHotel.swift)
//   POST /api/v1/admin/pricing/explain       {tenant_id, currency, booking_date?, offer} -> every step
// Both price from the in-memory rule book (PriceBookLoader) with the minimum margin of config
// `pricing.min_margin` ({"percent": "3"}; none when unset).

import FoundationEssentials
import Hummingbird
import Shared

struct PriceController: Sendable {
    let loader: PriceBookLoader
    let config: ConfigClient?

    static let maxOffers = 10_000

    struct MinMargin: Codable, Sendable {
        var percent: Amount
    }

    struct ExplainRequest: Decodable {
        var tenantId: String
        var currency: String
        var bookingDate: CalendarDate?
        var offer: PriceableOffer
        enum CodingKeys: String, CodingKey { case tenantId = "tenant_id", currency, bookingDate = "booking_date", offer }
    }

    struct Explanation: ResponseEncodable {
        var rule: MarkupRule?
        var tenantGroups: [String]
        var net: Money
        var markup: Money
        var marked: Money
        var minMarginPercent: Amount
        var minMarginFloor: Money
        var minimumSellFloor: Money?
        var guardApplied: String?
        var sell: Money
        var netConverted: Money

        enum CodingKeys: String, CodingKey {
            case rule, tenantGroups = "tenant_groups", net, markup, marked, minMarginPercent = "min_margin_percent", minMarginFloor = "min_margin_floor"
            case minimumSellFloor = "minimum_sell_floor", guardApplied = "guard", sell, netConverted = "net_converted"
        }
    }

    func add(to router: Router<PlatformRequestContext>) {
        router.post("prices") { request, context -> Response in
            let batch = try await PlatformJSON.readBody(PriceBatchRequest.self, from: request, context: context)
            let priced = zip(batch.offers, try prices(of: PriceBatchRequest.ByHotel(batch))).map { offer, price in
                var price = price
                price.id = offer.id
                return price
            }
            return PlatformJSON.response(PriceBatchResult(offers: priced), capacity: 128 * batch.offers.count + 64)
        }
        router.post("prices/by-hotel") { request, context -> Response in
            let batch = try await PlatformJSON.readBody(PriceBatchRequest.ByHotel.self, from: request, context: context)
            let answer = PriceBatchResult.InOrder(currency: batch.currency, offers: try prices(of: batch))
            return PlatformJSON.response(answer, capacity: 80 * answer.offers.count + 64)
        }
        router.post("api/v1/admin/pricing/explain") { request, context -> Explanation in
            _ = try context.requireOperator()
            let input = try await request.decode(as: ExplainRequest.self, context: context)
            try Self.check(tenant: input.tenantId, currency: input.currency)
            let book = try book()
            let groups = book.groups[input.tenantId] ?? []
            let subject = book.subject(input.offer, tenant: input.tenantId, groups: groups, day: input.bookingDate ?? CalendarDate(utc: Date()))
            let margin = minMargin
            do {
                let price = try PriceCalculation.price(subject, currency: input.currency, book: book, minMarginPercent: margin)
                let netCurrency = input.offer.net.currency
                return Explanation(
                    rule: price.rule, tenantGroups: groups.sorted(), net: price.net, markup: Money(price.markup, netCurrency), marked: Money(price.marked, netCurrency),
                    minMarginPercent: margin, minMarginFloor: Money(price.minMarginFloor, netCurrency),
                    minimumSellFloor: price.minimumSellFloor.map { Money($0, netCurrency) }, guardApplied: price.guardApplied, sell: price.sell,
                    netConverted: price.netConverted)
            } catch PriceCalculation.Failure.negative(let field) {
                throw Problem(.unprocessableContent, code: "negative_amount", detail: "Cannot price it: offer.\(field) is below zero.")
            } catch {
                throw Problem(.unprocessableContent, code: "no_exchange_rate", detail: "Cannot price it: \(error). Set the rate first.")
            }
        }
    }

    /// Every offer's price, in order, without ids; an offer that cannot be priced says why.
    func prices(of batch: PriceBatchRequest.ByHotel) throws -> [PricedOffer] {
        try Self.check(tenant: batch.tenantId, currency: batch.currency)
        guard batch.count <= Self.maxOffers else {
            throw Problem(.badRequest, code: "too_many_offers", detail: "Price at most \(Self.maxOffers) offers a call.")
        }
        let book = try book()
        return book.prices(of: batch, terms: PriceTerms(book: book, currency: batch.currency, minMarginPercent: minMargin), today: CalendarDate(utc: Date()))
    }

    var minMargin: Amount { config?.value("pricing.min_margin", as: MinMargin.self, default: MinMargin(percent: .zero)).percent ?? .zero }

    func book() throws -> RuleBook {
        guard let book = loader.book else {
            throw Problem(.serviceUnavailable, code: "prices_not_loaded", detail: "Pricing has not loaded its rules yet; retry in a moment.", headers: [.retryAfter: "1"])
        }
        return book
    }

    static func check(tenant: String, currency: String) throws {
        try TextRule.code.check(tenant, field: "tenant_id")
        guard Currency.isCode(currency) else {
            throw Problem(.badRequest, code: "invalid_currency", detail: "currency must be an ISO 4217 code of three capital letters, like EUR.")
        }
    }
}

extension MarkupRule: ResponseEncodable {}
