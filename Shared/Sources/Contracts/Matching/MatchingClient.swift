// matching's internal lookups, for query-engine and order. The routes are listed in
// Services/Matching/Controllers/LookupController.swift.

public struct MatchingClient: Sendable {
    public let service: ServiceClient
    /// Lookups answer from memory in a millisecond or two; a generous margin for a busy machine.
    public var timeout: Duration = .seconds(2)

    public init(baseURL: String, http: HTTP1Client) {
        service = ServiceClient(.matching, baseURL: baseURL, http: http)
    }

    /// The master hotels of a city (its name as suppliers write it; a country narrows it).
    public func hotels(city: String, country: String? = nil, limit: Int = 500, origin: CallOrigin) async throws -> [MasterHotel] {
        let country = country.map { "&country=\($0.percentEncoded)" } ?? ""
        return try await service.get("/hotels?city=\(city.percentEncoded)\(country)&limit=\(limit)", as: [MasterHotel].self, origin: origin, timeout: timeout)
    }

    /// Within `radiusKm` of a point, nearest first, with their distance.
    public func hotels(latitude: Double, longitude: Double, radiusKm: Double, limit: Int = 500, origin: CallOrigin) async throws -> [MasterHotel] {
        try await service.get(
            "/hotels?latitude=\(latitude)&longitude=\(longitude)&radius_km=\(radiusKm)&limit=\(limit)", as: [MasterHotel].self, origin: origin, timeout: timeout)
    }

    public func hotels(ids: [Int64], origin: CallOrigin) async throws -> [MasterHotel] {
        guard !ids.isEmpty else { return [] }
        return try await service.get("/hotels?ids=\(ids.map(String.init).joined(separator: ","))", as: [MasterHotel].self, origin: origin, timeout: timeout)
    }

    /// The hotel's suppliers, best first.
    public func rankedSuppliers(of hotel: Int64, origin: CallOrigin) async throws -> [RankedSupplier] {
        try await service.get("/hotels/\(hotel)/suppliers", as: [RankedSupplier].self, origin: origin, timeout: timeout)
    }

    /// Which master hotel a supplier's hotel code is mapped to.
    public func mapping(supplier: String, code: String, origin: CallOrigin) async throws -> MappingRecord {
        try await service.get("/supplier-hotels/\(supplier.percentEncoded)/\(code.percentEncoded)", as: MappingRecord.self, origin: origin, timeout: timeout)
    }
}
