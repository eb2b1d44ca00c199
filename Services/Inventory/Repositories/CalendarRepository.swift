// The nightly calendar: range updates applied in one transaction (an operator's request or a
// channel manager's message), each night's row upserted with only the fields the update names, and
// prices per rate plan. `nights_never_oversold` refuses an allotment below what is sold and held:
// the whole request is refused, naming the nights.

import FoundationEssentials
import Shared

struct CalendarRepository: Sendable {
    let pool: PostgresPool

    /// An update that would take an allotment below the rooms sold and held on some nights.
    struct BelowSold: Error {
        var update: CalendarUpdate
    }

    /// Applies every update in one transaction with one `inventory.updated` per room type, and
    /// `alongside` in the same transaction; returns how many night rows and prices it wrote.
    @discardableResult
    func apply(
        _ updates: [CalendarUpdate], hotel: Int64, cause: InventoryUpdatedEvent.Cause, trace: TraceContext?,
        alongside: @escaping @Sendable (PostgresConnection) throws -> Void = { _ in }
    ) async throws -> Int {
        let events = try Self.events(updates, hotel: hotel, cause: cause, trace: trace)
        do {
            return try await pool.transaction { connection in
                var written = 0
                for update in updates {
                    written += try Self.write(update, hotel: hotel, on: connection)
                }
                try Outbox.append(events, schema: "inventory", on: connection)
                try alongside(connection)
                return written
            }
        } catch let below as BelowSold {
            throw try await belowSoldProblem(below.update, hotel: hotel)
        }
    }

    /// The nights (at most 20) where `update` would take the allotment below the rooms sold and held.
    func nightsBelowSold(_ update: CalendarUpdate, hotel: Int64) async throws -> [(night: CalendarDate, taken: Int)] {
        try await pool.query(
            """
            SELECT night, sold + held AS taken FROM inventory.nights
            WHERE hotel_id = $1 AND room_type = $2 AND night BETWEEN $3 AND $4 AND extract(isodow FROM night)::int = ANY($5::int[]) AND sold + held > $6
            ORDER BY night LIMIT 20
            """,
            [Int(hotel), update.roomType, update.from, update.to, PostgresArray(update.days.map(String.init)), update.allotment ?? 0]
        ).map { (try $0.calendarDate("night"), try $0.int("taken")) }
    }

    private static func write(_ update: CalendarUpdate, hotel: Int64, on connection: PostgresConnection) throws -> Int {
        let range: [(any PostgresBindable)?] = [Int(hotel), update.roomType, update.from, update.to, PostgresArray(update.days.map(String.init))]
        let nights = "FROM generate_series($3::date, $4::date, interval '1 day') d WHERE extract(isodow FROM d)::int = ANY($5::int[])"
        var written = 0
        if update.changesNights {
            do {
                written += try connection.execute(
                    """
                    INSERT INTO inventory.nights AS n (hotel_id, room_type, night, allotment, stop_sell, min_stay, closed_to_arrival, release_days)
                    SELECT $1, $2, d::date, coalesce($6::int, 0), coalesce($7::bool, false), coalesce($8::int, 1), coalesce($9::bool, false), coalesce($10::int, 0)
                    \(nights)
                    ON CONFLICT (hotel_id, room_type, night) DO UPDATE SET
                        allotment = coalesce($6::int, n.allotment), stop_sell = coalesce($7::bool, n.stop_sell), min_stay = coalesce($8::int, n.min_stay),
                        closed_to_arrival = coalesce($9::bool, n.closed_to_arrival), release_days = coalesce($10::int, n.release_days)
                    """,
                    range + [update.allotment, update.stopSell, update.minStay, update.closedToArrival, update.releaseDays])
            } catch let error as PostgresError where error.sqlState == "23514" && error.message.contains("nights_never_oversold") {
                throw BelowSold(update: update)
            }
        }
        for (plan, price) in (update.prices ?? [:]).sorted(by: { $0.key < $1.key }) {
            written += try connection.execute(
                """
                INSERT INTO inventory.night_prices (hotel_id, room_type, rate_plan, night, price)
                SELECT $1, $2, $6, d::date, $7 \(nights)
                ON CONFLICT (hotel_id, room_type, night, rate_plan) DO UPDATE SET price = excluded.price
                """,
                range + [plan, price.value])
        }
        return written
    }

