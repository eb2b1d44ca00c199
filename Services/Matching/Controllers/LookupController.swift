// Lookups for query-engine (internal):
//   GET /hotels?city=Paris[&country=FR]           master hotels of a city
//   GET /hotels?latitude=..&longitude=..&radius_km=..  around a point, nearest first
//   GET /hotels?ids=1,2,3                          by id
//   GET /hotels/{id}/suppliers                     its suppliers ranked by weighted_score
//   GET /supplier-hotels/{supplier}/{code}         the reverse: a supplier's hotel code to its mapping
// Every hotel comes with its suppliers' hotel codes. Hotels are served from the in-memory catalog
// (CatalogCache, at most 10 s behind another replica's changes); the reverse lookup, which
// query-engine makes rarely (a supplier's push, a booking to reconcile), and operators' searches read
// the database.

import FoundationEssentials
import Hummingbird
import Shared

struct LookupController: Sendable {
    let cache: CatalogCache
    let catalog: CatalogRepository
    let scores: SupplierScoreRepository
    let rates: ExchangeRateSource
    let config: ConfigClient?

    func add(to router: Router<PlatformRequestContext>) {
        router.get("hotels") { request, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: try hotels(request, cache.snapshot)))
        }
        router.get("hotels/:id/suppliers") { _, context in
            let id = try Self.hotelId(context)
            guard let hotel = cache.snapshot.hotel(id) else { throw Self.unknownHotel(id) }
            let weights = config?.value("matching.algorithm.weights", as: RankingWeights.self, default: .standard) ?? .standard
            let standings = try await scores.standings(hotel.suppliers.map(\.supplier))
            let prices = try await scores.prices(hotel: id, rates: await rates.current())
            return SupplierRanking.rank(hotel.suppliers.map { ($0.supplier, $0.code) }, standings: standings, prices: prices, weights: weights)
        }
        router.get("supplier-hotels/:supplier/:code") { _, context in
            let supplier = try context.parameters.require("supplier"), code = try context.parameters.require("code")
            guard let mapping = try await catalog.mapping(supplier: supplier, code: code) else {
                throw Problem(.notFound, code: "unknown_supplier_hotel", detail: "No record \(code) of supplier \(supplier) is known to matching.")
            }
            return mapping
        }
    }

    func hotels(_ request: Request, _ snapshot: CatalogSnapshot) throws -> ByteBuffer {
        let (query, limit) = try HotelQuery.parse(request)
        switch query {
        case .ids(let ids): return Self.json(snapshot.ids(ids).map { ($0, nil) })
        case .city(let city, let country): return Self.json(snapshot.city(city, countryCode: country, limit: limit).map { ($0, nil) })
        case .near(let latitude, let longitude, let radius):
            return Self.json(snapshot.near(latitude: latitude, longitude: longitude, radiusKm: radius, limit: limit).map { ($0.0, $0.1) })
        case .name: throw HotelQuery.invalid("Search by name is for operators: GET /api/v1/admin/hotels?name=...")
        }
    }

    /// A JSON array of hotels (with `distance_metres` where given) from their pre-written JSON.
    static func json(_ hotels: [(CatalogSnapshot.Entry, Double?)]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(hotels.reduce(2) { $0 + $1.0.jsonPrefix.count + 32 })
        buffer.writeInteger(UInt8(ascii: "["))
        for (index, (entry, distance)) in hotels.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            buffer.writeBytes(entry.jsonPrefix)
            if let distance { buffer.writeString(",\"distance_metres\":\(Int(distance.rounded()))") }
            buffer.writeInteger(UInt8(ascii: "}"))
        }
        buffer.writeInteger(UInt8(ascii: "]"))
        return buffer
    }

    static func hotelId(_ context: PlatformRequestContext) throws -> Int64 {
        let text = try context.parameters.require("id")
        guard let id = Int64(text), id > 0 else { throw Problem(.badRequest, code: "invalid_hotel_id", detail: "'\(text)' is not a hotel id.") }
        return id
    }

    static func unknownHotel(_ id: Int64) -> Problem { Problem(.notFound, code: "unknown_hotel", detail: "No master hotel \(id).") }
}

/// Which hotels a lookup asks for: by ids, by city, or around a point; with its limit.
enum HotelQuery {
    case ids([Int64])
    case city(String, country: String?)
    case near(latitude: Double, longitude: Double, radiusKm: Double)
    /// By name, typos forgiven (operators only: pg_trgm similarity on the normalized name).
    case name(String, city: String?)

    static let maximumResults = 1000

    static func parse(_ request: Request) throws -> (HotelQuery, limit: Int) {
        let query = request.uri.queryParameters
        let limit = try query["limit"].map { text in
            guard let limit = Int(text), (1...maximumResults).contains(limit) else { throw invalid("limit must be 1 to \(maximumResults).") }
            return limit
        } ?? maximumResults
        if let ids = query["ids"] {
            let parsed = ids.split(separator: ",").map { Int64($0) }
            guard !parsed.isEmpty, parsed.count <= maximumResults, parsed.allSatisfy({ $0 != nil }) else {
                throw invalid("ids must be 1 to \(maximumResults) hotel ids separated by commas.")
            }
            return (.ids(parsed.compactMap { $0 }), limit)
        }
        if let name = query["name"] {
            if let reason = TextRule(length: 3...200).violation(String(name)) { throw invalid("name \(reason).") }
            return (.name(String(name), city: query["city"].map(String.init)), limit)
        }
        if let city = query["city"] {
            if let reason = TextRule(length: 1...100).violation(String(city)) { throw invalid("city \(reason).") }
            let country = query["country"].map(String.init)
            if let country, country.count != 2 { throw invalid("country must be an ISO 3166 two-letter code, like FR.") }
            return (.city(String(city), country: country), limit)
        }
        if query["latitude"] != nil || query["longitude"] != nil {
            guard let latitude = query["latitude"].flatMap({ Double($0) }), let longitude = query["longitude"].flatMap({ Double($0) }),
                let radius = query["radius_km"].flatMap({ Double($0) }), (-90...90).contains(latitude), (-180...180).contains(longitude), radius > 0, radius <= 50
            else { throw invalid("latitude (-90..90), longitude (-180..180) and radius_km (above 0, at most 50) go together.") }
            return (.near(latitude: latitude, longitude: longitude, radiusKm: radius), limit)
        }
        throw invalid("Give city (and country), latitude + longitude + radius_km, or ids.")
    }

    static func invalid(_ detail: String) -> Problem { Problem(.badRequest, code: "invalid_query", detail: detail) }
}

extension MasterHotel: ResponseEncodable {}
extension MappingRecord: ResponseEncodable {}
extension RankedSupplier: ResponseEncodable {}
