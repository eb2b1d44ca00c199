// pricing's batch call (`POST /prices`): a tenant's sell prices for many supplier offers at once,
// each marked up by the rule that fits it best, guarded, converted and rounded (docs/pricing.md).

import FoundationEssentials

/// One supplier offer as pricing needs to see it.
public struct PriceableOffer: Codable, Sendable, Equatable {
    /// The caller's key for it, echoed in the answer.
    public var id: String
    public var supplier: String
    public var masterHotelId: Int64?
    /// ISO 3166 alpha-2.
    public var countryCode: String?
    public var city: String?
    public var stars: Int?
    public var board: Board
    public var refundable: Bool
    public var checkIn: CalendarDate
    /// What the supplier charges for the whole stay.
    public var net: Money
    /// The lowest price the supplier lets it be sold for (a mandatory selling rate), when it has one.
    public var minimumSell: Money?

    public init(
        id: String, supplier: String, masterHotelId: Int64?, countryCode: String?, city: String?, stars: Int?, board: Board, refundable: Bool,
        checkIn: CalendarDate, net: Money, minimumSell: Money? = nil
    ) {
        self.id = id
        self.supplier = supplier
        self.masterHotelId = masterHotelId
        self.countryCode = countryCode
        self.city = city
        self.stars = stars
        self.board = board
        self.refundable = refundable
        self.checkIn = checkIn
        self.net = net
        self.minimumSell = minimumSell
    }

    enum CodingKeys: String, CodingKey {
        case id, supplier, masterHotelId = "master_hotel_id", countryCode = "country_code", city, stars, board, refundable, checkIn = "check_in", net
        case minimumSell = "minimum_sell"
    }
}

public struct PriceBatchRequest: Codable, Sendable {
    public var tenantId: String
    /// The currency to sell in.
    public var currency: String
    /// The day the booking would be made (for booking-window rules); today (UTC) when absent.
    public var bookingDate: CalendarDate?
    public var offers: [PriceableOffer]

    public init(tenantId: String, currency: String, bookingDate: CalendarDate? = nil, offers: [PriceableOffer]) {
        self.tenantId = tenantId
        self.currency = currency
        self.bookingDate = bookingDate
        self.offers = offers
    }

    enum CodingKeys: String, CodingKey { case tenantId = "tenant_id", currency, bookingDate = "booking_date", offers }
}

/// One offer's price, or why it has none (no exchange rate for its currency).
public struct PricedOffer: Codable, Sendable, Equatable {
    public var id: String
    /// The sell price, in the asked currency, rounded to its minor units.
    public var sell: Money?
    /// The net, converted to the asked currency (for the platform's own records, never shown to a distributor).
    public var net: Money?
    /// The rule that set the markup (nil: none matched, the offer sells at net plus the guards).
    public var ruleId: String?
    /// `min_margin` or `minimum_sell` when a guard raised the price.
    public var guardApplied: String?
    public var unpriced: String?

    public init(id: String, sell: Money?, net: Money?, ruleId: String?, guardApplied: String?, unpriced: String?) {
        self.id = id
        self.sell = sell
        self.net = net
        self.ruleId = ruleId
        self.guardApplied = guardApplied
        self.unpriced = unpriced
    }

    enum CodingKeys: String, CodingKey { case id, sell, net, ruleId = "rule_id", guardApplied = "guard", unpriced }
}

public struct PriceBatchResult: Codable, Sendable {
    public var offers: [PricedOffer]
    public init(offers: [PricedOffer]) { self.offers = offers }
}
