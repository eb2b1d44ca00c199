// Asking a supplier what it has: by its hotel codes or around a point, for one stay and occupancy.

import FoundationEssentials

public struct GeoArea: Hashable, Codable, Sendable {
    public var latitude: Double
    public var longitude: Double
    public var radiusKm: Double

    public init(latitude: Double, longitude: Double, radiusKm: Double) {
        self.latitude = latitude
        self.longitude = longitude
        self.radiusKm = radiusKm
    }

    enum CodingKeys: String, CodingKey { case latitude, longitude, radiusKm = "radius_km" }
}

public struct AvailabilityQuery: Hashable, Codable, Sendable {
    public var checkIn: CalendarDate
    public var checkOut: CalendarDate
    public var occupancy: Occupancy
    /// The supplier's hotel codes; or `area`.
    public var hotelCodes: [String]?
    public var area: GeoArea?

    public init(checkIn: CalendarDate, checkOut: CalendarDate, occupancy: Occupancy, hotelCodes: [String]? = nil, area: GeoArea? = nil) {
        self.checkIn = checkIn
        self.checkOut = checkOut
        self.occupancy = occupancy
        self.hotelCodes = hotelCodes
        self.area = area
    }

    /// The stay asked, whatever the hotels: `2026-12-01/2026-12-03/2` (adults), `.../2+4,9` with
    /// children's ages. Prices are comparable across suppliers only for one stay.
    public var stay: String {
        let guests = occupancy.childrenAges.isEmpty ? "\(occupancy.adults)" : "\(occupancy.adults)+" + occupancy.childrenAges.sorted().map(String.init).joined(separator: ",")
        return "\(checkIn)/\(checkOut)/\(guests)"
    }

    enum CodingKeys: String, CodingKey { case checkIn = "check_in", checkOut = "check_out", occupancy, hotelCodes = "hotel_codes", area }
}

extension AvailabilityQuery {
    public static let maximumNights = 30
    public static let maximumHotelCodes = 2000

    /// A clear 400 naming the field when the question cannot be put to a supplier.
    public func validate() throws {
        let query = self
        let nights = query.checkIn.nights(until: query.checkOut)
        guard nights >= 1, nights <= Self.maximumNights else {
            throw Problem(.badRequest, code: "invalid_stay", detail: "check_out must be 1 to \(Self.maximumNights) nights after check_in.")
        }
        guard (1...8).contains(query.occupancy.adults), query.occupancy.childrenAges.count <= 6, query.occupancy.childrenAges.allSatisfy({ (0...17).contains($0) }) else {
            throw Problem(.badRequest, code: "invalid_occupancy", detail: "occupancy needs 1 to 8 adults and at most 6 children aged 0 to 17.")
        }
        switch (query.hotelCodes, query.area) {
        case (let codes?, nil):
            guard (1...Self.maximumHotelCodes).contains(codes.count), codes.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 64 }) else {
                throw Problem(.badRequest, code: "invalid_hotel_codes", detail: "hotel_codes needs 1 to \(Self.maximumHotelCodes) codes of at most 64 characters.")
            }
        case (nil, let area?):
            guard (-90...90).contains(area.latitude), (-180...180).contains(area.longitude), area.radiusKm > 0, area.radiusKm <= 50 else {
                throw Problem(.badRequest, code: "invalid_area", detail: "area needs a latitude (-90..90), a longitude (-180..180) and a radius_km above 0, at most 50.")
            }
        default:
            throw Problem(.badRequest, code: "invalid_query", detail: "Give either hotel_codes or area, not both and not neither.")
        }
    }
}

public struct AvailabilityResult: Hashable, Codable, Sendable {
    public var supplier: String
    public var offers: [SupplierOffer]

    public init(supplier: String, offers: [SupplierOffer]) {
        self.supplier = supplier
        self.offers = offers
    }
}

public enum RateCheckStatus: String, Codable, Sendable {
    case available = "AVAILABLE", priceChanged = "PRICE_CHANGED", soldOut = "SOLD_OUT"
}

public struct RateCheckRequest: Hashable, Codable, Sendable {
    public var rateKey: String
    /// The net price the caller saw; a different price now makes the answer PRICE_CHANGED.
    public var expectedNet: Amount?

    public init(rateKey: String, expectedNet: Amount? = nil) {
        self.rateKey = rateKey
        self.expectedNet = expectedNet
    }

    enum CodingKeys: String, CodingKey { case rateKey = "rate_key", expectedNet = "expected_net" }
}

/// The rate as the supplier sells it now; `offer` is absent when sold out.
public struct RateCheckResult: Hashable, Codable, Sendable {
    public var status: RateCheckStatus
    public var offer: SupplierOffer?

    public init(status: RateCheckStatus, offer: SupplierOffer?) {
        self.status = status
        self.offer = offer
    }
}
