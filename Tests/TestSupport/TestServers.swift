// Stopping, starting and restarting the servers scripts/test.sh runs, for fault tests:
// scripts/test-server.sh ACTION SERVER. Spawned and reaped with posix_spawn/waitpid: Foundation's
// Process did not notice this child exiting inside async tests.

import Glibc

public enum TestServers {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The package's root, from this file's place in it.
    static let packageRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/TestSupport/TestServers.swift
        return parts.joined(separator: "/")
    }()

    /// ("restart", "postgres"), ("stop", "redis"), ...
    public static func run(_ action: String, _ server: String) throws {
        let script = packageRoot + "/scripts/test-server.sh"
        let arguments = [script, action, server]
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        guard posix_spawn(&pid, script, &actions, nil, argv, environ) == 0 else { throw Failure(description: "could not run \(script)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else { throw Failure(description: "\(action) \(server) failed (status \(status))") }
    }
}
