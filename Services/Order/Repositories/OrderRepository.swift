// Orders in PostgreSQL. An order is placed with its Idempotency-Key in one statement; every later
// change is one statement: a compare-and-swap on the version read, the history row and the events
// (outbox) with it, so a change and its record commit together or not at all. Whoever runs an
// order's saga holds its lease (`lease_until`), renewed with each change; a crashed holder's lease
// runs out and the keeper takes the order over.

import FoundationEssentials
import Shared

struct OrderRepository: Sendable {
    let pool: PostgresPool
    /// How long a saga holds an order between two changes.
    let lease: Duration

    static let columns = """
        id, number, tenant_id, client_reference, order_status, payment_status, supplier_status, close_reason, step, version, hold, hold_expires_at,
        offer_id, terms, agreed, tolerance, guests, contact, remark, client_ip, reserved, charge, charge_currency, risk, supplier_reference, penalty, refunded, closing, failure,
        supplier_penalty, supplier_penalty_currency, attempts, refused_by, created_at, updated_at, confirmed_at, closed_at
        """

    var leaseSeconds: Int { max(1, Int(lease.components.seconds)) }

    // MARK: Placing

    /// What the Idempotency-Key already holds.
    struct KeyRecord: Sendable {
        var fingerprint: String
        var orderId: UUID
        /// The first final answer.
        var answer: (status: Int, body: String)?
        /// The first request is still being answered.
        var answering: Bool
    }

    enum Placement: Sendable {
        /// New: placed now, its lease held by the caller.
        case placed(Order)
        case existing(KeyRecord)
    }

    func place(_ order: Order, key: String, fingerprint: String, answerWithin: Duration) async throws -> Placement {
        let lease = leaseSeconds, answering = max(1, Int(answerWithin.components.seconds) + 5)
        let terms = try PostgresJSON(order.terms), tolerance = try order.tolerance.map { try PostgresJSON($0) }
        let guests = try PostgresJSON(order.guests), contact = try PostgresJSON(order.contact)
        // One statement: the key claimed, and only then the order and its first history row.
        let placed = try await pool.query(
            """
            WITH claimed AS (
                INSERT INTO orders.idempotency_keys (tenant_id, key, fingerprint, order_id, answering_until)
                VALUES ($3, $24, $25, $1, now() + make_interval(secs => $26)) ON CONFLICT DO NOTHING RETURNING order_id
            ), made AS (
                INSERT INTO orders.orders (id, number, tenant_id, client_reference, order_status, payment_status, supplier_status, step, hold, offer_id, terms,
                    supplier, master_hotel_id, check_in, check_out, sell, currency, net, net_currency, tolerance, guests, contact, remark, agreed, client_ip,
                    lease_until, next_attempt_at)
                SELECT $1, $2, $3, $4, 'INIT', 'INIT', 'NONE', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $22, $23,
                    now() + make_interval(secs => $21), now() + make_interval(secs => $21)
                FROM claimed RETURNING id
            ), history AS (
                INSERT INTO orders.order_history (order_id, tenant_id, actor, event, to_state, step) SELECT id, $3, $27, 'placed', $28, $5 FROM made
            )
            SELECT count(*)::int AS placed FROM made
            """,
            [order.id, order.number, order.tenantId, order.clientReference, order.step.rawValue, order.hold, order.offerId, terms, order.terms.supplier,
             Int(order.terms.masterHotelId), order.terms.checkIn, order.terms.checkOut, order.terms.sell.amount.value, order.terms.sell.currency,
             order.terms.net.amount.value, order.terms.net.currency, tolerance, guests, contact, order.remark, lease, order.agreed.amount.value, order.clientIp,
             key, fingerprint, answering, "distributor:\(order.tenantId)", order.state.description])
        if try placed.first?.int("placed") == 1 { return .placed(order) }
        guard let row = try await pool.query(
            """
            SELECT fingerprint, order_id, status, body, coalesce(answering_until > now(), false) AS answering
            FROM orders.idempotency_keys WHERE tenant_id = $1 AND key = $2
            """, [order.tenantId, key]).first
        else { throw Problem(.conflict, code: "idempotency_key_in_use", detail: "This Idempotency-Key is being used right now; retry in a moment.") }
        return .existing(KeyRecord(
            fingerprint: try row.string("fingerprint"), orderId: try row.uuid("order_id"),
            answer: try row.optionalInt("status").map { ($0, try row.string("body")) }, answering: try row.bool("answering")))
    }

