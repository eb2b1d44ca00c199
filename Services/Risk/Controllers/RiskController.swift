// Risk assessment over HTTP.
// Order (internal):
//   POST /assessments                                   AssessmentRequest -> 201 Assessment (200 and the stored one for a known order)
//   GET  /assessments/{order}
// Operators (through the gateway):
//   GET  /api/v1/admin/risk/assessments/{order}
//   GET  /api/v1/admin/risk/reviews[?status=pending|approved|rejected&page=&page_size=]
//   POST /api/v1/admin/risk/reviews/{order}/approve     {comment?}; and /reject
//   GET  /api/v1/admin/risk/blacklist
//   POST /api/v1/admin/risk/blacklist                   {kind: name|email|ip|tenant, value, reason?} -> 201
//   DELETE /api/v1/admin/risk/blacklist/{kind}/{value}
// Rules and weights: config `risk.rules` (RiskPolicy); threshold RISK_SCORE_THRESHOLD; flag
// `risk.auto.reject` per tenant.

import FoundationEssentials
import HTTPTypes
import Hummingbird
import Shared

struct RiskController: Sendable {
    let assessments: AssessmentRepository
    let signals: RiskSignalSource
    let config: ConfigClient?
    let threshold: Int

    struct ReviewInput: Decodable { var comment: String? }

    struct BlacklistEntry: Codable, Sendable {
        var kind: String
        var value: String
        var reason: String?
        var addedBy: String?
        var addedAt: Date?
        enum CodingKeys: String, CodingKey { case kind, value, reason, addedBy = "added_by", addedAt = "added_at" }
    }

    struct Blacklist: ResponseEncodable { var entries: [BlacklistEntry] }

