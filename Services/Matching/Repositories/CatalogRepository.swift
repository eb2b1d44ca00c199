// The master catalog, supplier hotel records and mappings in schema `matching`: bulk writes for the
// mapping job, indexed reads (earthdistance, city) for lookups.

import FoundationEssentials
import Shared

struct CatalogRepository: Sendable {
    let pool: PostgresPool

    // MARK: supplier records

    /// Stores a supplier's records; returns the codes that are new or whose content changed.
    func store(_ hotels: [SupplierHotel], supplier: String) async throws -> Set<String> {
        guard !hotels.isEmpty else { return [] }
        let rows = try await pool.query(
            """
            INSERT INTO matching.supplier_hotels AS s (supplier, code, name, address, city, country_code, latitude, longitude, stars, chain, content_hash)
            SELECT $1, code, name, address, city, country, lat::double precision, lon::double precision, NULLIF(stars, '')::integer, NULLIF(chain, ''), hash
            FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
                AS t(code, name, address, city, country, lat, lon, stars, chain, hash)
            ON CONFLICT (supplier, code) DO UPDATE SET name = EXCLUDED.name, address = EXCLUDED.address, city = EXCLUDED.city,
                country_code = EXCLUDED.country_code, latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude, stars = EXCLUDED.stars,
                chain = EXCLUDED.chain, content_hash = EXCLUDED.content_hash, fetched_at = now()
            WHERE s.content_hash <> EXCLUDED.content_hash
            RETURNING code
            """,
            [supplier, PostgresArray(hotels.map(\.code)), PostgresArray(hotels.map(\.name)), PostgresArray(hotels.map(\.address)),
             PostgresArray(hotels.map(\.city)), PostgresArray(hotels.map(\.countryCode)), PostgresArray(hotels.map { String($0.latitude) }),
             PostgresArray(hotels.map { String($0.longitude) }), PostgresArray(hotels.map { $0.stars.map(String.init) ?? "" }),
             PostgresArray(hotels.map { $0.chain ?? "" }), PostgresArray(hotels.map(Self.contentHash))])
        return Set(try rows.map { try $0.string("code") })
    }

    /// Records of `supplier` to (re)map: those without a mapping, and those in `changed` that were mapped automatically.
    func recordsToMap(supplier: String, changed: Set<String>) async throws -> [SupplierHotel] {
        try await pool.transaction { connection in
            _ = try connection.execute(
                "DELETE FROM matching.mappings WHERE supplier = $1 AND code = ANY($2::text[]) AND method = 'auto'", [supplier, PostgresArray(Array(changed))])
            return try connection.query(
                """
                SELECT s.* FROM matching.supplier_hotels s
                WHERE s.supplier = $1 AND NOT EXISTS (SELECT 1 FROM matching.mappings m WHERE m.supplier = s.supplier AND m.code = s.code)
                ORDER BY s.code
                """, [supplier]
            ).map(Self.supplierHotel)
        }
    }

    static func contentHash(_ hotel: SupplierHotel) -> String {
        let text = [hotel.name, hotel.address, hotel.city, hotel.countryCode, String(hotel.latitude), String(hotel.longitude), hotel.stars.map(String.init) ?? "", hotel.chain ?? ""]
            .joined(separator: "\u{1F}")
        return Digest.hex(Digest.sha256(Array(text.utf8)).prefix(16))
    }

    static func supplierHotel(_ row: PostgresRow) throws -> SupplierHotel {
        SupplierHotel(
            supplier: try row.string("supplier"), code: try row.string("code"), name: try row.string("name"), address: try row.string("address"),
            city: try row.string("city"), countryCode: try row.string("country_code"), latitude: try row.double("latitude"),
            longitude: try row.double("longitude"), stars: try row.optionalInt("stars"), chain: try row.optionalString("chain"))
    }

    // MARK: the index the planner works against

