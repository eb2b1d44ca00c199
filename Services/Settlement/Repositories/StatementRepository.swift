// Statements in PostgreSQL. Closing a cycle is one transaction under an advisory lock (so closers
// on other replicas wait, then find it closed): the cycle row, then per party and currency with
// postings not yet on a statement, an invoice number from its series (taken in this transaction:
// a rollback gives it back, so numbers have no gaps), the statement, its lines, and
// `statement.issued` in the outbox.

import FoundationEssentials
import Shared

struct StatementRepository: Sendable {
    let pool: PostgresPool
    static let closingLock = 86_001

    enum Refusal: Error, Equatable { case beforeLastCycle(Date) }

    func close(end: Date, by closer: String) async throws -> CycleClosing {
        try await pool.transaction { connection in
            _ = try connection.query("SELECT pg_advisory_xact_lock($1)", [Self.closingLock])
            if let closed = try Self.cycle(ending: end, on: connection) { return closed }
            let latest = try connection.query("SELECT max(cycle_end) AS latest FROM settlement.cycles").first?.optionalDate("latest")
            if let latest, latest > end { throw Refusal.beforeLastCycle(latest) }
            let closedAt = try connection.query(
                "INSERT INTO settlement.cycles (cycle_end, cycle_start, closed_by) VALUES ($1, $2, $3) RETURNING closed_at", [end, latest, closer]
            ).first!.date("closed_at")
            var statements: [Statement] = []
            for kind in PartyKind.allCases {
                statements += try Self.issue(kind, start: latest, end: end, on: connection)
            }
            let events = try statements.map { statement in
                try EventEnvelope(type: SettlementEventType.statementIssued, producer: "settlement",
                                  tenantId: statement.partyKind == .distributor ? statement.party : nil, trace: nil, payload: statement)
            }
            try Outbox.append(events, schema: "settlement", on: connection)
            return CycleClosing(cycleStart: latest, cycleEnd: end, closedBy: closer, closedAt: closedAt, closedNow: true, statements: statements)
        }
    }

    /// The statements of `kind` for postings before `end` on no statement yet, one per account and currency.
    private static func issue(_ kind: PartyKind, start: Date?, end: Date, on connection: PostgresConnection) throws -> [Statement] {
        let unbilled = """
            FROM settlement.ledger_postings p JOIN settlement.ledger_entries e ON e.id = p.entry_id
            WHERE p.account LIKE '\(kind.accountPrefix)%' AND e.occurred_at < $1
              AND NOT EXISTS (SELECT 1 FROM settlement.statement_lines l WHERE l.entry_id = p.entry_id AND l.account = p.account)
            """
        let groups = try connection.query(
            "SELECT p.account, e.currency, sum(\(kind.owedSign)) AS total, count(*)::int AS lines \(unbilled) GROUP BY p.account, e.currency ORDER BY p.account, e.currency",
            [end])
        let series = kind.series(for: end)
        var statements: [Statement] = []
        for group in groups {
            let account = try group.string("account"), currency = try group.string("currency")
            let number = try connection.query(
                """
                INSERT INTO settlement.invoice_series (series, last_number) VALUES ($1, 1)
                ON CONFLICT (series) DO UPDATE SET last_number = invoice_series.last_number + 1 RETURNING last_number
                """, [series]
            ).first!.int("last_number")
            let statement = Statement(
                id: UUID(), invoiceNumber: PartyKind.invoiceNumber(series: series, number: number), partyKind: kind,
                party: String(account.dropFirst(kind.accountPrefix.count)), currency: currency, periodStart: start, periodEnd: end,
                total: try group.amount("total"), lineCount: try group.int("lines"), issuedAt: Date(), lines: nil)
            try connection.execute(
                """
                INSERT INTO settlement.statements (id, series, number, invoice_number, party_kind, party, currency, cycle_end, period_start, total, line_count, issued_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                """,
                [statement.id, series, number, statement.invoiceNumber, kind.rawValue, statement.party, currency, end, start, statement.total.value,
                 statement.lineCount, statement.issuedAt])
            try connection.execute(
                """
                INSERT INTO settlement.statement_lines (statement_id, entry_id, account, order_id, kind, occurred_at, amount)
                SELECT $2, p.entry_id, p.account, e.order_id, e.kind, e.occurred_at, \(kind.owedSign) \(unbilled) AND p.account = $3 AND e.currency = $4
                """, [end, statement.id, account, currency])
            statements.append(statement)
        }
        return statements
    }