    /// Keeps the first final answer to an Idempotency-Key; and ends its "being answered" either way.
    func answered(tenant: String, key: String, final answer: (status: Int, body: String)?) async throws {
        try await pool.execute(
            """
            UPDATE orders.idempotency_keys SET answering_until = NULL,
                status = coalesce(status, $3), body = CASE WHEN status IS NULL THEN $4 ELSE body END
            WHERE tenant_id = $1 AND key = $2
            """, [tenant, key, answer?.status, answer?.body])
    }

    /// Takes over answering a key whose first request did not finish (its process died, or it
    /// answered 202 before the saga ended); false while another request answers it.
    func takeAnswering(tenant: String, key: String, within: Duration) async throws -> Bool {
        try await pool.execute(
            """
            UPDATE orders.idempotency_keys SET answering_until = now() + make_interval(secs => $3)
            WHERE tenant_id = $1 AND key = $2 AND status IS NULL AND (answering_until IS NULL OR answering_until <= now())
            """, [tenant, key, max(1, Int(within.components.seconds) + 5)]) == 1
    }

    // MARK: Reading

    /// The order; a tenant given, only if it is that tenant's (row-level security says the same).
    func order(_ id: UUID, tenant: String? = nil) async throws -> Order? {
        try await scoped(tenant) { connection in
            try connection.query("SELECT \(Self.columns) FROM orders.orders WHERE id = $1 AND ($2::text IS NULL OR tenant_id = $2)", [id, tenant]).first.map(Self.order)
        }
    }

    /// Runs `body` in a transaction that sees only `tenant`'s rows (all rows for nil).
    func scoped<T: Sendable>(_ tenant: String?, _ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        guard let tenant else { return try await pool.withConnection(body) }
        return try await pool.transaction { connection in
            try connection.execute("SELECT set_config('orders.tenant', $1, true)", [tenant])
            return try body(connection)
        }
    }

    // MARK: Changing

    /// Takes the order's lease when nobody holds it: the order as it is then, or nil.
    func claim(_ id: UUID) async throws -> Order? {
        try await pool.query(
            """
            UPDATE orders.orders SET lease_until = now() + make_interval(secs => $2)
            WHERE id = $1 AND (lease_until IS NULL OR lease_until <= now()) RETURNING \(Self.columns)
            """, [id, leaseSeconds]).first.map(Self.order)
    }

    /// Gives the lease back (the saga stopped: waiting, done, or to try again at `retryAt` after a
    /// failed attempt), unless the order changed since.
    func letGo(_ order: Order, retryAt: Date? = nil, failedAttempt: Bool = false) async throws {
        try await pool.execute(
            "UPDATE orders.orders SET lease_until = NULL, next_attempt_at = $3, attempts = attempts + $4 WHERE id = $1 AND version = $2",
            [order.id, order.version, retryAt, failedAttempt ? 1 : 0])
    }

    /// Keeps the lease through a long call; false when the order changed meanwhile.
    func renew(_ order: Order) async throws -> Bool {
        try await pool.execute(
            "UPDATE orders.orders SET lease_until = now() + make_interval(secs => $3) WHERE id = $1 AND version = $2",
            [order.id, order.version, leaseSeconds]) == 1
    }

    /// One recorded change.
    struct Change: Sendable {
        var event: String
        var actor: String
        var detail: JSONValue?
        var events: [EventEnvelope] = []
        /// Whether the writer keeps running the saga (holds the lease).
        var keepLease = true
    }

