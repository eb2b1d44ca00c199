// Operators read and change the config center and feature flags. Each change is recorded with the
// API key that made it and reaches every service's ConfigClient through NOTIFY.

import FoundationEssentials
import Hummingbird
import Shared

struct ConfigController {
    let repository: ConfigRepository

    struct EntryInput: Decodable {
        var value: JSONValue?
        var env: String?
        var description: String?
    }

    struct FlagInput: Decodable {
        var enabled: Bool?
        var rolloutPct: Int?
        var whitelist: [String]?
        var description: String?
        enum CodingKeys: String, CodingKey { case enabled, rolloutPct = "rollout_pct", whitelist, description }
    }

    struct EntryList: ResponseEncodable { var entries: [ConfigEntry] }
    struct FlagList: ResponseEncodable { var flags: [FlagEntry] }
    struct ChangeList: ResponseEncodable { var changes: [ConfigChange] }

    func add(to admin: RouterGroup<PlatformRequestContext>) {
        admin.get("/config") { request, _ in
            let env = request.uri.queryParameters["env"].map(String.init)
            if let env, !ConfigRules.isValidEnvironment(env) { throw Problem(.badRequest, code: "invalid_query", detail: "env must be 1 to 20 characters of a-z and '-'.") }
            return EntryList(entries: try await repository.entries(env: env))
        }
        admin.get("/config/{key}") { _, context in
            let key = try configKey(context)
            guard let entry = try await repository.entry(key) else { throw Self.noEntry(key) }
            return entry
        }
        admin.put("/config/{key}") { request, context in
            try await put(try configKey(context), try await request.decode(as: EntryInput.self, context: context), by: try changer(context))
        }
        admin.delete("/config/{key}") { _, context -> HTTPResponse.Status in
            let key = try configKey(context)
            guard try await repository.delete(key, by: try changer(context)) else { throw Self.noEntry(key) }
            return .noContent
        }
        admin.get("/flags") { _, _ in FlagList(flags: try await repository.flags()) }
        admin.get("/flags/{flag}") { _, context in
            let name = try flagName(context)
            guard let flag = try await repository.flag(name) else { throw Self.noFlag(name) }
            return flag
        }
        admin.put("/flags/{flag}") { request, context in
            let input = try await request.decode(as: FlagInput.self, context: context)
            guard input.enabled != nil else { throw Problem(.badRequest, code: "invalid_flag", detail: "enabled (true or false) is required.") }
            return try await save(try flagName(context), input, create: true, by: try changer(context))
        }
        admin.patch("/flags/{flag}") { request, context in
            try await save(try flagName(context), try await request.decode(as: FlagInput.self, context: context), create: false, by: try changer(context))
        }
        admin.get("/config-changes") { request, _ in
            ChangeList(changes: try await repository.changes(
                kind: try request.query("kind", as: ConfigChange.Kind.self),
                name: try TextRule(length: 1...255, format: .code).check(request.uri.queryParameters["name"].map(String.init), field: "name", code: "invalid_query"),
                limit: try request.limit()))
        }
    }

    func put(_ key: String, _ input: EntryInput, by who: String) async throws -> ConfigEntry {
        guard let value = input.value else { throw Problem(.badRequest, code: "invalid_config", detail: "value (any JSON but null) is required.") }
        if let violation = ConfigRules.violation(key: key, value: value) { throw Problem(.badRequest, code: "invalid_config", detail: violation + ".") }
        let env = input.env ?? "production"
        guard ConfigRules.isValidEnvironment(env) else { throw Problem(.badRequest, code: "invalid_config", detail: "env must be 1 to 20 characters of a-z and '-'.") }
        let description = try TextRule.note.check(input.description, field: "description", code: "invalid_config")
        return try await repository.put(key, value: value, env: env, description: description, by: who)
    }

    func save(_ name: String, _ input: FlagInput, create: Bool, by who: String) async throws -> FlagEntry {
        let description = try TextRule.note.check(input.description, field: "description", code: "invalid_flag")
        let change = FlagChange(enabled: input.enabled, rolloutPct: input.rolloutPct, whitelist: input.whitelist, description: description)
        let candidate = FeatureFlag(name: name, enabled: change.enabled ?? false, rolloutPct: change.rolloutPct ?? 100, whitelist: change.whitelist ?? [])
        if let violation = ConfigRules.violation(flag: candidate) { throw Problem(.badRequest, code: "invalid_flag", detail: violation + ".") }
        guard let saved = try await repository.save(name, change, create: create, by: who) else { throw Self.noFlag(name) }
        return saved
    }

    /// Who made a change, as recorded (at most 100 characters): the API key and its tenant.
    private func changer(_ context: PlatformRequestContext) throws -> String {
        guard let identity = context.identity else { throw Problem(.unauthorized, code: "missing_token", detail: "Changes need an operator's token.") }
        return String("\(identity.keyId ?? "unknown key") (tenant \(identity.tenantId))".prefix(100))
    }

    private func configKey(_ context: PlatformRequestContext) throws -> String {
        try Self.dottedName(context, "key", maxLength: 255, code: "invalid_config_key", naming: "Config keys")
    }

    private func flagName(_ context: PlatformRequestContext) throws -> String {
        try Self.dottedName(context, "flag", maxLength: 100, code: "invalid_flag_name", naming: "Flag names")
    }

    private static func dottedName(_ context: PlatformRequestContext, _ parameter: String, maxLength: Int, code: String, naming what: String) throws -> String {
        let name = try context.parameters.require(parameter)
        guard ConfigRules.isValidName(name, maxLength: maxLength) else {
            throw Problem(.badRequest, code: code, detail: "\(what) are 1 to \(maxLength) characters of a-z, 0-9, '.', '_' and '-'.")
        }
        return name
    }

    static func noEntry(_ key: String) -> Problem { Problem(.notFound, code: "config_not_found", detail: "There is no config key \(key).") }
    static func noFlag(_ name: String) -> Problem { Problem(.notFound, code: "flag_not_found", detail: "There is no feature flag \(name).") }
}

extension ConfigEntry: ResponseEncodable {}
extension FlagEntry: ResponseEncodable {}
