// What a distributor reads back from a search: hotels with their content, each requested room's
// offers (never the net price or the supplier's name), and how each source answered. Written as
// JSON by hand (JSONWriter): a page holds hundreds of offers.

import FoundationEssentials
import Shared

struct SearchResponse: Sendable {
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
}

struct HotelResult: Sendable {
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
}

struct RoomResult: Sendable {
    /// The requested room (its place in the request).
    var room: Int
    var adults: Int
    var childrenAges: [Int]
    var offers: [OfferResult]
}

struct OfferResult: Sendable {
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
}

struct SourceOutcome: Sendable {
    /// Stable per supplier, and says nothing of which one.
    var source: String
    var outcome: SupplierOutcome
    var latencyMs: Int
    var offers: Int
}

extension SearchResponse: JSONWritable {
    func write(json: inout JSONWriter) {
        json.object {
            $0.field("search_id", searchId)
            $0.field("check_in", checkIn)
            $0.field("check_out", checkOut)
            $0.field("nights", nights)
            $0.field("currency", currency)
            $0.field("total", total)
            $0.field("page", page)
            $0.field("page_size", pageSize)
            $0.key("hotels")
            $0.array(hotels) { $0.value($1) }
            $0.key("sources")
            $0.array(sources) { $0.value($1) }
        }
    }
}

extension HotelResult: JSONWritable {
    func write(json: inout JSONWriter) {
        json.object {
            $0.field("id", id)
            $0.field("name", name)
            $0.field("address", address)
            $0.field("city", city)
            $0.field("country_code", countryCode)
            $0.field("stars", stars)
            $0.key("latitude")
            $0.double(latitude)
            $0.key("longitude")
            $0.double(longitude)
            if let distanceMetres {
                $0.key("distance_metres")
                $0.double(distanceMetres)
            }
            $0.field("cheapest", cheapest)
            $0.key("rooms")
            $0.array(rooms) { $0.value($1) }
        }
    }
}

extension RoomResult: JSONWritable {
    func write(json: inout JSONWriter) {
        json.object {
            $0.field("room", room)
            $0.field("adults", adults)
            $0.key("children_ages")
            $0.array(childrenAges) { $0.int($1) }
            $0.key("offers")
            $0.array(offers) { $0.value($1) }
        }
    }
}

extension OfferResult: JSONWritable {
    func write(json: inout JSONWriter) {
        json.object {
            $0.field("offer_id", offerId)
            $0.field("room_name", roomName)
            $0.field("board", code: board)
            $0.field("refundable", refundable)
            $0.field("needs_price_check", needsPriceCheck)
            $0.field("total", total)
            $0.field("per_night", perNight)
            $0.key("cancellation_policies")
            $0.array(cancellationPolicies) { $0.value($1) }
        }
    }
}

extension SourceOutcome: JSONWritable {
    func write(json: inout JSONWriter) {
        json.object {
            $0.field("source", source)
            $0.field("outcome", code: outcome)
            $0.field("latency_ms", latencyMs)
            $0.field("offers", offers)
        }
    }
}