    func add(to router: Router<PlatformRequestContext>) {
        router.post("assessments") { request, context in
            let input = try await request.decode(as: AssessmentRequest.self, context: context)
            try Self.validate(input)
            let (assessment, new) = try await assess(input, trace: context.trace)
            var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
            if !new { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
            return Response(status: new ? .created : .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try PlatformJSON.encoder.encode(assessment))))
        }
        router.get("assessments/:order") { _, context in try await find(try context.parameters.require("order")) }
        let admin = router.group("api/v1/admin/risk")
        admin.get("assessments/:order") { _, context in
            _ = try context.requireOperator()
            return try await find(try context.parameters.require("order"))
        }
        admin.get("reviews") { request, context in
            _ = try context.requireOperator()
            let status = try request.uri.queryParameters["status"].map { text -> Assessment.Review in
                guard let status = Assessment.Review(rawValue: String(text)) else {
                    throw Problem(.badRequest, code: "invalid_query", detail: "status must be pending, approved or rejected.")
                }
                return status
            } ?? .pending
            let (page, size) = try request.paging()
            let found = try await assessments.reviews(status, limit: size, offset: (page - 1) * size)
            return ListPage(total: found.total, page: page, pageSize: size, name: "assessments", items: found.assessments)
        }
        for (action, review) in [("approve", Assessment.Review.approved), ("reject", .rejected)] {
            admin.post("reviews/:order/\(action)") { request, context -> Assessment in
                let who = try context.requireOperator()
                let input = try await request.decode(as: ReviewInput.self, context: context)
                let order = try context.parameters.require("order")
                guard let (assessment, decided) = try await assessments.decide(order, review, by: who.tenantId, comment: try CreditController.note(input.comment), trace: context.trace)
                else { throw Self.unknown(order) }
                guard decided || assessment.review == review else {
                    throw Problem(.conflict, code: "review_closed", detail: "Order \(order)'s review is \(assessment.review?.rawValue ?? "not pending"): it is decided once.")
                }
                return assessment
            }
        }
        admin.get("blacklist") { _, context in
            _ = try context.requireOperator()
            return Blacklist(entries: try await signals.pool.query("SELECT kind, value, reason, added_by, added_at FROM risk.blacklist ORDER BY kind, value").map { row in
                BlacklistEntry(
                    kind: try row.string("kind"), value: try row.string("value"), reason: try row.isNull("reason") ? nil : try row.string("reason"),
                    addedBy: try row.string("added_by"), addedAt: try row.date("added_at"))
            })
        }
        admin.post("blacklist") { request, context in
            let who = try context.requireOperator()
            var entry = try await request.decode(as: BlacklistEntry.self, context: context)
            guard ["name", "email", "ip", "tenant"].contains(entry.kind) else {
                throw Problem(.badRequest, code: "invalid_blacklist_entry", detail: "kind must be name, email, ip or tenant.")
            }
            entry.value = RiskSignalSource.normalized(try TextRule(length: 1...320).check(entry.value, field: "value"))
            entry.reason = try CreditController.note(entry.reason)
            try await signals.pool.execute(
                "INSERT INTO risk.blacklist (kind, value, reason, added_by) VALUES ($1, $2, $3, $4) ON CONFLICT (kind, value) DO UPDATE SET reason = EXCLUDED.reason",
                [entry.kind, entry.value, entry.reason, who.tenantId])
            try await signals.reloadBlacklist()
            entry.addedBy = who.tenantId
            return EditedResponse(status: .created, response: entry)
        }
        admin.delete("blacklist/:kind/:value") { _, context in
            _ = try context.requireOperator()
            // The value as sent in the path, percent-decoded (`fraud%40example.com`).
            let raw = try context.parameters.require("value")
            let removed = try await signals.pool.execute(
                "DELETE FROM risk.blacklist WHERE kind = $1 AND value = $2",
                [try context.parameters.require("kind"), RiskSignalSource.normalized(raw.percentDecoded ?? raw)])
            try await signals.reloadBlacklist()
            guard removed > 0 else { throw Problem(.notFound, code: "unknown_blacklist_entry", detail: "No such blacklist entry.") }
            return Response(status: .noContent)
        }
    }

    /// The order's assessment: the stored one if it has one, else scored, decided and stored now.
    func assess(_ request: AssessmentRequest, trace: TraceContext?, now: Date = Date()) async throws -> (Assessment, new: Bool) {
        let (stored, standing) = try await signals.lookUp(request)
        if let stored {
            guard stored.tenantId == request.tenantId else {
                throw Problem(.conflict, code: "idempotency_conflict", detail: "Order \(request.orderId) was assessed for another tenant.")
            }
            return (stored, false)
        }
        let policy = (try? RiskPolicy.from(config?.value("risk.rules"))) ?? RiskPolicy()
        let (signals, amountBase) = await signals.signals(request, standing: standing, policy: policy, now: now)
        let reasons = RiskScoring.reasons(signals, policy: policy)
        let score = RiskScoring.score(reasons)
        let decision = RiskScoring.decide(
            score: score, threshold: threshold, autoReject: config?.isEnabled("risk.auto.reject", tenant: request.tenantId) ?? false,
            blacklisted: !signals.blacklisted.isEmpty)
        let assessment = Assessment(
            orderId: request.orderId, tenantId: request.tenantId, score: score, decision: decision, reasons: reasons,
            review: decision == .review ? .pending : nil, assessedAt: Date(timeIntervalSince1970: (now.timeIntervalSince1970 * 1000).rounded(.down) / 1000))
        return try await assessments.store(assessment, request: request, amountBase: amountBase, trace: trace)
    }

    func find(_ order: String) async throws -> Assessment {
        guard let assessment = try await assessments.find(order) else { throw Self.unknown(order) }
        return assessment
    }

    static func unknown(_ order: String) -> Problem {
        Problem(.notFound, code: "unknown_assessment", detail: "Order \(order.prefix(100)) has no assessment.")
    }

    static func validate(_ request: AssessmentRequest) throws {
        _ = try TextRule.code.check(request.tenantId, field: "tenant_id")
        try CreditRules.orderId(request.orderId)
        _ = try CreditRules.amount(request.amount, field: "amount")
        guard request.checkIn < request.checkOut else {
            throw Problem(.unprocessableContent, code: "invalid_stay", detail: "check_out must be after check_in.")
        }
        guard (1...20).contains(request.guests.count) else {
            throw Problem(.badRequest, code: "invalid_field", detail: "guests must hold 1 to 20 guests.")
        }
        for (index, guest) in request.guests.enumerated() {
            _ = try TextRule.name.check(guest.firstName, field: "guests[\(index)].first_name")
            _ = try TextRule.name.check(guest.lastName, field: "guests[\(index)].last_name")
            _ = try TextRule.email.check(guest.email, field: "guests[\(index)].email")
        }
        _ = try TextRule(length: 2...45).check(request.clientIp, field: "client_ip")
        _ = try TextRule.name.check(request.city, field: "city")
    }
}

extension Assessment: ResponseEncodable {}
extension RiskController.BlacklistEntry: ResponseEncodable {}
