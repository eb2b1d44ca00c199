// The config center's tables (schema `platform`) as operators change them. Every write locks the
// row, changes it and records the old and new value, who and when, in `config_changes`, in one
// transaction; the tables' triggers NOTIFY every service's ConfigClient on commit.

import FoundationEssentials
import Shared

struct ConfigEntry: Codable, Equatable, Sendable {
    var key: String
    var value: JSONValue
    var env: String
    var description: String?
    var updatedAt: Date?
    var updatedBy: String?

    enum CodingKeys: String, CodingKey { case key, value, env, description, updatedAt = "updated_at", updatedBy = "updated_by" }
}

struct FlagEntry: Codable, Equatable, Sendable {
    var name: String
    var enabled: Bool
    var rolloutPct: Int
    var whitelist: [String]
    var description: String?

    enum CodingKeys: String, CodingKey { case name, enabled, rolloutPct = "rollout_pct", whitelist, description }

    var flag: FeatureFlag { FeatureFlag(name: name, enabled: enabled, rolloutPct: rolloutPct, whitelist: whitelist) }
}

struct ConfigChange: Codable, Equatable, Sendable {
    enum Kind: String, Codable, Sendable, CaseIterable { case config, flag }
    var id: Int
    var kind: Kind
    var name: String
    var env: String?
    var oldValue: JSONValue?
    var newValue: JSONValue
    var changedBy: String
    var changedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, kind, name, env, oldValue = "old_value", newValue = "new_value", changedBy = "changed_by", changedAt = "changed_at"
    }
}

/// The fields of a flag a change sets; nil leaves the current value (or the default for a new flag).
struct FlagChange: Sendable {
    var enabled: Bool?
    var rolloutPct: Int?
    var whitelist: [String]?
    var description: String?
}

struct ConfigRepository: Sendable {
    let pool: PostgresPool

    private static let entryColumns = "key, value::text AS value, env, description, updated_at, updated_by"
    private static let flagColumns = "name, enabled, rollout_pct, whitelist, description"
    private static let flagJSON = "jsonb_build_object('enabled', enabled, 'rollout_pct', rollout_pct, 'whitelist', COALESCE(to_jsonb(whitelist), '[]'))"

    func entries(env: String?) async throws -> [ConfigEntry] {
        try await pool.query("SELECT \(Self.entryColumns) FROM platform.platform_config WHERE $1::text IS NULL OR env = $1 ORDER BY key", [env])
            .map(Self.entry)
    }

    func entry(_ key: String) async throws -> ConfigEntry? {
        try await pool.query("SELECT \(Self.entryColumns) FROM platform.platform_config WHERE key = $1", [key]).first.map(Self.entry)
    }

    /// Creates or replaces `key`; a nil description keeps the current one.
    func put(_ key: String, value: JSONValue, env: String, description: String?, by who: String) async throws -> ConfigEntry {
        let newValue = try PostgresJSON(value)
        return try await pool.transaction { connection in
            let old = try connection.query("SELECT value::text AS value FROM platform.platform_config WHERE key = $1 FOR UPDATE", [key]).first
            let saved = try connection.query(
                """
                INSERT INTO platform.platform_config (key, value, env, description, updated_by) VALUES ($1, $2::jsonb, $3, $4, $5)
                ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, env = EXCLUDED.env,
                    description = COALESCE(EXCLUDED.description, platform_config.description), updated_by = EXCLUDED.updated_by, updated_at = now()
                RETURNING \(Self.entryColumns)
                """,
                [key, newValue, env, description, who])
            try Self.record(.config, key, env: env, old: old.map { PostgresJSON(raw: try $0.string("value")) }, new: newValue, by: who, on: connection)
            return try Self.entry(saved.first!)
        }
    }

    /// Deletes `key`; false when there was none.
    func delete(_ key: String, by who: String) async throws -> Bool {
        try await pool.transaction { connection in
            guard let gone = try connection.query("DELETE FROM platform.platform_config WHERE key = $1 RETURNING value::text AS value, env", [key]).first else {
                return false
            }
            try Self.record(
                .config, key, env: try gone.string("env"), old: PostgresJSON(raw: try gone.string("value")), new: PostgresJSON(raw: "null"), by: who,
                on: connection)
            return true
        }
    }