    func masterIndex() async throws -> MasterIndex {
        let rows = try await pool.query(
            """
            SELECT h.id, h.name, h.address, h.city, h.country_code, h.latitude, h.longitude, h.stars, h.chain,
                COALESCE((SELECT string_agg(m.supplier, ',') FROM matching.mappings m WHERE m.master_hotel_id = h.id AND m.status = 'mapped'), '') AS suppliers
            FROM matching.master_hotels h
            """)
        var index = MasterIndex()
        for row in rows {
            let profile = HotelProfile(
                name: try row.string("name"), address: try row.string("address"), city: try row.string("city"), countryCode: try row.string("country_code"),
                latitude: try row.double("latitude"), longitude: try row.double("longitude"), stars: try row.optionalInt("stars"), chain: try row.optionalString("chain"))
            let suppliers = try row.string("suppliers")
            index.add(MasterEntry(id: Int64(try row.int("id")), profile: profile, suppliers: Set(suppliers.split(separator: ",").map(String.init))))
        }
        return index
    }

    /// Writes one supplier's decisions: new master hotels from their records, then every mapping.
    /// Returns the ids given to the new masters, by record code.
    func apply(_ decisions: [MappingDecision], records: [String: SupplierHotel], supplier: String) async throws -> [String: Int64] {
        let newCodes = decisions.filter { $0.kind == .newMaster }.map(\.code)
        return try await pool.transaction { connection in
            var created: [String: Int64] = [:]
            if !newCodes.isEmpty {
                let ids = try connection.query("SELECT nextval('matching.master_hotels_id_seq') AS id FROM generate_series(1, $1)", [newCodes.count]).map { Int64(try $0.int("id")) }
                let hotels = newCodes.map { records[$0]! }
                for (code, id) in zip(newCodes, ids) { created[code] = id }
                _ = try connection.execute(
                    """
                    INSERT INTO matching.master_hotels (id, name, normalized_name, address, city, normalized_city, country_code, latitude, longitude, stars, chain)
                    SELECT id::bigint, name, normalized, address, city, normalized_city, country, lat::double precision, lon::double precision,
                        NULLIF(stars, '')::integer, NULLIF(chain, '')
                    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
                        AS t(id, name, normalized, address, city, normalized_city, country, lat, lon, stars, chain)
                    """,
                    [PostgresArray(ids.map(String.init)), PostgresArray(hotels.map(\.name)), PostgresArray(hotels.map { HotelProfile($0).normalizedName }),
                     PostgresArray(hotels.map(\.address)), PostgresArray(hotels.map(\.city)), PostgresArray(hotels.map { HotelNormalizer.city($0.city) }),
                     PostgresArray(hotels.map(\.countryCode)), PostgresArray(hotels.map { String($0.latitude) }), PostgresArray(hotels.map { String($0.longitude) }),
                     PostgresArray(hotels.map { $0.stars.map(String.init) ?? "" }), PostgresArray(hotels.map { $0.chain ?? "" })])
            }
            var codes: [String] = [], masters: [String] = [], statuses: [String] = [], methods: [String] = [], scores: [String] = []
            for decision in decisions {
                let (master, status, method): (Int64, String, String) =
                    switch decision.kind {
                    case .mapped(let id): (id, "mapped", "auto")
                    case .review(let id): (id, "review", "auto")
                    case .newMaster: (created[decision.code]!, "mapped", "new")
                    }
                codes.append(decision.code)
                masters.append(String(master))
                statuses.append(status)
                methods.append(method)
                scores.append(String(decision.score))
            }
            _ = try connection.execute(
                """
                INSERT INTO matching.mappings (supplier, code, master_hotel_id, status, method, score)
                SELECT $1, code, master::bigint, status, method, score::double precision
                FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(code, master, status, method, score)
                ON CONFLICT (supplier, code) DO UPDATE SET master_hotel_id = EXCLUDED.master_hotel_id, status = EXCLUDED.status,
                    method = EXCLUDED.method, score = EXCLUDED.score, decided_by = NULL, updated_at = now()
                """,
                [supplier, PostgresArray(codes), PostgresArray(masters), PostgresArray(statuses), PostgresArray(methods), PostgresArray(scores)])
            return created
        }
    }
}
