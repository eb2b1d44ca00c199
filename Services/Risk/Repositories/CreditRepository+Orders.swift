// Orders' credit operations: reserve, capture, release, refund; and the sweeper's release of
// reservations nobody closed in time. Each is one statement (see CreditRepository); capture,
// release and refund first read the reservation, decide (CreditOperation) and write with a
// compare-and-swap on the status and figures they read, deciding again if another call got there first.

import FoundationEssentials
import Shared

extension CreditRepository {
    /// What an operation answers: the reservation, and whether this was a replay of an earlier call.
    typealias Answered = (reservation: CreditReservation, replayed: Bool)

    func reserve(_ request: CreditReserveRequest, expiresAt: Date, trace: TraceContext?, by actor: String) async throws -> Answered {
        let amount = request.amount.amount
        let answer = CreditReservation(
            orderId: request.orderId, tenantId: request.tenantId, status: .reserved, amount: request.amount,
            captured: Money(.zero, request.amount.currency), refunded: Money(.zero, request.amount.currency), expiresAt: expiresAt)
        let events = try Outbox.Rows([try Self.event(.reserve, answer, trace: trace)], schema: "risk")
        do {
            let rows = try await pool.query(
                """
                WITH account AS (
                    UPDATE risk.credit_accounts SET reserved = reserved + $3, updated_at = now()
                    WHERE tenant_id = $2 AND currency = $4 AND NOT frozen AND balance + credit_limit - reserved >= $3
                    RETURNING tenant_id, balance, reserved, credit_limit
                ), reservation AS (
                    INSERT INTO risk.credit_reservations (order_id, tenant_id, amount, status, expires_at)
                    SELECT $1, tenant_id, $3, 'reserved', $5 FROM account RETURNING order_id
                ), journal AS (
                    INSERT INTO risk.credit_journal (tenant_id, entry, order_id, reserved_change, balance, reserved, credit_limit, actor)
                    SELECT tenant_id, 'reserved', $1, $3, balance, reserved, credit_limit, $6 FROM account
                ), operation AS (
                    INSERT INTO risk.credit_operations (order_id, operation, amount, answer) SELECT $1, 'reserve', $3, $7 FROM account
                ), outbox AS (
                    \(events.insert(firstParameter: 8, when: "EXISTS (SELECT 1 FROM account)"))
                )
                SELECT order_id FROM reservation
                """,
                [request.orderId, request.tenantId, amount.value, request.amount.currency, expiresAt, actor, try PostgresJSON(answer)] + events.parameters,
                writing: events)
            if !rows.isEmpty { return (answer, false) }
        } catch let error as PostgresError where error.isUniqueViolation {
            // The same order reserved at the same moment: the other call's answer is the one.
        }
        if let state = try await state(of: request.orderId, .reserve) {
            guard state.reservation.tenantId == request.tenantId else {
                throw Problem(.conflict, code: "idempotency_conflict", detail: "Order \(request.orderId) belongs to another tenant's reservation.")
            }
            guard case .replay(let earlier) = try CreditOperation.reserve.decide(state, amount: amount) else { throw Self.lost(request.orderId) }
            return (earlier, true)
        }
        throw try await whyNotReserved(request)
    }

    /// Capture, release or refund `order`'s reservation.
    /// `currency`: the one the caller's amount is in (nil when it gave none).
    func apply(_ operation: CreditOperation, order: String, amount: Amount?, currency: String?, trace: TraceContext?, by actor: String) async throws -> Answered {
        for _ in 0..<5 {
            guard let state = try await state(of: order, operation) else {
                throw Problem(.notFound, code: "unknown_reservation", detail: "Order \(order) has no credit reservation.")
            }
            if let currency, currency != state.currency {
                throw Problem(.unprocessableContent, code: "currency_mismatch", detail: "The reservation is in \(state.currency).")
            }
            switch try operation.decide(state, amount: amount) {
            case .replay(let earlier):
                return (earlier, true)
            case .apply(let next, let balanceChange, let reservedChange):
                if try await write(operation, from: state.reservation, to: next, amount: amount, balanceChange: balanceChange, reservedChange: reservedChange,
                    trace: trace, by: actor)
                {
                    return (next, false)
                }
            }
        }
        throw Self.lost(order)
    }

    /// Releases reservations past their expiry (at most `limit`), each as its own `expired` movement;
    /// returns how many it released.
    func sweepExpired(limit: Int = 100, now: Date = Date()) async throws -> Int {
        let due = try await pool.query(
            "SELECT order_id FROM risk.credit_reservations WHERE status = 'reserved' AND expires_at <= $1 ORDER BY expires_at LIMIT $2", [now, limit])
        var released = 0
        for row in due {
            let order = try row.string("order_id")
            guard let state = try await state(of: order, .release), state.reservation.status == .reserved else { continue }
            var next = state.reservation
            next.status = .expired
            if try await write(.release, from: state.reservation, to: next, amount: nil, balanceChange: .zero, reservedChange: .zero - state.reservation.amount.amount,
                trace: nil, by: "sweeper", entry: .expired, record: false)
            {
                released += 1
            }
        }
        return released
    }

    func reservation(_ order: String) async throws -> CreditReservation? {
        try await state(of: order, .reserve)?.reservation
    }