    /// Writes `next` over `current` (the version read): nil when the order changed since.
    func save(_ next: Order, over current: Order, _ change: Change) async throws -> Order? {
        // No events, no outbox insert (nor a relay woken for nothing).
        let events = try Outbox.Rows(change.events, schema: "orders")
        let rows = try await pool.query(
            """
            WITH changed AS (
                UPDATE orders.orders SET order_status = $3, payment_status = $4, supplier_status = $5, close_reason = $6, step = $7, hold_expires_at = $8,
                    offer_id = $9, terms = $10, supplier = $11, sell = $12, currency = $13, net = $14, net_currency = $15, charge = $16, charge_currency = $17,
                    risk = $18, supplier_reference = $19, penalty = $20, refunded = $21, closing = $22, failure = $23, attempts = $24, confirmed_at = $25,
                    closed_at = $26, refused_by = $35::text[], reserved = $36, supplier_penalty = $37, supplier_penalty_currency = $38, lease_until = CASE WHEN $27 THEN now() + make_interval(secs => $28) END, next_attempt_at = NULL,
                    version = version + 1, updated_at = now()
                WHERE id = $1 AND version = $2
                RETURNING id, tenant_id, version, updated_at
            ), history AS (
                INSERT INTO orders.order_history (order_id, tenant_id, actor, event, from_state, to_state, step, detail)
                SELECT id, tenant_id, $29, $30, $31, $32, $33, $34 FROM changed
            )\(events.isEmpty ? "" : ", outbox AS (\(events.insert(firstParameter: 39, when: "EXISTS (SELECT 1 FROM changed)")))")
            SELECT version, updated_at FROM changed
            """,
            [next.id, current.version, next.state.order.rawValue, next.state.payment.rawValue, next.state.supplier.rawValue, next.state.closeReason?.rawValue,
             next.step.rawValue, next.holdExpiresAt, next.offerId, try PostgresJSON(next.terms), next.terms.supplier, next.terms.sell.amount.value,
             next.terms.sell.currency, next.terms.net.amount.value, next.terms.net.currency, next.charge?.amount.value, next.charge?.currency,
             try next.risk.map { try PostgresJSON($0) }, next.supplierReference, next.penalty?.amount.value, next.refunded?.amount.value,
             next.closing?.rawValue, try next.failure.map { try PostgresJSON($0) }, next.attempts, next.confirmedAt, next.closedAt,
             change.keepLease, leaseSeconds, change.actor, change.event, current.state.description, next.state.description, next.step.rawValue,
             try change.detail.map { try PostgresJSON($0) }, PostgresArray(next.refusedBy), next.reserved?.amount.value,
             next.supplierPenalty?.amount.value, next.supplierPenalty?.currency]
                + (events.isEmpty ? [] : events.parameters), writing: events)
        guard let row = rows.first else { return nil }
        var saved = next
        saved.version = try row.int("version")
        saved.updatedAt = try row.date("updated_at")
        return saved
    }

    // MARK: Rows

    static func order(_ row: PostgresRow) throws -> Order {
        let terms = try row.json("terms", as: OfferTerms.self)
        func money(_ column: String, _ currency: String) throws -> Money? {
            try row.optionalAmount(column).map { Money($0, currency) }
        }
        let chargeCurrency = try row.optionalString("charge_currency")
        return Order(
            id: try row.uuid("id"), number: try row.string("number"), tenantId: try row.string("tenant_id"), clientReference: try row.optionalString("client_reference"),
            state: OrderState(
                order: try Self.enumValue(row, "order_status"), payment: try Self.enumValue(row, "payment_status"), supplier: try Self.enumValue(row, "supplier_status"),
                closeReason: try row.optionalString("close_reason").flatMap(CloseReason.init)),
            step: try Self.enumValue(row, "step"), version: try row.int("version"), hold: try row.bool("hold"), holdExpiresAt: try row.optionalDate("hold_expires_at"),
            offerId: try row.string("offer_id"), terms: terms, agreed: Money(try row.amount("agreed"), terms.sell.currency),
            tolerance: try row.isNull("tolerance") ? nil : try row.json("tolerance"), guests: try row.json("guests"), contact: try row.json("contact"),
            remark: try row.optionalString("remark"), clientIp: try row.optionalString("client_ip"), charge: try chargeCurrency.flatMap { try money("charge", $0) },
            reserved: try chargeCurrency.flatMap { try money("reserved", $0) },
            risk: try row.isNull("risk") ? nil : try row.json("risk"), supplierReference: try row.optionalString("supplier_reference"),
            penalty: try money("penalty", terms.sell.currency), refunded: try chargeCurrency.flatMap { try money("refunded", $0) },
            supplierPenalty: try row.optionalString("supplier_penalty_currency").flatMap { try money("supplier_penalty", $0) },
            closing: try row.optionalString("closing").flatMap(CloseReason.init), failure: try row.isNull("failure") ? nil : try row.json("failure"),
            attempts: try row.int("attempts"), refusedBy: try row.stringArray("refused_by"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"),
            confirmedAt: try row.optionalDate("confirmed_at"), closedAt: try row.optionalDate("closed_at"))
    }

    static func enumValue<T: RawRepresentable>(_ row: PostgresRow, _ column: String) throws -> T where T.RawValue == String {
        let text = try row.string(column)
        guard let value = T(rawValue: text) else { throw UnknownValue(column: column, value: text) }
        return value
    }

    struct UnknownValue: Error, CustomStringConvertible {
        var column: String
        var value: String
        var description: String { "column \(column): '\(value)' is not a known value" }
    }
}
