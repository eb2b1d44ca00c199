// How to reach PostgreSQL and how each session is set up.

import FoundationEssentials
import Glibc

public struct PostgresSettings: Sendable {
    public var url: String
    public var poolSize: Int
    public var connectTimeoutSeconds: Int
    /// Per-statement limit for every session of the pool (0: none).
    public var statementTimeout: Duration
    public var applicationName: String
    /// How long the first queries wait for an unreachable server to come back (a restart) before
    /// failing; after that, queries fail at once until it is back.
    public var reconnectWindow: Duration

    public init(
        url: String, poolSize: Int = 10, connectTimeoutSeconds: Int = 5, statementTimeout: Duration = .seconds(30),
        applicationName: String = "hotel-platform", reconnectWindow: Duration = .seconds(2)
    ) {
        self.url = url
        self.reconnectWindow = reconnectWindow
        self.poolSize = poolSize
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.statementTimeout = statementTimeout
        self.applicationName = applicationName
    }

    /// `DATABASE_URL`, `DB_POOL_SIZE` (10), `DB_STATEMENT_TIMEOUT_MS` (30000) and `DB_RECONNECT_WINDOW_MS` (2000).
    public init(_ env: EnvironmentVariables, applicationName: String) throws {
        let url = try Dependency.postgres.url(in: env)
        self.init(
            url: url.absoluteString,
            poolSize: try env.int("DB_POOL_SIZE", default: 10, range: 1...200),
            statementTimeout: .milliseconds(try env.int("DB_STATEMENT_TIMEOUT_MS", default: 30_000, range: 0...3_600_000)),
            applicationName: applicationName,
            reconnectWindow: .milliseconds(try env.int("DB_RECONNECT_WINDOW_MS", default: 2000, range: 0...60_000))
        )
    }

    /// UTC sessions (timestamps print as `+00`), ISO dates, and the statement timeout.
    var sessionOptions: String {
        "-c TimeZone=UTC -c DateStyle=ISO -c statement_timeout=\(Int(statementTimeout.milliseconds))"
    }
}
