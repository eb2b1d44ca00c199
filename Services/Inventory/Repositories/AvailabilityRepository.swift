// What the calendar can sell: per hotel, room type and rate plan, the stay's price for one room and
// the fewest rooms free on any of its nights, only where every night passes SellableNight.

import FoundationEssentials
import Shared

struct SellableRate: Sendable, Equatable {
    var hotelId: Int64
    var roomType: String
    var ratePlan: String
    /// One room, every night.
    var net: Amount
    var free: Int
}

struct AvailabilityRepository: Sendable {
    let pool: PostgresPool

    func sellable(hotels: [Int64], checkIn: CalendarDate, checkOut: CalendarDate, today: CalendarDate, roomType: String? = nil, ratePlan: String? = nil)
        async throws -> [SellableRate]
    {
        guard !hotels.isEmpty else { return [] }
        let sellable = SellableNight.condition(rooms: "1", today: "$4", checkIn: "$2", nights: "$5")
        return try await pool.query(
            """
            SELECT n.hotel_id, n.room_type, p.rate_plan, sum(p.price) AS net, min(n.allotment - n.sold - n.held) AS free
            FROM inventory.nights n
            JOIN inventory.night_prices p ON p.hotel_id = n.hotel_id AND p.room_type = n.room_type AND p.night = n.night
            WHERE n.hotel_id = ANY($1::bigint[]) AND n.night >= $2::date AND n.night < $3::date AND \(sellable)
                AND ($6::text IS NULL OR n.room_type = $6) AND ($7::text IS NULL OR p.rate_plan = $7)
            GROUP BY n.hotel_id, n.room_type, p.rate_plan
            HAVING count(*) = $5
            ORDER BY n.hotel_id, n.room_type, p.rate_plan
            """,
            [PostgresArray(hotels.map { String($0) }), checkIn, checkOut, today, checkIn.nights(until: checkOut), roomType, ratePlan]
        ).map { row in
            SellableRate(
                hotelId: Int64(try row.int("hotel_id")), roomType: try row.string("room_type"), ratePlan: try row.string("rate_plan"),
                net: try row.amount("net"), free: try row.int("free"))
        }
    }

    /// The stay's nights of one room type with their prices in one rate plan, to explain a refusal.
    func nights(hotel: Int64, roomType: String, ratePlan: String, checkIn: CalendarDate, checkOut: CalendarDate) async throws -> [CalendarNight] {
        try await pool.query(
            """
            SELECT n.night, n.allotment, n.sold, n.held, n.stop_sell, n.min_stay, n.closed_to_arrival, n.release_days, p.price
            FROM inventory.nights n
            LEFT JOIN inventory.night_prices p ON p.hotel_id = n.hotel_id AND p.room_type = n.room_type AND p.night = n.night AND p.rate_plan = $3
            WHERE n.hotel_id = $1 AND n.room_type = $2 AND n.night >= $4::date AND n.night < $5::date
            """,
            [Int(hotel), roomType, ratePlan, checkIn, checkOut]
        ).map { row in
            CalendarNight(
                night: try row.calendarDate("night"), allotment: try row.int("allotment"), sold: try row.int("sold"), held: try row.int("held"),
                stopSell: try row.bool("stop_sell"), minStay: try row.int("min_stay"), closedToArrival: try row.bool("closed_to_arrival"),
                releaseDays: try row.int("release_days"), price: try row.optionalAmount("price"))
        }
    }
}
