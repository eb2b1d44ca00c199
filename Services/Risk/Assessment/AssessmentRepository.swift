// Assessments, the tenants' daily figures and the review queue in schema `risk`. An assessment is
// stored, counted in its tenant's day and announced (`risk.assessed`) in one statement; one per
// order (a second one for the same order changes nothing and the first is answered). A review is
// decided once, by compare-and-swap on `pending`, with its `risk.review.decided` event.

import FoundationEssentials
import Shared

struct AssessmentRepository: Sendable {
    let pool: PostgresPool

    static let columns = "order_id, tenant_id, score, decision, reasons, review, assessed_at"

    /// Stores `assessment` unless the order has one; the one stored either way.
    func store(_ assessment: Assessment, request: AssessmentRequest, amountBase: Amount?, trace: TraceContext?) async throws -> (Assessment, new: Bool) {
        let events = try Outbox.Rows([try EventEnvelope(type: "risk.assessed", producer: "risk", tenantId: assessment.tenantId, trace: trace, payload: assessment)], schema: "risk")
        let rows = try await pool.query(
            """
            WITH assessment AS (
                INSERT INTO risk.assessments (order_id, tenant_id, amount, currency, amount_base, score, decision, reasons, request, review, assessed_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                ON CONFLICT (order_id) DO NOTHING RETURNING order_id
            ), day AS (
                INSERT INTO risk.tenant_days (tenant_id, day, orders, amount_base)
                SELECT $2, ($11::timestamptz AT TIME ZONE 'UTC')::date, 1, $5 FROM assessment WHERE $5::numeric IS NOT NULL
                ON CONFLICT (tenant_id, day) DO UPDATE SET orders = tenant_days.orders + 1, amount_base = tenant_days.amount_base + EXCLUDED.amount_base
            ), outbox AS (
                \(events.insert(firstParameter: 12, when: "EXISTS (SELECT 1 FROM assessment)"))
            )
            SELECT order_id FROM assessment
            """,
            [
                assessment.orderId, assessment.tenantId, request.amount.amount.value, request.amount.currency, amountBase?.value, assessment.score,
                assessment.decision.rawValue, try PostgresJSON(assessment.reasons), try PostgresJSON(request), assessment.review?.rawValue, assessment.assessedAt,
            ] + events.parameters, writing: events)
        if !rows.isEmpty { return (assessment, true) }
        guard let stored = try await find(assessment.orderId) else { throw Problem(.conflict, code: "concurrent_change", detail: "Retry the assessment.") }
        return (stored, false)
    }

    func find(_ order: String) async throws -> Assessment? {
        try await pool.query("SELECT \(Self.columns) FROM risk.assessments WHERE order_id = $1", [order]).first.map(Self.assessment)
    }

    /// Assessments waiting for (or given) an operator's decision, oldest first.
    func reviews(_ review: Assessment.Review, limit: Int, offset: Int) async throws -> (total: Int, assessments: [Assessment]) {
        let rows = try await pool.query(
            "SELECT \(Self.columns), count(*) OVER () AS total FROM risk.assessments WHERE review = $1 ORDER BY assessed_at, order_id LIMIT $2 OFFSET $3",
            [review.rawValue, limit, offset])
        return (try rows.first.map { try $0.int("total") } ?? 0, try rows.map(Self.assessment))
    }

    /// Decides a pending review; nil when the order has no assessment, the assessment as it stands
    /// (unchanged) when it was not pending.
    func decide(_ order: String, _ review: Assessment.Review, by operatorId: String, comment: String?, trace: TraceContext?) async throws -> (Assessment, decided: Bool)? {
        guard var current = try await find(order) else { return nil }
        guard current.review == .pending else { return (current, false) }
        current.review = review
        let decided = ReviewDecided(orderId: order, tenantId: current.tenantId, review: review, comment: comment, reviewedBy: operatorId)
        let events = try Outbox.Rows([try EventEnvelope(type: "risk.review.decided", producer: "risk", tenantId: current.tenantId, trace: trace, payload: decided)], schema: "risk")
        let rows = try await pool.query(
            """
            WITH decided AS (
                UPDATE risk.assessments SET review = $2, reviewed_by = $3, reviewed_at = now(), review_comment = $4
                WHERE order_id = $1 AND review = 'pending' RETURNING order_id
            ), outbox AS (
                \(events.insert(firstParameter: 5, when: "EXISTS (SELECT 1 FROM decided)"))
            )
            SELECT order_id FROM decided
            """,
            [order, review.rawValue, operatorId, comment] + events.parameters, writing: events)
        if rows.isEmpty { return try await find(order).map { ($0, false) } }
        return (current, true)
    }

    static func assessment(_ row: PostgresRow) throws -> Assessment {
        Assessment(
            orderId: try row.string("order_id"), tenantId: try row.string("tenant_id"), score: try row.int("score"),
            decision: RiskDecision(rawValue: try row.string("decision")) ?? .review, reasons: try row.json("reasons", as: [RiskReason].self),
            review: try row.isNull("review") ? nil : Assessment.Review(rawValue: try row.string("review")), assessedAt: try row.date("assessed_at"))
    }
}

/// `risk.review.decided`: an operator approved or rejected an order held for review.
struct ReviewDecided: Codable, Sendable {
    var orderId: String
    var tenantId: String
    var review: Assessment.Review
    var comment: String?
    var reviewedBy: String

    enum CodingKeys: String, CodingKey { case orderId = "order_id", tenantId = "tenant_id", review, comment, reviewedBy = "reviewed_by" }
}
