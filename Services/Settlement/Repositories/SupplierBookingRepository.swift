// The bookings as each supplier should bill them, kept from order events beside the ledger (same
// transaction): payment.captured records the booking, order.cancelled marks it cancelled with the
// supplier's penalty. Either may come first; the row ends the same.

import FoundationEssentials
import Shared

struct SupplierBookingRepository: Sendable {
    let pool: PostgresPool

    static func record(_ events: [ConsumedEvent<OrderEventData>], on connection: PostgresConnection) throws {
        for event in events {
            let order = event.payload.order, booked = event.payload.internal
            let cancelled = event.envelope.type == OrderEventType.cancelled
            try connection.execute(
                """
                INSERT INTO settlement.supplier_bookings
                    (order_id, supplier, supplier_reference, our_reference, check_in, check_out, net, currency, cancelled, supplier_penalty)
                VALUES ($1, $2, $3, $4, $5::date, $6::date, $7, $8, $9, $10)
                ON CONFLICT (order_id) DO UPDATE SET
                    supplier_reference = coalesce(supplier_bookings.supplier_reference, excluded.supplier_reference),
                    cancelled = supplier_bookings.cancelled OR excluded.cancelled,
                    supplier_penalty = coalesce(excluded.supplier_penalty, supplier_bookings.supplier_penalty)
                """,
                [order.orderId, booked.supplier, booked.supplierReference, order.number, order.checkIn, order.checkOut, booked.net.amount.value,
                 booked.net.currency, cancelled, cancelled ? booked.supplierPenalty?.amount.value : nil])
        }
    }

    /// What the platform owes `supplier` for the stays checking out in `period`: a booking kept at
    /// its net, a cancelled one at the supplier's penalty (none when it charged nothing).
    func owed(to supplier: String, in period: StatementPeriod) async throws -> [OwedBooking] {
        try await pool.query(
            """
            SELECT order_id, supplier_reference, our_reference, currency,
                   CASE WHEN cancelled THEN coalesce(supplier_penalty, 0) ELSE net END AS owed
            FROM settlement.supplier_bookings
            WHERE supplier = $1 AND check_out BETWEEN $2::date AND $3::date AND (NOT cancelled OR coalesce(supplier_penalty, 0) > 0)
            ORDER BY order_id
            """, [supplier, period.from, period.to]
        ).map { row in
            OwedBooking(orderId: try row.string("order_id"), supplierReference: try row.optionalString("supplier_reference"),
                        ourReference: try row.string("our_reference"), owed: Money(try row.amount("owed"), try row.string("currency")))
        }
    }
}
