// Reading master hotels with their supplier codes: by city, around a point, by ids; and from a
// supplier's hotel code back to the master hotel.

import FoundationEssentials
import Shared

extension CatalogRepository {
    static let masterColumns = """
        h.id, h.name, h.address, h.city, h.country_code, h.latitude, h.longitude, h.stars, h.chain,
        COALESCE((SELECT json_agg(json_build_object('supplier', m.supplier, 'code', m.code) ORDER BY m.supplier, m.code)
                  FROM matching.mappings m WHERE m.master_hotel_id = h.id AND m.status = 'mapped'), '[]')::text AS suppliers
        """

    func hotels(city: String, countryCode: String?, limit: Int) async throws -> [MasterHotel] {
        try await pool.query(
            "SELECT \(Self.masterColumns) FROM matching.master_hotels h WHERE h.normalized_city = $1 AND ($2::text IS NULL OR h.country_code = $2) ORDER BY h.id LIMIT $3",
            [HotelNormalizer.city(city), countryCode?.uppercased(), limit]
        ).map { try Self.master($0) }
    }

    /// Nearest first, within `radiusKm`.
    func hotels(latitude: Double, longitude: Double, radiusKm: Double, limit: Int) async throws -> [MasterHotel] {
        try await pool.query(
            """
            SELECT \(Self.masterColumns), public.earth_distance(public.ll_to_earth($1, $2), matching.geo_point(h.latitude, h.longitude)) AS distance
            FROM matching.master_hotels h
            WHERE public.earth_box(public.ll_to_earth($1, $2), $3) @> matching.geo_point(h.latitude, h.longitude)
                AND public.earth_distance(public.ll_to_earth($1, $2), matching.geo_point(h.latitude, h.longitude)) <= $3
            ORDER BY distance LIMIT $4
            """,
            [latitude, longitude, radiusKm * 1000, limit]
        ).map { row in
            var hotel = try Self.master(row)
            hotel.distanceMetres = (try row.double("distance")).rounded()
            return hotel
        }
    }

    /// Most similar names first (trigram similarity of the whole name, or of the words asked for
    /// anywhere in it: "hiltn" finds the Hiltons), in a city if given.
    func hotels(named name: String, city: String?, limit: Int) async throws -> [MasterHotel] {
        let normalized = HotelNormalizer.nameTokens(name, city: city ?? "").joined(separator: " ")
        return try await pool.query(
            """
            SELECT \(Self.masterColumns) FROM matching.master_hotels h
            WHERE ($1 OPERATOR(public.<%) h.normalized_name OR h.normalized_name OPERATOR(public.%) $1)
                AND ($2::text IS NULL OR h.normalized_city = $2)
            ORDER BY greatest(public.word_similarity($1, h.normalized_name), public.similarity(h.normalized_name, $1)) DESC, h.id LIMIT $3
            """,
            [normalized, city.map(HotelNormalizer.city), limit]
        ).map { try Self.master($0) }
    }

    /// Changes whenever a master hotel is added or a mapping written (masters are never edited):
    /// the in-memory catalog is rebuilt only then.
    func fingerprint() async throws -> String {
        try await pool.query(
            """
            SELECT (SELECT count(*) FROM matching.master_hotels) || '/' || (SELECT count(*) FROM matching.mappings) || '/'
                || COALESCE((SELECT max(updated_at) FROM matching.mappings)::text, '') AS fingerprint
            """
        ).first?.string("fingerprint") ?? ""
    }

    /// Every master hotel with its suppliers (for the in-memory catalog).
    func allHotels() async throws -> [MasterHotel] {
        try await pool.query("SELECT \(Self.masterColumns) FROM matching.master_hotels h").map { try Self.master($0) }
    }

    func hotels(ids: [Int64]) async throws -> [MasterHotel] {
        try await pool.query("SELECT \(Self.masterColumns) FROM matching.master_hotels h WHERE h.id = ANY($1::bigint[]) ORDER BY h.id", [PostgresArray(ids.map(String.init))])
            .map { try Self.master($0) }
    }

    func mapping(supplier: String, code: String) async throws -> MappingRecord? {
        try await pool.query(
            "SELECT supplier, code, master_hotel_id, status, method, score, decided_by, updated_at FROM matching.mappings WHERE supplier = $1 AND code = $2",
            [supplier, code]
        ).first.map(Self.mapping)
    }

    static func mapping(_ row: PostgresRow) throws -> MappingRecord {
        MappingRecord(
            supplier: try row.string("supplier"), code: try row.string("code"), masterHotelId: Int64(try row.int("master_hotel_id")),
            status: try row.string("status"), method: try row.string("method"), score: try row.double("score"), decidedBy: try row.optionalString("decided_by"),
            updatedAt: try row.date("updated_at"))
    }

    static func master(_ row: PostgresRow) throws -> MasterHotel {
        MasterHotel(
            id: Int64(try row.int("id")), name: try row.string("name"), address: try row.string("address"), city: try row.string("city"),
            countryCode: try row.string("country_code"), latitude: try row.double("latitude"), longitude: try row.double("longitude"),
            stars: try row.optionalInt("stars"), chain: try row.optionalString("chain"),
            suppliers: try PlatformJSON.decoder.decode([SupplierHotelRef].self, from: Data(try row.string("suppliers").utf8)))
    }
}
