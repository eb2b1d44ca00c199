// What a distributor reads back from a search: hotels with their content, each requested room's
// offers (never the net price or the supplier's name), and how each source answered.

import FoundationEssentials
import Shared

struct SearchResponse: Encodable, Sendable {
    var searchId: String
    var checkIn: CalendarDate
    var checkOut: CalendarDate
    var nights: Int
    var currency: String
    /// Hotels with an offer for every requested room, after the filters.
    var total: Int
    var page: Int
    var pageSize: Int
    var hotels: [HotelResult]
    /// One per supplier asked, under an opaque id.
    var sources: [SourceOutcome]

    enum CodingKeys: String, CodingKey {
        case searchId = "search_id", checkIn = "check_in", checkOut = "check_out", nights, currency, total, page, pageSize = "page_size", hotels, sources
    }
}

struct HotelResult: Encodable, Sendable {
    var id: Int64
    var name: String
    var address: String
    var city: String
    var countryCode: String
    var stars: Int?
    var latitude: Double
    var longitude: Double
    var distanceMetres: Double?
    /// The cheapest offer of every room, summed.
    var cheapest: Money
    var rooms: [RoomResult]

    enum CodingKeys: String, CodingKey {
        case id, name, address, city, countryCode = "country_code", stars, latitude, longitude, distanceMetres = "distance_metres", cheapest, rooms
    }
}

struct RoomResult: Encodable, Sendable {
    /// The requested room (its place in the request).
    var room: Int
    var adults: Int
    var childrenAges: [Int]
    var offers: [OfferResult]

    enum CodingKeys: String, CodingKey { case room, adults, childrenAges = "children_ages", offers }
}

struct OfferResult: Encodable, Sendable {
    var offerId: String
    var roomName: String
    var board: Board
    var refundable: Bool
    /// True when the rate must be price-checked before booking.
    var needsPriceCheck: Bool
    var total: Money
    var perNight: Money
    /// From `from` on, cancelling costs `amount` (in the search's currency).
    var cancellationPolicies: [CancellationPolicy]

    enum CodingKeys: String, CodingKey {
        case offerId = "offer_id", roomName = "room_name", board, refundable, needsPriceCheck = "needs_price_check", total, perNight = "per_night"
        case cancellationPolicies = "cancellation_policies"
    }
}

struct SourceOutcome: Encodable, Sendable {
    /// Stable per supplier, and says nothing of which one.
    var source: String
    var outcome: SupplierOutcome
    var latencyMs: Int
    var offers: Int

    enum CodingKeys: String, CodingKey { case source, outcome, latencyMs = "latency_ms", offers }
}
