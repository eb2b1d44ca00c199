// A supplier's description of one of its hotels, from its content feed: the input of matching.

public struct SupplierHotel: Hashable, Codable, Sendable {
    public var supplier: String
    public var code: String
    public var name: String
    public var address: String
    public var city: String
    /// ISO 3166-1 alpha-2.
    public var countryCode: String
    public var latitude: Double
    public var longitude: Double
    public var stars: Int?
    public var chain: String?

    public init(
        supplier: String, code: String, name: String, address: String, city: String, countryCode: String, latitude: Double, longitude: Double,
        stars: Int?, chain: String?
    ) {
        self.supplier = supplier
        self.code = code
        self.name = name
        self.address = address
        self.city = city
        self.countryCode = countryCode
        self.latitude = latitude
        self.longitude = longitude
        self.stars = stars
        self.chain = chain
    }

    enum CodingKeys: String, CodingKey {
        case supplier, code, name, address, city, countryCode = "country_code", latitude, longitude, stars, chain
    }
}

/// One page of a content feed; `next_page` is absent on the last.
public struct SupplierHotelPage: Hashable, Codable, Sendable {
    public var supplier: String
    public var page: Int
    public var total: Int
    public var hotels: [SupplierHotel]
    public var nextPage: Int?

    public init(supplier: String, page: Int, total: Int, hotels: [SupplierHotel], nextPage: Int?) {
        self.supplier = supplier
        self.page = page
        self.total = total
        self.hotels = hotels
        self.nextPage = nextPage
    }

    enum CodingKeys: String, CodingKey { case supplier, page, total, hotels, nextPage = "next_page" }
}
