// A hotel as matching compares it: a supplier record or a master hotel, normalized once.

import Shared

struct HotelProfile: Sendable, Equatable {
    var nameTokens: [String]
    /// The name without what feeds add in brackets ("Hotel X (Shibuya)" -> "Hotel X").
    var coreNameTokens: [String]
    var streetTokens: Set<String>
    var houseNumber: String?
    var city: String
    var countryCode: String
    var latitude: Double
    var longitude: Double
    var stars: Int?
    var chain: String?

    init(name: String, address: String, city: String, countryCode: String, latitude: Double, longitude: Double, stars: Int?, chain: String?) {
        nameTokens = HotelNormalizer.nameTokens(name, city: city)
        coreNameTokens = HotelNormalizer.nameTokens(HotelNormalizer.withoutBrackets(name), city: city)
        let address = HotelNormalizer.address(address)
        streetTokens = Set(address.tokens.filter { !$0.allSatisfy(\.isNumber) })
        houseNumber = address.number
        self.city = HotelNormalizer.city(city)
        self.countryCode = countryCode.uppercased()
        self.latitude = latitude
        self.longitude = longitude
        self.stars = stars
        self.chain = HotelNormalizer.chain(chain)
    }

    init(_ hotel: SupplierHotel) {
        self.init(name: hotel.name, address: hotel.address, city: hotel.city, countryCode: hotel.countryCode, latitude: hotel.latitude,
                  longitude: hotel.longitude, stars: hotel.stars, chain: hotel.chain)
    }

    /// The name in the form stored for pg_trgm searches.
    var normalizedName: String { nameTokens.joined(separator: " ") }
}
