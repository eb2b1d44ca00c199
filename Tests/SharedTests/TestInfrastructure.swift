// The servers scripts/test.sh started: their URLs, and stopping/starting them for fault tests.

import Foundation
import Logging
import Shared
import Testing
import TestSupport

enum TestInfrastructure {
    static func url(_ dependency: Dependency) throws -> String {
        guard let url = ProcessInfo.processInfo.environment[dependency.variable] else {
            throw ConfigurationError(variable: dependency.variable, problem: "is not set: run the tests with scripts/test.sh")
        }
        return url
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// scripts/test-server.sh ACTION SERVER, e.g. ("restart", "postgres").
    static func server(_ action: String, _ server: String) throws {
        try TestServers.run(action, server)
    }

    static func postgresSettings(poolSize: Int = 5, statementTimeout: Duration = .seconds(30)) throws -> PostgresSettings {
        PostgresSettings(url: try url(.postgres), poolSize: poolSize, statementTimeout: statementTimeout, applicationName: "test-\(UUID().uuidString.prefix(8))")
    }

    static let logger = Logger(label: "test") { _ in JSONLogHandler(service: "test", level: .warning, sink: .capturing()) }
}

/// Runs `body` with a pool, shutting it down afterwards.
func withPool<T>(_ settings: PostgresSettings, _ body: (PostgresPool) async throws -> T) async throws -> T {
    let pool = PostgresPool(settings: settings, logger: TestInfrastructure.logger)
    do {
        let result = try await body(pool)
        try await pool.shutdown()
        return result
    } catch {
        try? await pool.shutdown()
        throw error
    }
}

/// Runs `body` with a pool and a running listener on a fresh channel, once the listener reports it listens.
func withListener(
    _ body: (_ pool: PostgresPool, _ channel: String, _ events: inout AsyncStream<PostgresListener.Event>.Iterator) async throws -> Void
) async throws {
    let settings = try TestInfrastructure.postgresSettings(poolSize: 1)
    let channel = "test_\(UUID().uuidString.prefix(8).lowercased())"
    let listener = PostgresListener(settings: settings, channels: [channel], logger: TestInfrastructure.logger)
    try await withPool(settings) { pool in
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await listener.run() }
            var events = listener.events.makeAsyncIterator()
            #expect(await events.next() == .listening)
            try await body(pool, channel, &events)
            group.cancelAll()
        }
    }
}
