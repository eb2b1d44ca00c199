// Holds: rooms kept for an order on every night of its stay, all or none, never oversold. Each
// change is one statement: the hold locks the stay's nights in date order (FOR UPDATE), checks them
// all (SellableNight, the price), adds to `held` and records the hold; confirm, release, cancel and
// the sweeper move a hold's status with a compare-and-swap and its rooms with it. The CHECK
// `nights_never_oversold` backs every one: a night over its allotment fails the whole statement.

import FoundationEssentials
import Shared

struct HoldRepository: Sendable {
    let pool: PostgresPool

    /// A hold to make: what the verified rate key names, for how many rooms, until when.
    struct Wanted: Sendable {
        var orderId: String
        var rate: RateKey
        var rateKey: String
        var rooms: Int
        var policies: [CancellationPolicy]
        var expiresAt: Date

        var stay: Stay { Stay(checkIn: rate.checkIn, checkOut: rate.checkOut, rooms: rooms) }
        var net: Amount { Amount(rate.net.value * Decimal(rooms)) }
    }

    enum Outcome: Sendable {
        case made(Hold)
        /// Some night cannot be sold to this stay.
        case unsellable
        /// Sellable, at another price (all rooms) than the rate key's.
        case priceChanged(Amount)
        /// The order holds rooms already.
        case exists
    }

    static let columns = "order_id, hotel_id, room_type, rate_plan, check_in, check_out, rooms, status, net, currency, cancellation, expires_at"

