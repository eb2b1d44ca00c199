// The review queue: records whose best candidate scored between the thresholds, and what operators
// decide about them: approve (map to the candidate), reject (a hotel of its own), remap (to another
// master hotel). Every decision records who made it.

import FoundationEssentials
import Shared

struct ReviewItem: Codable, Sendable, Equatable {
    var record: SupplierHotel
    var candidate: MasterHotel
    var score: Double
    var queuedAt: Date

    enum CodingKeys: String, CodingKey { case record, candidate, score, queuedAt = "queued_at" }
}

enum ReviewOutcome: Sendable, Equatable {
    case decided(MappingRecord)
    case notFound
    /// The master already holds a live record from this supplier.
    case conflict(String)
}

extension CatalogRepository {
    func reviews(limit: Int) async throws -> [ReviewItem] {
        let rows = try await pool.query(
            """
            SELECT s.*, m.score, m.updated_at AS queued_at, m.master_hotel_id FROM matching.mappings m
            JOIN matching.supplier_hotels s ON s.supplier = m.supplier AND s.code = m.code
            WHERE m.status = 'review' ORDER BY m.updated_at, m.supplier, m.code LIMIT $1
            """, [limit])
        let candidates = Dictionary(uniqueKeysWithValues: try await hotels(ids: try rows.map { Int64(try $0.int("master_hotel_id")) }).map { ($0.id, $0) })
        return try rows.compactMap { row in
            guard let candidate = candidates[Int64(try row.int("master_hotel_id"))] else { return nil }
            return ReviewItem(record: try Self.supplierHotel(row), candidate: candidate, score: try row.double("score"), queuedAt: try row.date("queued_at"))
        }
    }

    /// Maps the record to `master` (nil: its proposed candidate), as decided by `who`.
    func approve(supplier: String, code: String, master: Int64?, by who: String) async throws -> ReviewOutcome {
        try await pool.transaction { connection in
            guard let current = try connection.query("SELECT master_hotel_id FROM matching.mappings WHERE supplier = $1 AND code = $2 FOR UPDATE", [supplier, code]).first else {
                return .notFound
            }
            let proposed = Int64(try current.int("master_hotel_id"))
            let target = master ?? proposed
            guard try connection.query("SELECT 1 FROM matching.master_hotels WHERE id = $1", [target]).first != nil else { return .notFound }
            let taken = try connection.query(
                "SELECT code FROM matching.mappings WHERE master_hotel_id = $1 AND supplier = $2 AND status = 'mapped' AND code <> $3", [target, supplier, code]).first
            if let taken { return .conflict("hotel \(target) already holds \(supplier) record \(try taken.string("code"))") }
            let row = try connection.query(
                """
                UPDATE matching.mappings SET master_hotel_id = $3, status = 'mapped', method = $4, decided_by = $5, updated_at = now()
                WHERE supplier = $1 AND code = $2
                RETURNING supplier, code, master_hotel_id, status, method, score, decided_by, updated_at
                """, [supplier, code, target, master == nil ? "approved" : "remapped", who]).first!
            return .decided(try Self.mapping(row))
        }
    }

    /// Not the candidate: the record becomes a master hotel of its own.
    func reject(supplier: String, code: String, by who: String) async throws -> ReviewOutcome {
        try await pool.transaction { connection in
            guard let row = try connection.query(
                "SELECT s.* FROM matching.mappings m JOIN matching.supplier_hotels s USING (supplier, code) WHERE m.supplier = $1 AND m.code = $2 FOR UPDATE OF m",
                [supplier, code]).first
            else { return .notFound }
            let hotel = try Self.supplierHotel(row)
            let id = try connection.query(
                """
                INSERT INTO matching.master_hotels (name, normalized_name, address, city, normalized_city, country_code, latitude, longitude, stars, chain)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id
                """,
                [hotel.name, HotelProfile(hotel).normalizedName, hotel.address, hotel.city, HotelNormalizer.city(hotel.city), hotel.countryCode, hotel.latitude,
                 hotel.longitude, hotel.stars, hotel.chain]).first!.int("id")
            let mapped = try connection.query(
                """
                UPDATE matching.mappings SET master_hotel_id = $3, status = 'mapped', method = 'rejected', decided_by = $4, updated_at = now()
                WHERE supplier = $1 AND code = $2
                RETURNING supplier, code, master_hotel_id, status, method, score, decided_by, updated_at
                """, [supplier, code, id, who]).first!
            return .decided(try Self.mapping(mapped))
        }
    }
}
