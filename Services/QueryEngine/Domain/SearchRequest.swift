// What a distributor asks (`POST /api/v1/search`) and the rules it must keep: one destination, a
// stay of 1 to 30 nights starting between today and 500 days ahead, 1 to 8 rooms of 1 to 8 adults
// and up to 6 children (0-17), a currency, filters, a sort and a page.

import FoundationEssentials
import Shared

struct SearchRequest: Decodable, Sendable {
    struct Destination: Decodable, Sendable {
        var city: String?
        var country: String?
        var latitude: Double?
        var longitude: Double?
        var radiusKm: Double?
        var hotelIds: [Int64]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case city, country, latitude, longitude, radiusKm = "radius_km", hotelIds = "hotel_ids"
        }

        init(city: String? = nil, country: String? = nil, latitude: Double? = nil, longitude: Double? = nil, radiusKm: Double? = nil, hotelIds: [Int64]? = nil) {
            (self.city, self.country, self.latitude, self.longitude, self.radiusKm, self.hotelIds) = (city, country, latitude, longitude, radiusKm, hotelIds)
        }

        init(from decoder: any Decoder) throws {
            try decoder.refuseUnknownKeys(CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            city = try container.decodeIfPresent(String.self, forKey: .city)
            country = try container.decodeIfPresent(String.self, forKey: .country)
            latitude = try container.decodeIfPresent(Double.self, forKey: .latitude)
            longitude = try container.decodeIfPresent(Double.self, forKey: .longitude)
            radiusKm = try container.decodeIfPresent(Double.self, forKey: .radiusKm)
            hotelIds = try container.decodeIfPresent([Int64].self, forKey: .hotelIds)
        }
    }

    struct Filters: Decodable, Sendable {
        var minStars: Int?
        var maxStars: Int?
        var boards: [Board]?
        var refundableOnly: Bool?
        /// On the total sell price of the stay (all rooms), in the asked currency.
        var minPrice: Amount?
        var maxPrice: Amount?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case minStars = "min_stars", maxStars = "max_stars", boards, refundableOnly = "refundable_only", minPrice = "min_price", maxPrice = "max_price"
        }

        init() {}

        init(from decoder: any Decoder) throws {
            try decoder.refuseUnknownKeys(CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            minStars = try container.decodeIfPresent(Int.self, forKey: .minStars)
            maxStars = try container.decodeIfPresent(Int.self, forKey: .maxStars)
            boards = try container.decodeIfPresent([Board].self, forKey: .boards)
            refundableOnly = try container.decodeIfPresent(Bool.self, forKey: .refundableOnly)
            minPrice = try container.decodeIfPresent(Amount.self, forKey: .minPrice)
            maxPrice = try container.decodeIfPresent(Amount.self, forKey: .maxPrice)
        }
    }

    enum Sort: String, Decodable, Sendable { case price, distance, rating }

    var destination: Destination
    var checkIn: CalendarDate
    var checkOut: CalendarDate
    var rooms: [Occupancy]
    var currency: String?
    var nationality: String?
    var filters: Filters?
    var sort: Sort?
    var page: Int?
    var pageSize: Int?

    enum CodingKeys: String, CodingKey {
        case destination, checkIn = "check_in", checkOut = "check_out", rooms, currency, nationality, filters, sort, page, pageSize = "page_size"
    }
}

/// A search that kept every rule, in the form the search runs on.
struct SearchQuery: Sendable, Hashable {
    enum Place: Sendable, Hashable {
        case city(String, country: String?)
        case near(latitude: Double, longitude: Double, radiusKm: Double)
        case hotels([Int64])
    }

    var place: Place
    var checkIn: CalendarDate
    var checkOut: CalendarDate
    var rooms: [Occupancy]
    var currency: String
    var nationality: String?
    var minStars: Int?
    var maxStars: Int?
    var boards: Set<Board>?
    var refundableOnly: Bool
    var minPrice: Amount?
    var maxPrice: Amount?
    var sort: SearchRequest.Sort
    var page: Int
    var pageSize: Int

    var nights: Int { checkIn.nights(until: checkOut) }
    /// The different occupancies asked (each is asked of the suppliers once).
    var occupancies: [Occupancy] { rooms.reduce(into: []) { if !$0.contains($1) { $0.append($1) } } }
}

enum SearchRules {
    static let maxNights = 30
    static let maxDaysAhead = 500
    static let maxRooms = 8
    static let maxHotelIds = 500
    static let maxPageSize = 100

