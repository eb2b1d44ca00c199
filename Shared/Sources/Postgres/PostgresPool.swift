// A bounded pool of libpq connections on their own threads (see BlockingPool). A connection the
// server dropped is discarded and reconnected on its next use, waiting out a restart for up to
// `reconnectWindow`, so a restart fails only the queries in flight; a server down for longer fails
// every call at once (`PostgresError.unavailable`, a 503 to HTTP callers) until it is back.

import FoundationEssentials
import Glibc
import Logging
import ServiceLifecycle

/// One connection held across awaits: one session, connected once when the lease begins.
public struct PostgresLease: Sendable {
    let pinned: BlockingPool<PostgresConnection>.Pinned

    public func run<T: Sendable>(_ step: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await pinned.run(step)
    }
}

public final class PostgresPool: Service, Sendable {
    public let settings: PostgresSettings
    let logger: Logger
    private let pool: BlockingPool<PostgresConnection>
    let outage = OutageGate()

    public init(settings: PostgresSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        self.pool = BlockingPool(size: settings.poolSize, name: "postgres") { PostgresConnection(settings: settings) }
    }

    /// Runs `body` with a connection of its own, on a pool thread.
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        return try await pool.with { connection in
            try self.connect(connection)
            do {
                let result = try body(connection)
                connection.endWork().forEach(OutboxBell.ring)
                return result
            } catch {
                _ = connection.endWork()
                throw error
            }
        }
    }

    /// Keeps one connection for several steps with awaits between them (a transaction spanning a
    /// publish, say). Each step runs on a pool thread.
    public func withLease<T: Sendable>(_ body: (PostgresLease) async throws -> T) async throws -> T {
        return try await pool.lease { pinned in
            try await pinned.run { try self.connect($0) }
            do {
                let result = try await body(PostgresLease(pinned: pinned))
                (try? await pinned.run { $0.endWork() })?.forEach(OutboxBell.ring)
                return result
            } catch {
                _ = try? await pinned.run { $0.endWork() }
                throw error
            }
        }
    }

    /// Hands out `connection` connected, or fails at once while the server is known to be down.
    private func connect(_ connection: PostgresConnection) throws {
        try outage.connect(window: settings.reconnectWindow, unavailable: PostgresError.unavailable) { try connection.ensureConnected() }
    }

    /// Whether the server is known to be down (calls fail at once).
    public var isUnavailable: Bool { outage.isDown }

    @discardableResult
    public func query(_ sql: String, _ parameters: [(any PostgresBindable)?] = []) async throws -> PostgresRows {
        try await withConnection { try $0.query(sql, parameters) }
    }

    @discardableResult
    public func execute(_ sql: String, _ parameters: [(any PostgresBindable)?] = []) async throws -> Int {
        try await withConnection { try $0.execute(sql, parameters) }
    }

    public enum Isolation: String, Sendable {
        case readCommitted = "READ COMMITTED", repeatableRead = "REPEATABLE READ", serializable = "SERIALIZABLE"
    }

    /// Commits when `body` returns, rolls back when it throws. `body` runs on the pool thread: keep
    /// network calls out of it.
    public func transaction<T: Sendable>(
        _ isolation: Isolation = .readCommitted,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            try connection.execute("BEGIN ISOLATION LEVEL \(isolation.rawValue)")
            do {
                let result = try body(connection)
                try connection.execute("COMMIT")
                return result
            } catch {
                if connection.isConnected { _ = try? connection.execute("ROLLBACK") }
                throw error
            }
        }
    }

    /// A transaction retried when PostgreSQL aborts it for a serialization failure or a deadlock, up
    /// to `attempts` times with a short jittered pause; other errors are not retried.
    public func retryingTransaction<T: Sendable>(
        _ isolation: Isolation = .serializable,
        attempts: Int = 5,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await transaction(isolation, body)
            } catch let error as PostgresError where (error.isSerializationFailure || error.isDeadlock) && attempt < attempts {
                logger.debug("retrying transaction", metadata: ["attempt": .stringConvertible(attempt), "sqlState": .string(error.sqlState ?? "")])
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 << attempt))))
                attempt += 1
            }
        }
    }

    /// `SELECT pg_notify(channel, payload)`.
    public func notify(_ channel: String, payload: String = "") async throws {
        try await query("SELECT pg_notify($1, $2)", [channel, payload])
    }

    // MARK: Service

    /// Keeps the pool until shutdown, then closes its connections and stops its threads.
    public func run() async throws {
        try? await gracefulShutdown()
        try await shutdown()
    }

    public func shutdown() async throws {
        await pool.shutdown { $0.close() }
    }
}
