// PostgreSQL going away under load. Fault suites stop shared servers, so scripts/test.sh runs them
// after every other test, one at a time.

import Foundation
import Shared
import Testing
import TestSupport

@Suite(.serialized) struct PostgresFaultTests {
    @Test func poolRecoversFromAServerRestartLosingOnlyInFlightQueries() async throws {
        try await withPool(try TestInfrastructure.postgresSettings(poolSize: 5)) { pool in
            _ = try await pool.query("SELECT 1")
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<200 {
                    group.addTask {
                        try await Task.sleep(for: .milliseconds(i * 5))
                        return (try? await pool.query("SELECT pg_sleep(0.01)")) != nil
                    }
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(300))
                    try TestInfrastructure.server("restart", "postgres")
                    return true
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let failed = outcomes.filter { !$0 }.count
            #expect(failed <= 5, "only queries in flight at the restart may fail, got \(failed)")
            #expect(try await pool.query("SELECT 1 AS one").first?.int("one") == 1)
        }
    }

    @Test func poolFailsFastDuringAnOutageAndRecoversWhenTheServerIsBack() async throws {
        var settings = try TestInfrastructure.postgresSettings(poolSize: 3)
        settings.reconnectWindow = .milliseconds(500)
        try await withPool(settings) { pool in
            _ = try await pool.query("SELECT 1")
            try TestInfrastructure.server("stop", "postgres")
            do {
                await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
                let fast = ContinuousClock.now
                for _ in 0..<10 { _ = try? await pool.query("SELECT 1") }
                #expect(fast.duration(to: .now) < .seconds(1), "queries fail at once while the server is down")
            }
            try TestInfrastructure.server("start", "postgres")
            #expect(try await eventually(within: .seconds(5)) { (try? await pool.query("SELECT 1 AS one").first?.int("one")) == 1 },
                    "a probe reconnects within a second or so of the server's return")
            #expect(!pool.isUnavailable)
        }
    }

    @Test func listenerListensAgainAfterARestart() async throws {
        try await withListener { pool, channel, events in
            try TestInfrastructure.server("restart", "postgres")
            #expect(await events.next() == .listening, "told its consumers it may have missed something")
            try await pool.notify(channel, payload: "after")
            #expect(await events.next() == .notification(.init(channel: channel, payload: "after")))
        }
    }
}
