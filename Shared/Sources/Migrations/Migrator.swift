// Applies a schema's migrations in order inside that schema, tracked in its schema_migrations table,
// each run in one transaction under an advisory lock so two replicas never race.

import FoundationEssentials
import Glibc

public struct Migrator: Sendable {
    public let pool: PostgresPool
    public let schema: String
    public let migrations: [Migration]

    /// Service schemas get the kit's tables (outbox, inbox) first; the platform schema does not.
    public init(pool: PostgresPool, schema: String, migrations: [Migration], includingKit: Bool = true) {
        self.pool = pool
        self.schema = schema
        self.migrations = (includingKit ? KitMigrations.all : []) + migrations
    }

    public struct Status: Sendable, Equatable {
        public let id: String
        public let name: String
        public let appliedAt: Date?
    }

    /// Applies every pending migration; returns the ids applied.
    @discardableResult
    public func up() async throws -> [String] {
        let (schema, migrations) = (schema, migrations)
        return try await pool.transaction { connection in
            let applied = try Self.prepare(connection, schema: schema)
            var done: [String] = []
            for migration in migrations where !applied.contains(migration.id) {
                try connection.executeScript(migration.up)
                try connection.execute(
                    "INSERT INTO \(Self.quoted(schema)).schema_migrations (id, name) VALUES ($1, $2)", [migration.id, migration.name])
                done.append(migration.id)
            }
            return done
        }
    }

    /// Reverts the last `steps` applied migrations, newest first; returns the ids reverted.
    @discardableResult
    public func down(steps: Int = 1) async throws -> [String] {
        let (schema, migrations) = (schema, migrations)
        return try await pool.transaction { connection in
            let applied = try Self.prepare(connection, schema: schema)
            let targets = migrations.filter { applied.contains($0.id) }.reversed().prefix(steps)
            for migration in targets {
                try connection.executeScript(migration.down)
                try connection.execute("DELETE FROM \(Self.quoted(schema)).schema_migrations WHERE id = $1", [migration.id])
            }
            return targets.map(\.id)
        }
    }

    public func status() async throws -> [Status] {
        let (schema, migrations) = (schema, migrations)
        return try await pool.transaction { connection in
            _ = try Self.prepare(connection, schema: schema)
            let rows = try connection.query("SELECT id, applied_at FROM \(Self.quoted(schema)).schema_migrations")
            var appliedAt: [String: Date] = [:]
            for row in rows { appliedAt[try row.string("id")] = try row.date("applied_at") }
            return migrations.map { Status(id: $0.id, name: $0.name, appliedAt: appliedAt[$0.id]) }
        }
    }

    /// Locks out other migrators of this schema until commit, makes sure the schema and its tracking
    /// table exist, points unqualified names at the schema, and returns the ids already applied.
    static func prepare(_ connection: PostgresConnection, schema: String) throws -> Set<String> {
        // Schema changes may take longer than a request's statement timeout.
        try connection.execute("SET LOCAL statement_timeout = 0")
        try connection.query("SELECT pg_advisory_xact_lock(hashtext($1))", ["migrations:" + schema])
        try connection.execute("CREATE SCHEMA IF NOT EXISTS \(quoted(schema))")
        try connection.execute("SET LOCAL search_path TO \(quoted(schema)), public")
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS \(quoted(schema)).schema_migrations (
                id text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
            """)
        return Set(try connection.query("SELECT id FROM \(quoted(schema)).schema_migrations").map { try $0.string("id") })
    }

    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacing("\"", with: "\"\"") + "\""
    }
}
