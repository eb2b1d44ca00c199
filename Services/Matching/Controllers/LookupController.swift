// Lookups for query-engine (internal):
//   GET /hotels?city=Paris[&country=FR]           master hotels of a city
//   GET /hotels?latitude=..&longitude=..&radius_km=..  around a point, nearest first
//   GET /hotels?ids=1,2,3                          by id
//   GET /hotels/{id}/suppliers                     its suppliers ranked by weighted_score
//   GET /supplier-hotels/{supplier}/{code}         the reverse: a supplier's hotel code to its mapping
// Every hotel comes with its suppliers' hotel codes.

import FoundationEssentials
import Hummingbird
import Shared

struct LookupController: Sendable {
    let catalog: CatalogRepository
    let scores: SupplierScoreRepository
    let config: ConfigClient?

    static let maximumResults = 1000

    func add(to router: Router<PlatformRequestContext>) {
        router.get("hotels") { request, _ in try await hotels(request) }
        router.get("hotels/:id/suppliers") { _, context in
            let id = try Self.hotelId(context)
            guard let hotel = try await catalog.hotels(ids: [id]).first else { throw Self.unknownHotel(id) }
            let weights = config?.value("matching.algorithm.weights", as: RankingWeights.self, default: .standard) ?? .standard
            let standings = try await scores.standings(hotel.suppliers.map(\.supplier))
            return SupplierRanking.rank(hotel.suppliers.map { ($0.supplier, $0.code) }, standings: standings, weights: weights)
        }
        router.get("supplier-hotels/:supplier/:code") { _, context in
            let supplier = try context.parameters.require("supplier"), code = try context.parameters.require("code")
            guard let mapping = try await catalog.mapping(supplier: supplier, code: code) else {
                throw Problem(.notFound, code: "unknown_supplier_hotel", detail: "No record \(code) of supplier \(supplier) is known to matching.")
            }
            return mapping
        }
    }

    func hotels(_ request: Request) async throws -> [MasterHotel] {
        let query = request.uri.queryParameters
        let limit = try query["limit"].map { text in
            guard let limit = Int(text), (1...Self.maximumResults).contains(limit) else { throw Self.invalid("limit must be 1 to \(Self.maximumResults).") }
            return limit
        } ?? Self.maximumResults
        if let ids = query["ids"] {
            let parsed = ids.split(separator: ",").map { Int64($0) }
            guard !parsed.isEmpty, parsed.count <= Self.maximumResults, parsed.allSatisfy({ $0 != nil }) else {
                throw Self.invalid("ids must be 1 to \(Self.maximumResults) hotel ids separated by commas.")
            }
            return try await catalog.hotels(ids: parsed.compactMap { $0 })
        }
        if let city = query["city"] {
            guard !city.isEmpty, city.count <= 100 else { throw Self.invalid("city must be 1 to 100 characters.") }
            let country = query["country"].map(String.init)
            if let country, country.count != 2 { throw Self.invalid("country must be an ISO 3166 two-letter code, like FR.") }
            return try await catalog.hotels(city: String(city), countryCode: country, limit: limit)
        }
        if query["latitude"] != nil || query["longitude"] != nil {
            guard let latitude = query["latitude"].flatMap({ Double($0) }), let longitude = query["longitude"].flatMap({ Double($0) }),
                let radius = query["radius_km"].flatMap({ Double($0) }), (-90...90).contains(latitude), (-180...180).contains(longitude), radius > 0, radius <= 50
            else { throw Self.invalid("latitude (-90..90), longitude (-180..180) and radius_km (above 0, at most 50) go together.") }
            return try await catalog.hotels(latitude: latitude, longitude: longitude, radiusKm: radius, limit: limit)
        }
        throw Self.invalid("Give city (and country), latitude + longitude + radius_km, or ids.")
    }

    static func hotelId(_ context: PlatformRequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Int64(text), id > 0 else { throw Problem(.badRequest, code: "invalid_hotel_id", detail: "'\(text)' is not a hotel id.") }
        return id
    }

    static func unknownHotel(_ id: Int64) -> Problem { Problem(.notFound, code: "unknown_hotel", detail: "No master hotel \(id).") }
    static func invalid(_ detail: String) -> Problem { Problem(.badRequest, code: "invalid_query", detail: detail) }
}

extension MasterHotel: ResponseEncodable {}
extension MappingRecord: ResponseEncodable {}
extension RankedSupplier: ResponseEncodable {}
