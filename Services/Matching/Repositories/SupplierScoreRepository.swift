// What matching learned about each supplier from `supplier.call` events, counted once per event.

import FoundationEssentials
import Shared

struct SupplierScoreRepository: Sendable {
    let pool: PostgresPool
    static let consumer = "matching.supplier-calls"

    /// Adds the calls of `events` not seen before.
    func record(_ events: [EventEnvelope]) async throws {
        let calls = try events.map { ($0.id, try $0.payload(as: SupplierCallEvent.self)) }
        try await pool.transaction { connection in
            let fresh = try Inbox.record(calls.map(\.0), consumer: Self.consumer, schema: "matching", on: connection)
            var tally: [String: SupplierStanding] = [:]
            for (id, call) in calls where fresh.contains(id) { tally[call.supplier, default: SupplierStanding()].learn(call) }
            for (supplier, add) in tally where add.calls > 0 {
                _ = try connection.execute(
                    """
                    INSERT INTO matching.supplier_scores (supplier, calls, failures, searches, searches_with_rooms, bookings, bookings_confirmed)
                    VALUES ($1, $2, $3, $4, $5, $6, $7)
                    ON CONFLICT (supplier) DO UPDATE SET calls = supplier_scores.calls + $2, failures = supplier_scores.failures + $3,
                        searches = supplier_scores.searches + $4, searches_with_rooms = supplier_scores.searches_with_rooms + $5,
                        bookings = supplier_scores.bookings + $6, bookings_confirmed = supplier_scores.bookings_confirmed + $7, updated_at = now()
                    """, [supplier, add.calls, add.failures, add.searches, add.searchesWithRooms, add.bookings, add.bookingsConfirmed])
            }
        }
    }

    func standings(_ suppliers: [String]) async throws -> [String: SupplierStanding] {
        let rows = try await pool.query("SELECT * FROM matching.supplier_scores WHERE supplier = ANY($1::text[])", [PostgresArray(suppliers)])
        return Dictionary(uniqueKeysWithValues: try rows.map { row in
            (try row.string("supplier"), SupplierStanding(
                calls: try row.int("calls"), failures: try row.int("failures"), searches: try row.int("searches"),
                searchesWithRooms: try row.int("searches_with_rooms"), bookings: try row.int("bookings"), bookingsConfirmed: try row.int("bookings_confirmed")))
        })
    }
}