    // MARK: Parts

    /// The reservation with its account's currency and the answer `operation` gave it, if any.
    func state(of order: String, _ operation: CreditOperation) async throws -> CreditOperation.State? {
        guard
            let row = try await pool.query(
                """
                SELECT r.order_id, r.tenant_id, r.amount, r.status, r.captured, r.refunded, r.expires_at, a.currency, o.amount AS asked, o.answer
                FROM risk.credit_reservations r JOIN risk.credit_accounts a USING (tenant_id)
                LEFT JOIN risk.credit_operations o ON o.order_id = r.order_id AND o.operation = $2
                WHERE r.order_id = $1
                """,
                [order, operation.rawValue]
            ).first
        else { return nil }
        let currency = try row.string("currency")
        let reservation = CreditReservation(
            orderId: try row.string("order_id"), tenantId: try row.string("tenant_id"),
            status: CreditReservationStatus(rawValue: try row.string("status")) ?? .reserved, amount: Money(try row.amount("amount"), currency),
            captured: Money(try row.amount("captured"), currency), refunded: Money(try row.amount("refunded"), currency),
            expiresAt: try row.date("expires_at"))
        let earlier = try row.isNull("answer")
            ? nil : (amount: try row.isNull("asked") ? nil : try row.amount("asked"), answer: try row.json("answer", as: CreditReservation.self))
        return CreditOperation.State(reservation: reservation, currency: currency, earlier: earlier)
    }

    /// Moves the reservation from `current` to `next` and the account by the changes, if the
    /// reservation is still as read; false when it is not (another call changed it first).
    private func write(
        _ operation: CreditOperation, from current: CreditReservation, to next: CreditReservation, amount: Amount?, balanceChange: Amount,
        reservedChange: Amount, trace: TraceContext?, by actor: String, entry: CreditMovement.Entry? = nil, record: Bool = true
    ) async throws -> Bool {
        let events = try Outbox.Rows([try Self.event(operation, next, trace: trace)], schema: "risk")
        let rows = try await pool.query(
            """
            WITH reservation AS (
                UPDATE risk.credit_reservations SET status = $3, captured = $4, refunded = $5, updated_at = now()
                WHERE order_id = $1 AND status = $2 AND captured = $6 AND refunded = $7
                RETURNING tenant_id
            ), account AS (
                UPDATE risk.credit_accounts a SET balance = a.balance + $8, reserved = a.reserved + $9, updated_at = now()
                FROM reservation r WHERE a.tenant_id = r.tenant_id
                RETURNING a.tenant_id, a.balance, a.reserved, a.credit_limit
            ), journal AS (
                INSERT INTO risk.credit_journal (tenant_id, entry, order_id, balance_change, reserved_change, balance, reserved, credit_limit, actor)
                SELECT tenant_id, $10, $1, $8, $9, balance, reserved, credit_limit, $11 FROM account
            ), operation AS (
                INSERT INTO risk.credit_operations (order_id, operation, amount, answer) SELECT $1, $12, $13, $14 FROM account WHERE $15::boolean
            ), outbox AS (
                \(events.insert(firstParameter: 16, when: "EXISTS (SELECT 1 FROM account)"))
            )
            SELECT tenant_id FROM account
            """,
            [
                current.orderId, current.status.rawValue, next.status.rawValue, next.captured.amount.value, next.refunded.amount.value,
                current.captured.amount.value, current.refunded.amount.value, balanceChange.value, reservedChange.value,
                (entry ?? operation.entry).rawValue, actor, operation.rawValue, amount?.value, try PostgresJSON(next), record,
            ] + events.parameters, writing: events)
        return !rows.isEmpty
    }

    /// Why a reserve changed nothing: no account, another currency, frozen, or not enough available.
    private func whyNotReserved(_ request: CreditReserveRequest) async throws -> Problem {
        guard let account = try await account(request.tenantId) else {
            return Problem(.unprocessableContent, code: "no_credit_account", detail: "Tenant \(request.tenantId) has no credit account: an operator opens one.")
        }
        if account.currency != request.amount.currency {
            return Problem(.unprocessableContent, code: "currency_mismatch", detail: "The account is in \(account.currency); reserve in it.")
        }
        if account.frozen {
            return Problem(.conflict, code: "account_frozen", detail: "The tenant's credit account is frozen: nothing can be reserved on it.")
        }
        return Problem(
            .unprocessableContent, code: "insufficient_credit",
            detail: "\(request.amount.amount) \(account.currency) asked, \(account.available) \(account.currency) available.",
            extensions: ["available": .string(account.available.description)])
    }

    private static func lost(_ order: String) -> Problem {
        Problem(.conflict, code: "concurrent_change", detail: "Order \(order)'s reservation kept changing under this call; retry it.", headers: [.retryAfter: "1"])
    }

    /// The operation's event (an expired reservation's release is `credit.released`, its status `expired`).
    static func event(_ operation: CreditOperation, _ reservation: CreditReservation, trace: TraceContext?) throws -> EventEnvelope {
        try EventEnvelope(type: operation.eventType, producer: "risk", tenantId: reservation.tenantId, trace: trace, payload: reservation)
    }
}
