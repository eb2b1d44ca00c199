// The servers scripts/test.sh started: their URLs, and stopping/starting them for fault tests.

import Foundation
import Logging
import Shared
import Testing

enum TestInfrastructure {
    static func url(_ dependency: Dependency) throws -> String {
        guard let url = ProcessInfo.processInfo.environment[dependency.variable] else {
            throw ConfigurationError(variable: dependency.variable, problem: "is not set: run the tests with scripts/test.sh")
        }
        return url
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// scripts/test-server.sh ACTION SERVER, e.g. ("restart", "postgres"). Spawned and reaped with
    /// posix_spawn/waitpid: Foundation's Process did not notice this child exiting inside async tests.
    static func server(_ action: String, _ server: String) throws {
        let script = packageRoot.appendingPathComponent("scripts/test-server.sh").path
        let arguments = [script, action, server]
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        guard posix_spawn(&pid, script, &actions, nil, argv, environ) == 0 else {
            throw ConfigurationError(variable: server, problem: "could not run \(script)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else { throw ConfigurationError(variable: server, problem: "\(action) failed (status \(status))") }
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