    func hold(_ wanted: Wanted, today: CalendarDate, trace: TraceContext?) async throws -> Outcome {
        let rate = wanted.rate
        let hold = Hold(
            orderId: wanted.orderId, hotelId: rate.hotelId, roomType: rate.roomType, ratePlan: rate.ratePlan, checkIn: rate.checkIn, checkOut: rate.checkOut,
            rooms: wanted.rooms, status: .held, net: Money(wanted.net, rate.currency), cancellationPolicies: wanted.policies, expiresAt: wanted.expiresAt)
        let events = try Outbox.Rows([try Self.event(hold, .hold, trace: trace)], schema: "inventory")
        let sellable = SellableNight.condition(rooms: "$5", today: "$6", checkIn: "$3", nights: "$7")
        let rows: PostgresRows
        do {
            rows = try await retryingDeadlocks {
                try await pool.query(
                    """
                    WITH stay AS (
                        SELECT n.night, \(sellable) AS sellable, p.price
                        FROM inventory.nights n
                        LEFT JOIN inventory.night_prices p
                            ON p.hotel_id = n.hotel_id AND p.room_type = n.room_type AND p.night = n.night AND p.rate_plan = $8
                        WHERE n.hotel_id = $1 AND n.room_type = $2 AND n.night >= $3::date AND n.night < $4::date
                        ORDER BY n.night
                        FOR UPDATE OF n
                    ), verdict AS (
                        SELECT count(*) = $7 AND coalesce(bool_and(sellable AND price IS NOT NULL), false) AS sellable, sum(price) * $5 AS net FROM stay
                    ), taken AS (
                        UPDATE inventory.nights n SET held = n.held + $5
                        FROM verdict WHERE verdict.sellable AND verdict.net = $9
                            AND n.hotel_id = $1 AND n.room_type = $2 AND n.night >= $3::date AND n.night < $4::date
                        RETURNING n.night
                    ), made AS (
                        INSERT INTO inventory.holds (order_id, hotel_id, room_type, rate_plan, check_in, check_out, rooms, status, net, currency,
                            cancellation, rate_key, expires_at)
                        SELECT $10, $1, $2, $8, $3, $4, $5, 'held', net, $12, $13, $14, $11 FROM verdict WHERE sellable AND net = $9
                        RETURNING order_id
                    ), outbox AS (
                        \(events.insert(firstParameter: 15, when: "EXISTS (SELECT 1 FROM made)"))
                    )
                    SELECT sellable, net, (SELECT count(*) FROM made)::int AS made FROM verdict
                    """,
                    [Int(rate.hotelId), rate.roomType, rate.checkIn, rate.checkOut, wanted.rooms, today, wanted.stay.nights, rate.ratePlan, wanted.net.value,
                     wanted.orderId, wanted.expiresAt, rate.currency, try PostgresJSON(wanted.policies), wanted.rateKey] + events.parameters,
                    writing: events)
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            return .exists
        } catch let error as PostgresError where error.sqlState == "23514" {
            // The CHECK caught what the lock and the condition should have: refused all the same.
            return .unsellable
        }
        guard let row = rows.first else { return .unsellable }
        if try row.int("made") == 1 { return .made(hold) }
        if try await self.hold(of: wanted.orderId) != nil { return .exists }
        guard try row.bool("sellable"), let net = try row.optionalAmount("net") else { return .unsellable }
        return .priceChanged(net)
    }

    func hold(of order: String) async throws -> Hold? {
        try await pool.query("SELECT \(Self.columns) FROM inventory.holds WHERE order_id = $1", [order]).first.map(Self.hold)
    }

    /// The hold with the rate key it was made with (a replay must name the same).
    func holdAndRateKey(of order: String) async throws -> (Hold, String)? {
        try await pool.query("SELECT \(Self.columns), rate_key FROM inventory.holds WHERE order_id = $1", [order]).first.map { (try Self.hold($0), try $0.string("rate_key")) }
    }

    /// Moves `hold` (as just read) to `to`, with a compare-and-swap on the status read: held ->
    /// confirmed moves its rooms from held to sold; held -> released or expired gives them back;
    /// confirmed -> cancelled gives back the nights not yet passed. Nil when another call moved it
    /// first (or, confirming, it has expired meanwhile).
    func move(_ hold: Hold, to: HoldStatus, today: CalendarDate, trace: TraceContext?) async throws -> Hold? {
        let nights = switch (hold.status, to) {
        case (.held, .confirmed): "held = n.held - h.rooms, sold = n.sold + h.rooms"
        case (.held, _): "held = n.held - h.rooms"
        default: "sold = n.sold - h.rooms"
        }
        let cause: InventoryUpdatedEvent.Cause? = switch to {
        case .released: .release
        case .expired: .expiry
        case .cancelled: .cancellation
        default: nil
        }
        var moved = hold
        moved.status = to
        let events = try Outbox.Rows(cause.map { [try Self.event(hold, $0, trace: trace)] } ?? [], schema: "inventory")
        let stillValid = hold.status == .held && to == .confirmed ? "AND expires_at > now()" : ""
        let changed = try await retryingDeadlocks {
            try await pool.query(
                """
                WITH h AS (
                    UPDATE inventory.holds SET status = $3, updated_at = now() WHERE order_id = $1 AND status = $2 \(stillValid)
                    RETURNING hotel_id, room_type, check_in, check_out, rooms
                ), nights AS (
                    UPDATE inventory.nights n SET \(nights) FROM h
                    WHERE n.hotel_id = h.hotel_id AND n.room_type = h.room_type AND n.night >= h.check_in AND n.night < h.check_out
                        AND ($3 <> 'cancelled' OR n.night >= $4::date)
                ), outbox AS (
                    \(events.insert(firstParameter: 5, when: "EXISTS (SELECT 1 FROM h)"))
                )
                SELECT count(*)::int AS moved FROM h
                """,
                [hold.orderId, hold.status.rawValue, to.rawValue, today] + events.parameters, writing: events)
        }
        return try changed.first?.int("moved") == 1 ? moved : nil
    }

    /// Orders whose holds are past their expiry, oldest first.
    func due(limit: Int, now: Date = Date()) async throws -> [String] {
        try await pool.query(
            "SELECT order_id FROM inventory.holds WHERE status = 'held' AND expires_at <= $1 ORDER BY expires_at LIMIT $2", [now, limit]
        ).map { try $0.string("order_id") }
    }

    // MARK: Parts

    static func event(_ hold: Hold, _ cause: InventoryUpdatedEvent.Cause, trace: TraceContext?) throws -> EventEnvelope {
        try EventEnvelope(
            type: InventoryUpdatedEvent.type, producer: "inventory", tenantId: nil, trace: trace,
            payload: InventoryUpdatedEvent(hotelId: hold.hotelId, roomType: hold.roomType, firstNight: hold.checkIn, lastNight: hold.checkOut.adding(days: -1), cause: cause))
    }

    static func hold(_ row: PostgresRow) throws -> Hold {
        let currency = try row.string("currency")
        return Hold(
            orderId: try row.string("order_id"), hotelId: Int64(try row.int("hotel_id")), roomType: try row.string("room_type"),
            ratePlan: try row.string("rate_plan"), checkIn: try row.calendarDate("check_in"), checkOut: try row.calendarDate("check_out"),
            rooms: try row.int("rooms"), status: HoldStatus(rawValue: try row.string("status")) ?? .held, net: Money(try row.amount("net"), currency),
            cancellationPolicies: try row.json("cancellation"), expiresAt: try row.date("expires_at"))
    }

    /// Runs `body` again when PostgreSQL broke a deadlock by aborting it (two stays locking shared
    /// nights in another order), a few times.
    func retryingDeadlocks<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        for attempt in 1... {
            do {
                return try await body()
            } catch let error as PostgresError where error.isDeadlock && attempt < 5 {
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(4 << attempt))))
            }
        }
        fatalError("unreachable")
    }
}
