// Direct-contract hotels, their room types and rate plans in schema `inventory`.

import FoundationEssentials
import Shared

struct ContractRepository: Sendable {
    let pool: PostgresPool

    static let hotelColumns = "hotel_id, name, currency, channel, channel_hotel_code, on_sale"

    /// Adds a contract hotel; false when the hotel (or its channel code) has one already.
    func create(_ hotel: ContractHotel) async throws -> Bool {
        do {
            return try await pool.execute(
                """
                INSERT INTO inventory.hotels (hotel_id, name, currency, channel, channel_hotel_code, on_sale) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (hotel_id) DO NOTHING
                """,
                [Int(hotel.hotelId), hotel.name, hotel.currency, hotel.channel, hotel.channelHotelCode, hotel.onSale]) == 1
        } catch let error as PostgresError where error.isUniqueViolation {
            throw Self.channelCodeTaken(hotel)
        }
    }

    /// Changes the hotel's name, channel and sale; false when there is no such hotel.
    func update(_ hotel: ContractHotel) async throws -> Bool {
        do {
            return try await pool.execute(
                "UPDATE inventory.hotels SET name = $2, channel = $3, channel_hotel_code = $4, on_sale = $5, updated_at = clock_timestamp() WHERE hotel_id = $1",
                [Int(hotel.hotelId), hotel.name, hotel.channel, hotel.channelHotelCode, hotel.onSale]) == 1
        } catch let error as PostgresError where error.isUniqueViolation {
            throw Self.channelCodeTaken(hotel)
        }
    }

    func put(_ room: RoomType, in hotel: Int64) async throws {
        try await pool.execute(
            """
            WITH put AS (
                INSERT INTO inventory.room_types (hotel_id, code, name, max_occupancy) VALUES ($1, $2, $3, $4)
                ON CONFLICT (hotel_id, code) DO UPDATE SET name = excluded.name, max_occupancy = excluded.max_occupancy
                RETURNING hotel_id)
            \(Self.touch)
            """,
            [Int(hotel), room.code, room.name, room.maxOccupancy])
    }

    func put(_ plan: RatePlan, in hotel: Int64) async throws {
        try await pool.execute(
            """
            WITH put AS (
                INSERT INTO inventory.rate_plans (hotel_id, code, name, board, refundable, cancellation) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (hotel_id, code) DO UPDATE SET name = excluded.name, board = excluded.board, refundable = excluded.refundable,
                    cancellation = excluded.cancellation
                RETURNING hotel_id)
            \(Self.touch)
            """,
            [Int(hotel), plan.code, plan.name, plan.board.rawValue, plan.refundable, try PostgresJSON(plan.cancellation)])
    }

    /// A room type or rate plan put counts as a change of its hotel (for `version`).
    private static let touch = "UPDATE inventory.hotels SET updated_at = clock_timestamp() WHERE hotel_id IN (SELECT hotel_id FROM put)"

    /// Changes whenever any contract does: a hotel added or changed (each change stamps a later
    /// `updated_at`, so the sum grows whatever order the changes commit in), a room type or rate plan put.
    func version() async throws -> String {
        try await pool.query("SELECT count(*) || '/' || coalesce(sum(extract(epoch FROM updated_at)), 0) AS version FROM inventory.hotels")
            .first?.string("version") ?? ""
    }

    func hotel(_ id: Int64) async throws -> ContractHotel? {
        try await hotels(where: "hotel_id = $1", [Int(id)]).first
    }

    /// The hotel a channel manager calls `code`.
    func hotel(channel: String, code: String) async throws -> ContractHotel? {
        try await hotels(where: "channel = $1 AND channel_hotel_code = $2", [channel, code]).first
    }

    func page(limit: Int, offset: Int) async throws -> (total: Int, hotels: [ContractHotel]) {
        let total = try await pool.query("SELECT count(*)::int AS n FROM inventory.hotels").first?.int("n") ?? 0
        return (total, try await hotels(where: "true ORDER BY hotel_id LIMIT $1 OFFSET $2", [limit, offset]))
    }

    /// Every contract (the catalog sales read from memory).
    func all() async throws -> [ContractHotel] {
        try await hotels(where: "true", [])
    }

    /// The master hotels whose contracts are on sale.
    func onSale() async throws -> [Int64] {
        try await pool.query("SELECT hotel_id FROM inventory.hotels WHERE on_sale ORDER BY hotel_id").map { Int64(try $0.int("hotel_id")) }
    }

    private func hotels(where condition: String, _ parameters: [(any PostgresBindable)?]) async throws -> [ContractHotel] {
        let rows = try await pool.query(
            """
            SELECT \(Self.hotelColumns),
                coalesce((SELECT json_agg(json_build_object('code', code, 'name', name, 'max_occupancy', max_occupancy) ORDER BY code)
                          FROM inventory.room_types r WHERE r.hotel_id = h.hotel_id), '[]') AS room_types,
                coalesce((SELECT json_agg(json_build_object('code', code, 'name', name, 'board', board, 'refundable', refundable,
                                                            'cancellation', cancellation) ORDER BY code)
                          FROM inventory.rate_plans p WHERE p.hotel_id = h.hotel_id), '[]') AS rate_plans
            FROM inventory.hotels h WHERE \(condition)
            """,
            parameters)
        return try rows.map { row in
            ContractHotel(
                hotelId: Int64(try row.int("hotel_id")), name: try row.string("name"), currency: try row.string("currency"),
                channel: try row.optionalString("channel"), channelHotelCode: try row.optionalString("channel_hotel_code"), onSale: try row.bool("on_sale"),
                roomTypes: try row.json("room_types"), ratePlans: try row.json("rate_plans"))
        }
    }

    static func channelCodeTaken(_ hotel: ContractHotel) -> Problem {
        Problem(.conflict, code: "channel_code_taken",
                detail: "Another hotel already has code \(hotel.channelHotelCode ?? "") at channel \(hotel.channel ?? "").")
    }
}