    private static func cycle(ending end: Date, on connection: PostgresConnection) throws -> CycleClosing? {
        guard let row = try connection.query("SELECT cycle_start, closed_by, closed_at FROM settlement.cycles WHERE cycle_end = $1", [end]).first else { return nil }
        let statements = try connection.query("\(Self.columns) WHERE cycle_end = $1 ORDER BY invoice_number", [end]).map(Self.statement)
        return CycleClosing(cycleStart: try row.optionalDate("cycle_start"), cycleEnd: end, closedBy: try row.string("closed_by"),
                            closedAt: try row.date("closed_at"), closedNow: false, statements: statements)
    }

    /// The latest closed cycle's end.
    func lastCycleEnd() async throws -> Date? {
        try await pool.query("SELECT max(cycle_end) AS latest FROM settlement.cycles").first?.optionalDate("latest")
    }

    // MARK: reading

    static let columns = """
        SELECT id, invoice_number, party_kind, party, currency, period_start, cycle_end, total, line_count, issued_at FROM settlement.statements
        """

    static func statement(_ row: PostgresRow) throws -> Statement {
        Statement(
            id: try row.uuid("id"), invoiceNumber: try row.string("invoice_number"), partyKind: PartyKind(rawValue: try row.string("party_kind")) ?? .supplier,
            party: try row.string("party"), currency: try row.string("currency"), periodStart: try row.optionalDate("period_start"),
            periodEnd: try row.date("cycle_end"), total: try row.amount("total"), lineCount: try row.int("line_count"), issuedAt: try row.date("issued_at"),
            lines: nil)
    }

    struct Filter: Sendable {
        var kind: PartyKind?
        var party: String?
    }

    func list(_ filter: Filter, page: Int, size: Int) async throws -> (total: Int, statements: [Statement]) {
        let condition = "WHERE ($1::text IS NULL OR party_kind = $1) AND ($2::text IS NULL OR party = $2)"
        let total = try await pool.query("SELECT count(*)::int AS n FROM settlement.statements \(condition)", [filter.kind?.rawValue, filter.party]).first?.int("n") ?? 0
        let rows = try await pool.query(
            "\(Self.columns) \(condition) ORDER BY issued_at DESC, invoice_number DESC LIMIT $3 OFFSET $4", [filter.kind?.rawValue, filter.party, size, (page - 1) * size])
        return (total, try rows.map(Self.statement))
    }

    /// One statement with its lines; `party` (a distributor's own) narrows it.
    func statement(_ id: UUID, of party: (PartyKind, String)? = nil) async throws -> Statement? {
        let rows = try await pool.query(
            "\(Self.columns) WHERE id = $1 AND ($2::text IS NULL OR (party_kind = $2 AND party = $3))", [id, party?.0.rawValue, party?.1])
        guard var statement = try rows.first.map(Self.statement) else { return nil }
        statement.lines = try await pool.query(
            "SELECT order_id, kind, occurred_at, amount FROM settlement.statement_lines WHERE statement_id = $1 ORDER BY occurred_at, order_id, kind", [id]
        ).map { row in
            StatementLine(orderId: try row.string("order_id"), kind: try row.string("kind"), occurredAt: try row.date("occurred_at"), amount: try row.amount("amount"))
        }
        return statement
    }
}
