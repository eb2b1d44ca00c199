// The platform's own hotel (matching's master catalog) with the supplier records mapped to it: what
// query-engine searches by, and the way from a master hotel to each supplier's hotel code.

public struct SupplierHotelRef: Hashable, Codable, Sendable {
    public var supplier: String
    public var code: String

    public init(supplier: String, code: String) {
        self.supplier = supplier
        self.code = code
    }
}

public struct MasterHotel: Hashable, Codable, Sendable {
    public var id: Int64
    public var name: String
    public var address: String
    public var city: String
    public var countryCode: String
    public var latitude: Double
    public var longitude: Double
    public var stars: Int?
    public var chain: String?
    /// Supplier records mapped to this hotel (reviewed or automatic), by supplier code.
    public var suppliers: [SupplierHotelRef]
    /// Metres from the point asked about, in a search by radius.
    public var distanceMetres: Double?

    public init(
        id: Int64, name: String, address: String, city: String, countryCode: String, latitude: Double, longitude: Double, stars: Int?, chain: String?,
        suppliers: [SupplierHotelRef], distanceMetres: Double? = nil
    ) {
        self.id = id
        self.name = name
        self.address = address
        self.city = city
        self.countryCode = countryCode
        self.latitude = latitude
        self.longitude = longitude
        self.stars = stars
        self.chain = chain
        self.suppliers = suppliers
        self.distanceMetres = distanceMetres
    }

    enum CodingKeys: String, CodingKey {
        case id, name, address, city, countryCode = "country_code", latitude, longitude, stars, chain, suppliers, distanceMetres = "distance_metres"
    }
}
