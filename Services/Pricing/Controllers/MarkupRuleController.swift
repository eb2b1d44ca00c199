// Operators' markup rules and tenant groups (through the gateway):
//   GET  /api/v1/admin/pricing/rules                    every rule (?enabled=true|false)
//   POST /api/v1/admin/pricing/rules                    {name, scope?, effect, priority?} -> 201 the rule
//   GET  /api/v1/admin/pricing/rules/{id}               the rule and its changes, newest first
//   PATCH /api/v1/admin/pricing/rules/{id}              any of name, scope (replaced whole), effect, priority, enabled
//   POST /api/v1/admin/pricing/rules/{id}/disable       and /enable
//   GET  /api/v1/admin/pricing/tenant-groups            {tenant id: [groups]}
//   PUT  /api/v1/admin/pricing/tenant-groups/{tenant}   {"groups": [...]}: the tenant's groups, exactly
// Rules are never deleted. A change reaches every replica's prices within a second (PriceBookLoader).

import FoundationEssentials
import Hummingbird
import Shared

struct MarkupRuleController: Sendable {
    let repository: MarkupRuleRepository
    let loader: PriceBookLoader

    struct RuleInput: Decodable {
        var name: String?
        var scope: MarkupRule.Scope?
        var effect: MarkupRule.Effect?
        var priority: Int?
        var enabled: Bool?
    }

    struct RuleList: ResponseEncodable { var rules: [MarkupRule] }

    struct RuleDetail: ResponseEncodable {
        var rule: MarkupRule
        var changes: [MarkupRuleChange]
    }

    struct GroupsInput: Decodable { var groups: [String] }
    struct GroupList: ResponseEncodable { var groups: [String: [String]] }

    func add(to router: Router<PlatformRequestContext>) {
        let rules = router.group("api/v1/admin/pricing/rules")
        rules.get { request, context in
            _ = try context.requireOperator()
            let enabled = try request.uri.queryParameters["enabled"].map { text -> Bool in
                guard let value = Bool(String(text)) else { throw Problem(.badRequest, code: "invalid_query", detail: "enabled must be true or false.") }
                return value
            }
            return RuleList(rules: try await repository.all().filter { enabled == nil || $0.enabled == enabled })
        }
        rules.post { request, context in
            let who = try context.requireOperator()
            let input = try await request.decode(as: RuleInput.self, context: context)
            guard let name = input.name, let effect = input.effect else {
                throw Problem(.badRequest, code: "invalid_rule", detail: "name and effect ({\"type\": \"percent\", \"percent\": \"12.5\"} or {\"type\": \"fixed\", \"amount\": \"20.00\", \"currency\": \"EUR\"}) are required.")
            }
            let now = Date()
            let rule = MarkupRule(
                id: UUID().uuidString.lowercased(), name: name, scope: input.scope ?? MarkupRule.Scope(), effect: effect, priority: input.priority ?? 0,
                enabled: input.enabled ?? true, createdAt: now, updatedAt: now, updatedBy: who.tenantId)
            if let problem = MarkupRuleRules.problem(rule) { throw problem }
            let saved = try await repository.create(rule)
            try await loader.reload()
            return EditedResponse(status: .created, response: saved)
        }
        rules.get(":id") { _, context in
            _ = try context.requireOperator()
            let id = try Self.ruleId(context)
            guard let rule = try await repository.find(id) else { throw Self.unknown(id) }
            return RuleDetail(rule: rule, changes: try await repository.changes(id))
        }
        rules.patch(":id") { request, context in
            let who = try context.requireOperator()
            let input = try await request.decode(as: RuleInput.self, context: context)
            return try await change(try Self.ruleId(context), by: who.tenantId) { rule in
                if let name = input.name { rule.name = name }
                if let scope = input.scope { rule.scope = scope }
                if let effect = input.effect { rule.effect = effect }
                if let priority = input.priority { rule.priority = priority }
                if let enabled = input.enabled { rule.enabled = enabled }
            }
        }
        for (action, enabled) in [("disable", false), ("enable", true)] {
            rules.post(":id/\(action)") { _, context in
                let who = try context.requireOperator()
                return try await change(try Self.ruleId(context), by: who.tenantId) { $0.enabled = enabled }
            }
        }
        let groups = router.group("api/v1/admin/pricing/tenant-groups")
        groups.get { _, context in
            _ = try context.requireOperator()
            return GroupList(groups: try await repository.groups().mapValues { $0.sorted() })
        }
        groups.put(":tenant") { request, context -> GroupList in
            let who = try context.requireOperator()
            let tenant = try TextRule.code.check(try context.parameters.require("tenant"), field: "tenant")
            let input = try await request.decode(as: GroupsInput.self, context: context)
            guard input.groups.count <= 100 else { throw Problem(.badRequest, code: "invalid_field", detail: "groups holds at most 100 names.") }
            for name in input.groups { try TextRule.code.check(name, field: "groups[]") }
            try await repository.setGroups(Set(input.groups), of: tenant, by: who.tenantId)
            try await loader.reload()
            return GroupList(groups: [tenant: Set(input.groups).sorted()])
        }
    }

    /// Applies `edit` to rule `id` and stores it if it is still a valid rule.
    func change(_ id: UUID, by who: String, _ edit: @escaping @Sendable (inout MarkupRule) -> Void) async throws -> MarkupRule {
        guard let saved = try await repository.update(id, by: who, { rule in
            edit(&rule)
            if let problem = MarkupRuleRules.problem(rule) { throw problem }
        }) else { throw Self.unknown(id) }
        try await loader.reload()
        return saved
    }

    static func ruleId(_ context: PlatformRequestContext) throws -> UUID {
        let text = try context.parameters.require("id")
        guard let id = UUID(uuidString: text) else { throw Problem(.badRequest, code: "invalid_rule_id", detail: "'\(text.prefix(100))' is not a rule id (a UUID).") }
        return id
    }

    static func unknown(_ id: UUID) -> Problem {
        Problem(.notFound, code: "unknown_rule", detail: "There is no markup rule \(id.uuidString.lowercased()).")
    }
}
