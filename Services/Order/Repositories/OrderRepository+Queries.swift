// Lists of orders (a distributor's own, or any for operators), an order's history, and what the
// keeper looks for: sagas due, holds past their expiry, stays over.

import FoundationEssentials
import Shared

struct OrderFilter: Sendable {
    var tenant: String?
    var status: DisplayStatus?
    var checkInFrom: CalendarDate?
    var checkInTo: CalendarDate?
    var createdFrom: Date?
    var createdTo: Date?
    var clientReference: String?
    var supplier: String?

    /// The SQL of a display status (DisplayStatus spelled in columns).
    static func condition(_ status: DisplayStatus) -> String {
        switch status {
        case .pending: "order_status IN ('INIT', 'CREATED') AND step NOT IN ('review', 'await_confirmation')"
        case .inReview: "order_status = 'INIT' AND step = 'review'"
        case .onHold: "order_status = 'CREATED' AND step = 'await_confirmation'"
        case .confirmed: "order_status = 'CONFIRMED' AND step <> 'cancel'"
        case .cancelling: "order_status = 'CONFIRMED' AND step = 'cancel'"
        case .cancelled: "order_status = 'CLOSED' AND close_reason = 'CUSTOMER_CANCELLED'"
        case .completed: "order_status = 'COMPLETED'"
        case .expired: "order_status = 'CLOSED' AND close_reason = 'EXPIRED'"
        case .rejected: "order_status = 'CLOSED' AND close_reason = 'RISK_REJECTED'"
        case .failed: "order_status = 'CLOSED' AND close_reason NOT IN ('CUSTOMER_CANCELLED', 'EXPIRED', 'RISK_REJECTED')"
        }
    }
}

/// Where a page ends: the last order's creation time and id (newest first).
struct OrderCursor: Sendable, Equatable {
    var createdAt: Date
    var id: UUID

    var text: String { Base64URL.encode(Array("\(Timestamp.iso8601Milliseconds(createdAt))|\(id.uuidString.lowercased())".utf8)) }

    init(createdAt: Date, id: UUID) {
        self.createdAt = createdAt
        self.id = id
    }

    init?(_ text: String) {
        guard text.count <= 200, let bytes = Base64URL.decode(text) else { return nil }
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: "|")
        guard parts.count == 2, let at = PlatformJSON.parseTimestamp(String(parts[0])), let id = UUID(uuidString: String(parts[1])) else { return nil }
        (createdAt, self.id) = (at, id)
    }
}

extension OrderRepository {
    /// Newest first, at most `limit`, after `cursor`; a tenant's only when the filter names one.
    func list(_ filter: OrderFilter, after cursor: OrderCursor?, limit: Int) async throws -> (orders: [Order], next: OrderCursor?) {
        var conditions = ["true"]
        var parameters: [(any PostgresBindable)?] = []
        func add(_ sql: (String) -> String, _ value: (any PostgresBindable)?) {
            guard let value else { return }
            parameters.append(value)
            conditions.append(sql("$\(parameters.count)"))
        }
        add({ "tenant_id = \($0)" }, filter.tenant)
        add({ "check_in >= \($0)::date" }, filter.checkInFrom)
        add({ "check_in <= \($0)::date" }, filter.checkInTo)
        add({ "created_at >= \($0)::timestamptz" }, filter.createdFrom)
        add({ "created_at < \($0)::timestamptz" }, filter.createdTo)
        add({ "client_reference = \($0)" }, filter.clientReference)
        add({ "supplier = \($0)" }, filter.supplier)
        if let status = filter.status { conditions.append("(\(OrderFilter.condition(status)))") }
        if let cursor {
            parameters += [cursor.createdAt, cursor.id]
            conditions.append("(created_at, id) < ($\(parameters.count - 1)::timestamptz, $\(parameters.count)::uuid)")
        }
        let sql = "SELECT \(Self.columns) FROM orders.orders WHERE \(conditions.joined(separator: " AND ")) ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)"
        let bound = parameters
        let orders = try await scoped(filter.tenant) { connection in try connection.query(sql, bound).map(Self.order) }
        guard orders.count > limit else { return (orders, nil) }
        let page = Array(orders.prefix(limit))
        return (page, page.last.map { OrderCursor(createdAt: $0.createdAt, id: $0.id) })
    }

    func history(of id: UUID) async throws -> [HistoryEntry] {
        try await pool.query(
            "SELECT at, actor, event, from_state, to_state, step, detail FROM orders.order_history WHERE order_id = $1 ORDER BY seq", [id]
        ).map { row in
            HistoryEntry(
                at: try row.date("at"), actor: try row.string("actor"), event: try row.string("event"), from: try row.optionalString("from_state"),
                to: try row.optionalString("to_state"), step: try row.optionalString("step"), detail: try row.isNull("detail") ? nil : try row.json("detail"))
        }
    }

    // MARK: The keeper's

    /// Orders whose saga should run now and that nobody runs.
    func due(limit: Int) async throws -> [UUID] {
        try await pool.query(
            """
            SELECT id FROM orders.orders
            WHERE step NOT IN ('done', 'await_confirmation') AND (next_attempt_at IS NULL OR next_attempt_at <= now())
                AND (lease_until IS NULL OR lease_until <= now())
            ORDER BY next_attempt_at NULLS FIRST LIMIT $1
            """, [limit]).map { try $0.uuid("id") }
    }

    /// Orders on hold past their expiry.
    func expiredHolds(limit: Int) async throws -> [UUID] {
        try await pool.query(
            "SELECT id FROM orders.orders WHERE step = 'await_confirmation' AND hold_expires_at <= now() ORDER BY hold_expires_at LIMIT $1", [limit]
        ).map { try $0.uuid("id") }
    }

    /// Confirmed orders whose check-out date is past (`today`, UTC).
    func staysOver(today: CalendarDate, limit: Int) async throws -> [UUID] {
        try await pool.query(
            "SELECT id FROM orders.orders WHERE order_status = 'CONFIRMED' AND step = 'done' AND check_out < $1::date ORDER BY check_out LIMIT $2", [today, limit]
        ).map { try $0.uuid("id") }
    }

    /// Wakes an order's saga now (risk decided its review; an operator asks for a reconciliation).
    @discardableResult
    func wake(_ id: UUID, resetAttempts: Bool = false) async throws -> Bool {
        try await pool.execute(
            "UPDATE orders.orders SET next_attempt_at = now(), attempts = CASE WHEN $2 THEN 0 ELSE attempts END WHERE id = $1 AND step NOT IN ('done', 'await_confirmation')",
            [id, resetAttempts]) == 1
    }

    /// Forgets Idempotency-Keys older than a day.
    func forgetOldKeys() async throws -> Int {
        try await pool.execute("DELETE FROM orders.idempotency_keys WHERE created_at < now() - interval '24 hours'")
    }
}
