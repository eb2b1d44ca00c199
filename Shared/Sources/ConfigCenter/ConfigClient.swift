// Every service's view of the config center: everything loaded at start, reloaded when a change is
// announced by NOTIFY, and polled every 30 s in case a notification was missed.

import FoundationEssentials
import Glibc
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

public final class ConfigClient: Service, Sendable {
    public struct Snapshot: Sendable, Equatable {
        public var values: [String: JSONValue] = [:]
        public var flags: [String: FeatureFlag] = [:]
    }

    let pool: PostgresPool
    let environment: String
    let pollInterval: Duration
    let logger: Logger
    private let current = NIOLockedValueBox(Snapshot())

    /// `environment` selects platform_config rows by their `env` column (seed default 'production').
    public init(pool: PostgresPool, environment: String = "production", pollInterval: Duration = .seconds(30), logger: Logger) {
        self.pool = pool
        self.environment = environment
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public var snapshot: Snapshot { current.withLockedValue { $0 } }

    public func value(_ key: String) -> JSONValue? { snapshot.values[key] }

    /// The value decoded as `T`, or `fallback` when absent or not a `T`.
    public func value<T: Decodable>(_ key: String, as type: T.Type = T.self, default fallback: T) -> T {
        guard let raw = value(key), let decoded = try? raw.decode(as: T.self) else { return fallback }
        return decoded
    }

    /// Off for unknown flags.
    public func isEnabled(_ flag: String, tenant: String) -> Bool {
        snapshot.flags[flag]?.isOn(for: tenant) ?? false
    }

    /// Reads everything now.
    public func reload() async throws {
        let schema = PlatformMigrations.schema
        let environment = environment
        let loaded = try await pool.withConnection { connection -> Snapshot in
            var snapshot = Snapshot()
            for row in try connection.query("SELECT key, value::text AS value FROM \(schema).platform_config WHERE env = $1", [environment]) {
                snapshot.values[try row.string("key")] = try row.json("value", as: JSONValue.self)
            }
            for row in try connection.query("SELECT name, enabled, rollout_pct, whitelist FROM \(schema).feature_flags") {
                let flag = FeatureFlag(
                    name: try row.string("name"), enabled: try row.bool("enabled"), rolloutPct: try row.int("rollout_pct"),
                    whitelist: try row.stringArray("whitelist"))
                snapshot.flags[flag.name] = flag
            }
            return snapshot
        }
        current.withLockedValue { $0 = loaded }
    }

    public func run() async throws {
        try await PostgresListener.reloading(settings: pool.settings, channels: [PlatformMigrations.channel], every: pollInterval, logger: logger) {
            do {
                try await self.reload()
            } catch {
                self.logger.warning("config center not readable", metadata: ["error": .string("\(error)")])
            }
        }
    }
}
