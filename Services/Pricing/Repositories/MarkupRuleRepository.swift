// Markup rules and tenant groups in schema `pricing`; every change to a rule recorded with its
// before and after, who and when.

import FoundationEssentials
import Shared

struct MarkupRuleChange: Codable, Sendable, Equatable {
    var action: String
    var before: MarkupRule?
    var after: MarkupRule
    var changedAt: Date
    var changedBy: String

    enum CodingKeys: String, CodingKey { case action, before, after, changedAt = "changed_at", changedBy = "changed_by" }
}

struct MarkupRuleRepository: Sendable {
    let pool: PostgresPool

    static let columns = "id, name, scope, effect, priority, enabled, created_at, updated_at, updated_by"

    func all() async throws -> [MarkupRule] {
        try await pool.query("SELECT \(Self.columns) FROM pricing.markup_rules ORDER BY created_at, id").map(Self.rule)
    }

    func find(_ id: UUID) async throws -> MarkupRule? {
        try await pool.query("SELECT \(Self.columns) FROM pricing.markup_rules WHERE id = $1", [id]).first.map(Self.rule)
    }

    func create(_ rule: MarkupRule) async throws -> MarkupRule {
        try await pool.transaction { connection in
            let saved = try connection.query(
                """
                INSERT INTO pricing.markup_rules (id, name, scope, effect, priority, enabled, updated_by)
                VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING \(Self.columns)
                """,
                [rule.id, rule.name, try PostgresJSON(rule.scope), try PostgresJSON(rule.effect), rule.priority, rule.enabled, rule.updatedBy]
            ).map(Self.rule)[0]
            try Self.record("created", before: nil, after: saved, on: connection)
            return saved
        }
    }

    /// Changes rule `id` with `change` (which may throw to refuse), under a row lock; nil when there is no such rule.
    func update(_ id: UUID, by who: String, _ change: @escaping @Sendable (inout MarkupRule) throws -> Void) async throws -> MarkupRule? {
        try await pool.transaction { connection in
            guard let current = try connection.query("SELECT \(Self.columns) FROM pricing.markup_rules WHERE id = $1 FOR UPDATE", [id]).first.map(Self.rule)
            else { return nil }
            var changed = current
            try change(&changed)
            if changed == current { return current }
            let saved = try connection.query(
                """
                UPDATE pricing.markup_rules SET name = $2, scope = $3, effect = $4, priority = $5, enabled = $6, updated_by = $7, updated_at = now()
                WHERE id = $1 RETURNING \(Self.columns)
                """,
                [id, changed.name, try PostgresJSON(changed.scope), try PostgresJSON(changed.effect), changed.priority, changed.enabled, who]
            ).map(Self.rule)[0]
            let action = current.enabled != saved.enabled ? (saved.enabled ? "enabled" : "disabled") : "updated"
            try Self.record(action, before: current, after: saved, on: connection)
            return saved
        }
    }

    func changes(_ id: UUID) async throws -> [MarkupRuleChange] {
        try await pool.query(
            "SELECT action, before, after, changed_at, changed_by FROM pricing.markup_rule_changes WHERE rule_id = $1 ORDER BY id DESC LIMIT 100", [id]
        ).map { row in
            MarkupRuleChange(
                action: try row.string("action"), before: try row.isNull("before") ? nil : try row.json("before", as: MarkupRule.self),
                after: try row.json("after", as: MarkupRule.self), changedAt: try row.date("changed_at"), changedBy: try row.string("changed_by"))
        }
    }

    static func record(_ action: String, before: MarkupRule?, after: MarkupRule, on connection: PostgresConnection) throws {
        try connection.execute(
            "INSERT INTO pricing.markup_rule_changes (rule_id, action, before, after, changed_by) VALUES ($1, $2, $3, $4, $5)",
            [UUID(uuidString: after.id), action, try before.map { try PostgresJSON($0) }, try PostgresJSON(after), after.updatedBy])
    }

    static func rule(_ row: PostgresRow) throws -> MarkupRule {
        MarkupRule(
            id: try row.uuid("id").uuidString.lowercased(), name: try row.string("name"), scope: try row.json("scope"), effect: try row.json("effect"),
            priority: try row.int("priority"), enabled: try row.bool("enabled"), createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at"), updatedBy: try row.string("updated_by"))
    }

    // MARK: tenant groups

    /// Tenant id -> its groups.
    func groups() async throws -> [String: Set<String>] {
        var groups: [String: Set<String>] = [:]
        for row in try await pool.query("SELECT tenant_id, group_name FROM pricing.tenant_groups") {
            groups[try row.string("tenant_id"), default: []].insert(try row.string("group_name"))
        }
        return groups
    }

    /// Makes `tenant`'s groups exactly `names`.
    func setGroups(_ names: Set<String>, of tenant: String, by who: String) async throws {
        try await pool.transaction { connection in
            try connection.execute("DELETE FROM pricing.tenant_groups WHERE tenant_id = $1 AND NOT (group_name = ANY($2::text[]))", [tenant, PostgresArray(Array(names))])
            try connection.execute(
                "INSERT INTO pricing.tenant_groups (tenant_id, group_name, added_by) SELECT $1, unnest($2::text[]), $3 ON CONFLICT DO NOTHING",
                [tenant, PostgresArray(Array(names)), who])
        }
    }
}