    func flags() async throws -> [FlagEntry] {
        try await pool.query("SELECT \(Self.flagColumns) FROM platform.feature_flags ORDER BY name").map(Self.flag)
    }

    func flag(_ name: String) async throws -> FlagEntry? {
        try await pool.query("SELECT \(Self.flagColumns) FROM platform.feature_flags WHERE name = $1", [name]).first.map(Self.flag)
    }

    /// Applies `change` to flag `name`, creating it (off, 100 %, no whitelist unless given) when
    /// `create` is set; nil when it does not exist and may not be created.
    func save(_ name: String, _ change: FlagChange, create: Bool, by who: String) async throws -> FlagEntry? {
        let write = create
            ? """
              INSERT INTO platform.feature_flags AS f (name, enabled, rollout_pct, whitelist, description)
              VALUES ($1, COALESCE($2::boolean, false), COALESCE($3::integer, 100), COALESCE($4::text[], '{}'), $5)
              ON CONFLICT (name) DO UPDATE SET
              """
            : "UPDATE platform.feature_flags AS f SET"
        let parameters: [(any PostgresBindable)?] = [name, change.enabled, change.rolloutPct, change.whitelist.map { PostgresArray($0) }, change.description]
        return try await pool.transaction { connection in
            let old = try connection.query("SELECT \(Self.flagJSON) AS value FROM platform.feature_flags WHERE name = $1 FOR UPDATE", [name]).first
            guard create || old != nil else { return nil }
            let saved = try connection.query(
                """
                \(write) enabled = COALESCE($2::boolean, f.enabled), rollout_pct = COALESCE($3::integer, f.rollout_pct),
                    whitelist = COALESCE($4::text[], f.whitelist), description = COALESCE($5, f.description)
                \(create ? "" : "WHERE f.name = $1")
                RETURNING \(Self.flagColumns), \(Self.flagJSON) AS value
                """,
                parameters
            ).first!
            try Self.record(
                .flag, name, env: nil, old: old.map { PostgresJSON(raw: try $0.string("value")) }, new: PostgresJSON(raw: try saved.string("value")),
                by: who, on: connection)
            return try Self.flag(saved)
        }
    }

    private static func record(
        _ kind: ConfigChange.Kind, _ name: String, env: String?, old: PostgresJSON?, new: PostgresJSON, by who: String, on connection: PostgresConnection
    ) throws {
        try connection.execute(
            "INSERT INTO platform.config_changes (kind, name, env, old_value, new_value, changed_by) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6)",
            [kind.rawValue, name, env, old, new, who])
    }

    /// The most recent changes first, optionally of one kind and name.
    func changes(kind: ConfigChange.Kind?, name: String?, limit: Int) async throws -> [ConfigChange] {
        try await pool.query(
            """
            SELECT id, kind, name, env, old_value::text AS old_value, new_value::text AS new_value, changed_by, changed_at
            FROM platform.config_changes WHERE ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR name = $2)
            ORDER BY id DESC LIMIT $3
            """,
            [kind?.rawValue, name, limit]
        ).map { row in
            ConfigChange(
                id: try row.int("id"), kind: ConfigChange.Kind(rawValue: try row.string("kind")) ?? .config, name: try row.string("name"),
                env: try row.optionalString("env"), oldValue: try row.isNull("old_value") ? nil : try row.json("old_value"),
                newValue: try row.json("new_value"), changedBy: try row.string("changed_by"), changedAt: try row.date("changed_at"))
        }
    }

    private static func entry(_ row: PostgresRow) throws -> ConfigEntry {
        ConfigEntry(
            key: try row.string("key"), value: try row.json("value"), env: try row.string("env"), description: try row.optionalString("description"),
            updatedAt: try row.optionalDate("updated_at"), updatedBy: try row.optionalString("updated_by"))
    }

    private static func flag(_ row: PostgresRow) throws -> FlagEntry {
        FlagEntry(
            name: try row.string("name"), enabled: try row.bool("enabled"), rolloutPct: try row.int("rollout_pct"),
            whitelist: try row.stringArray("whitelist"), description: try row.optionalString("description"))
    }
}