    /// One event per room type, spanning the nights the updates touched.
    static func events(_ updates: [CalendarUpdate], hotel: Int64, cause: InventoryUpdatedEvent.Cause, trace: TraceContext?) throws -> [EventEnvelope] {
        try Dictionary(grouping: updates, by: \.roomType).sorted { $0.key < $1.key }.map { room, updates in
            try EventEnvelope(
                type: InventoryUpdatedEvent.type, producer: "inventory", tenantId: nil, trace: trace,
                payload: InventoryUpdatedEvent(hotelId: hotel, roomType: room, firstNight: updates.map(\.from).min()!, lastNight: updates.map(\.to).max()!, cause: cause))
        }
    }

    private func belowSoldProblem(_ update: CalendarUpdate, hotel: Int64) async throws -> Problem {
        let nights = try await nightsBelowSold(update, hotel: hotel)
        return Problem(
            .conflict, code: "allotment_below_sold",
            detail: "Room type \(update.roomType) cannot have an allotment of \(update.allotment ?? 0) on nights with more rooms sold or held: "
                + nights.map { "\($0.night) (\($0.taken) sold or held)" }.joined(separator: ", ") + ". Nothing was changed.",
            extensions: ["room_type": .string(update.roomType), "nights": .array(nights.map { .string($0.night.description) })])
    }

    /// The calendar of `hotel` from `from` to `to` (both included), one room type or all.
    func nights(hotel: Int64, roomType: String?, from: CalendarDate, to: CalendarDate) async throws -> [CalendarDay] {
        try await pool.query(
            """
            SELECT n.room_type, n.night, n.allotment, n.sold, n.held, n.stop_sell, n.min_stay, n.closed_to_arrival, n.release_days,
                coalesce((SELECT json_object_agg(p.rate_plan, p.price::text) FROM inventory.night_prices p
                          WHERE p.hotel_id = n.hotel_id AND p.room_type = n.room_type AND p.night = n.night), '{}') AS prices
            FROM inventory.nights n
            WHERE n.hotel_id = $1 AND ($2::text IS NULL OR n.room_type = $2) AND n.night BETWEEN $3 AND $4
            ORDER BY n.room_type, n.night
            """,
            [Int(hotel), roomType, from, to]
        ).map { row in
            CalendarDay(
                roomType: try row.string("room_type"), night: try row.calendarDate("night"), allotment: try row.int("allotment"), sold: try row.int("sold"),
                held: try row.int("held"), stopSell: try row.bool("stop_sell"), minStay: try row.int("min_stay"),
                closedToArrival: try row.bool("closed_to_arrival"), releaseDays: try row.int("release_days"), prices: try row.json("prices"))
        }
    }
}

/// One night of a room type as operators read it.
struct CalendarDay: Encodable, Sendable, Equatable {
    var roomType: String
    var night: CalendarDate
    var allotment: Int
    var sold: Int
    var held: Int
    var stopSell: Bool
    var minStay: Int
    var closedToArrival: Bool
    var releaseDays: Int
    var prices: [String: Amount]

    var free: Int { allotment - sold - held }

    enum CodingKeys: String, CodingKey {
        case roomType = "room_type", night, allotment, sold, held, free, stopSell = "stop_sell", minStay = "min_stay"
        case closedToArrival = "closed_to_arrival", releaseDays = "release_days", prices
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(roomType, forKey: .roomType)
        try c.encode(night, forKey: .night)
        try c.encode(allotment, forKey: .allotment)
        try c.encode(sold, forKey: .sold)
        try c.encode(held, forKey: .held)
        try c.encode(free, forKey: .free)
        try c.encode(stopSell, forKey: .stopSell)
        try c.encode(minStay, forKey: .minStay)
        try c.encode(closedToArrival, forKey: .closedToArrival)
        try c.encode(releaseDays, forKey: .releaseDays)
        try c.encode(prices, forKey: .prices)
    }
}
