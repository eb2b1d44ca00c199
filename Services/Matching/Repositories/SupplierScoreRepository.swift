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
            for (id, call) in calls where fresh.contains(id) && !SupplierStanding.ignoredOutcomes.contains(call.outcome) {
                let failed = SupplierStanding.failureOutcomes.contains(call.outcome) ? 1 : 0
                tally[call.supplier, default: SupplierStanding()].calls += 1
                tally[call.supplier, default: SupplierStanding()].failures += failed
                if call.operation == "availability" {
                    tally[call.supplier, default: SupplierStanding()].availabilityCalls += 1
                    tally[call.supplier, default: SupplierStanding()].availabilityFailures += failed
                }
            }
            for (supplier, add) in tally {
                _ = try connection.execute(
                    """
                    INSERT INTO matching.supplier_scores (supplier, calls, failures, availability_calls, availability_failures) VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT (supplier) DO UPDATE SET calls = supplier_scores.calls + $2, failures = supplier_scores.failures + $3,
                        availability_calls = supplier_scores.availability_calls + $4, availability_failures = supplier_scores.availability_failures + $5,
                        updated_at = now()
                    """, [supplier, add.calls, add.failures, add.availabilityCalls, add.availabilityFailures])
            }
        }
    }

    func standings(_ suppliers: [String]) async throws -> [String: SupplierStanding] {
        let rows = try await pool.query("SELECT * FROM matching.supplier_scores WHERE supplier = ANY($1::text[])", [PostgresArray(suppliers)])
        return Dictionary(uniqueKeysWithValues: try rows.map { row in
            (try row.string("supplier"), SupplierStanding(
                calls: try row.int("calls"), failures: try row.int("failures"), availabilityCalls: try row.int("availability_calls"),
                availabilityFailures: try row.int("availability_failures")))
        })
    }
}