    /// The query, or a 400 (malformed) / 422 (well formed but impossible) naming the field.
    static func query(_ request: SearchRequest, today: CalendarDate, defaultCurrency: String) throws -> SearchQuery {
        func bad(_ field: String, _ detail: String) -> Problem {
            Problem(.badRequest, code: "invalid_search", detail: "\(field) \(detail).", extensions: ["field": .string(field)])
        }
        func impossible(_ field: String, _ detail: String) -> Problem {
            Problem(.unprocessableContent, code: "invalid_stay", detail: "\(field) \(detail).", extensions: ["field": .string(field)])
        }
        let place = try place(request.destination, bad)
        let nights = request.checkIn.nights(until: request.checkOut)
        guard nights >= 1, nights <= maxNights else { throw impossible("check_out", "must be 1 to \(maxNights) nights after check_in (got \(nights))") }
        guard request.checkIn >= today else { throw impossible("check_in", "must not be in the past (today is \(today), UTC)") }
        guard today.nights(until: request.checkIn) <= maxDaysAhead else { throw impossible("check_in", "must be at most \(maxDaysAhead) days ahead") }
        guard (1...maxRooms).contains(request.rooms.count) else { throw bad("rooms", "must list 1 to \(maxRooms) rooms") }
        for (index, room) in request.rooms.enumerated() {
            guard (1...8).contains(room.adults) else { throw bad("rooms[\(index)].adults", "must be 1 to 8") }
            guard room.childrenAges.count <= 6, room.childrenAges.allSatisfy({ (0...17).contains($0) }) else {
                throw bad("rooms[\(index)].children_ages", "must list at most 6 ages of 0 to 17")
            }
        }
        let currency = request.currency ?? defaultCurrency
        guard Currency.isCode(currency) else { throw bad("currency", "must be an ISO 4217 code of three capital letters, like EUR") }
        if let nationality = request.nationality, nationality.count != 2 || !nationality.utf8.allSatisfy({ (65...90).contains($0) }) {
            throw bad("nationality", "must be an ISO 3166 code of two capital letters, like FR")
        }
        let filters = request.filters ?? SearchRequest.Filters()
        for (field, stars) in [("filters.min_stars", filters.minStars), ("filters.max_stars", filters.maxStars)] {
            if let stars, !(0...5).contains(stars) { throw bad(field, "must be 0 to 5") }
        }
        if let low = filters.minStars, let high = filters.maxStars, low > high { throw bad("filters.min_stars", "must not be above max_stars") }
        if let low = filters.minPrice, low < .zero { throw bad("filters.min_price", "must not be negative") }
        if let low = filters.minPrice, let high = filters.maxPrice, low > high { throw bad("filters.min_price", "must not be above max_price") }
        let page = request.page ?? 1, pageSize = request.pageSize ?? 20
        guard page >= 1, page <= 10_000 else { throw bad("page", "must be 1 or more") }
        guard (1...maxPageSize).contains(pageSize) else { throw bad("page_size", "must be 1 to \(maxPageSize)") }
        let sort = request.sort ?? (place.isNear ? .distance : .price)
        if sort == .distance && !place.isNear { throw bad("sort", "distance needs a destination given as a point (latitude, longitude, radius_km)") }
        return SearchQuery(
            place: place, checkIn: request.checkIn, checkOut: request.checkOut, rooms: request.rooms, currency: currency, nationality: request.nationality,
            minStars: filters.minStars, maxStars: filters.maxStars, boards: filters.boards.map(Set.init), refundableOnly: filters.refundableOnly ?? false,
            minPrice: filters.minPrice, maxPrice: filters.maxPrice, sort: sort, page: page, pageSize: pageSize)
    }

    static func place(_ destination: SearchRequest.Destination, _ bad: (String, String) -> Problem) throws -> SearchQuery.Place {
        let given = [destination.city != nil, destination.latitude != nil || destination.longitude != nil || destination.radiusKm != nil,
                     destination.hotelIds != nil].filter { $0 }.count
        guard given == 1 else { throw bad("destination", "must give exactly one of city, a point (latitude, longitude, radius_km) or hotel_ids") }
        if let city = destination.city {
            if let reason = TextRule(length: 1...100).violation(city) { throw bad("destination.city", reason) }
            if let country = destination.country, country.count != 2 || !country.utf8.allSatisfy({ (65...90).contains($0) }) {
                throw bad("destination.country", "must be an ISO 3166 code of two capital letters, like FR")
            }
            return .city(city, country: destination.country)
        }
        if let ids = destination.hotelIds {
            guard (1...maxHotelIds).contains(ids.count), ids.allSatisfy({ $0 > 0 }) else { throw bad("destination.hotel_ids", "must list 1 to \(maxHotelIds) master hotel ids") }
            return .hotels(ids.reduce(into: []) { if !$0.contains($1) { $0.append($1) } })
        }
        guard let latitude = destination.latitude, let longitude = destination.longitude, let radius = destination.radiusKm,
            (-90...90).contains(latitude), (-180...180).contains(longitude), radius > 0, radius <= 50
        else { throw bad("destination", "a point needs latitude (-90 to 90), longitude (-180 to 180) and radius_km (above 0, at most 50)") }
        return .near(latitude: latitude, longitude: longitude, radiusKm: radius)
    }
}

extension SearchQuery.Place {
    var isNear: Bool { if case .near = self { true } else { false } }
}
