// Reconciliations kept with their whole outcome, and `reconciliation.completed` in the outbox in
// the same transaction.

import FoundationEssentials
import Shared

struct Reconciliation: Codable, Sendable {
    enum Source: String, Codable, Sendable { case upload, supplier }

    var id: UUID
    var supplier: String
    var source: Source
    var period: StatementPeriod
    var matched: Int
    var amountMismatches: Int
    var missingOurs: Int
    var missingTheirs: Int
    var createdBy: String
    var createdAt: Date
    /// Every match and discrepancy (absent from lists and events).
    var outcome: ReconciliationOutcome?

    init(supplier: String, source: Source, period: StatementPeriod, outcome: ReconciliationOutcome, by creator: String) {
        (id, self.supplier, self.source, self.period, createdBy, createdAt, self.outcome) = (UUID(), supplier, source, period, creator, Date(), outcome)
        matched = outcome.matched.count
        amountMismatches = outcome.count(.amountMismatch)
        missingOurs = outcome.count(.missingOurs)
        missingTheirs = outcome.count(.missingTheirs)
    }

    enum CodingKeys: String, CodingKey {
        case id, supplier, source, period, matched, amountMismatches = "amount_mismatches", missingOurs = "missing_ours", missingTheirs = "missing_theirs"
        case createdBy = "created_by", createdAt = "created_at", outcome
    }
}

struct ReconciliationRepository: Sendable {
    let pool: PostgresPool

    func save(_ reconciliation: Reconciliation) async throws {
        var bare = reconciliation
        bare.outcome = nil
        let summary = bare
        let event = try EventEnvelope(type: SettlementEventType.reconciliationCompleted, producer: "settlement", tenantId: nil, trace: nil, payload: summary)
        let outcome = String(decoding: try PlatformJSON.encoder.encode(reconciliation.outcome ?? ReconciliationOutcome()), as: UTF8.self)
        try await pool.transaction { connection in
            try connection.execute(
                """
                INSERT INTO settlement.reconciliations
                    (id, supplier, source, period_from, period_to, matched, amount_mismatches, missing_ours, missing_theirs, result, created_by, created_at)
                VALUES ($1, $2, $3, $4::date, $5::date, $6, $7, $8, $9, $10::jsonb, $11, $12)
                """,
                [summary.id, summary.supplier, summary.source.rawValue, summary.period.from, summary.period.to, summary.matched, summary.amountMismatches,
                 summary.missingOurs, summary.missingTheirs, outcome, summary.createdBy, summary.createdAt])
            try Outbox.append([event], schema: "settlement", on: connection)
        }
    }

    static let columns = """
        SELECT id, supplier, source, period_from, period_to, matched, amount_mismatches, missing_ours, missing_theirs, created_by, created_at
        """

    func list(supplier: String?, page: Int, size: Int) async throws -> (total: Int, reconciliations: [Reconciliation]) {
        let total = try await pool.query(
            "SELECT count(*)::int AS n FROM settlement.reconciliations WHERE $1::text IS NULL OR supplier = $1", [supplier]).first?.int("n") ?? 0
        let rows = try await pool.query(
            "\(Self.columns) FROM settlement.reconciliations WHERE $1::text IS NULL OR supplier = $1 ORDER BY created_at DESC LIMIT $2 OFFSET $3",
            [supplier, size, (page - 1) * size])
        return (total, try rows.map { try Self.reconciliation($0) })
    }

    func read(_ id: UUID) async throws -> Reconciliation? {
        guard let row = try await pool.query("\(Self.columns), result FROM settlement.reconciliations WHERE id = $1", [id]).first else { return nil }
        var reconciliation = try Self.reconciliation(row)
        reconciliation.outcome = try row.json("result", as: ReconciliationOutcome.self)
        return reconciliation
    }

    static func reconciliation(_ row: PostgresRow) throws -> Reconciliation {
        let period = StatementPeriod(from: CalendarDate(try row.string("period_from"))!, to: CalendarDate(try row.string("period_to"))!)
        var reconciliation = Reconciliation(supplier: try row.string("supplier"), source: Reconciliation.Source(rawValue: try row.string("source")) ?? .upload,
                                            period: period, outcome: ReconciliationOutcome(), by: try row.string("created_by"))
        reconciliation.id = try row.uuid("id")
        reconciliation.createdAt = try row.date("created_at")
        (reconciliation.matched, reconciliation.amountMismatches) = (try row.int("matched"), try row.int("amount_mismatches"))
        (reconciliation.missingOurs, reconciliation.missingTheirs) = (try row.int("missing_ours"), try row.int("missing_theirs"))
        reconciliation.outcome = nil
        return reconciliation
    }
}
