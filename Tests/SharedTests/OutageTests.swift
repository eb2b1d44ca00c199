// A database or cache that does not answer: the first calls wait out a short reconnect window,
// then every call fails at once with an error HTTP callers get as 503 and Retry-After. Their bounds
// are timings: they run in scripts/test.sh's quiet phase with the other fault suites, not under the
// whole suite's load.

import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing
import TestSupport

@Suite struct OutageFaultTests {
    static let deadDatabase = "postgresql://hotel:hotel_pass@127.0.0.1:1/hotel_db"

    /// Calls after the window each take far less than it (timed one by one: a loaded machine
    /// stretches every call, never to a whole window).
    @Test func poolFailsFastOnceTheReconnectWindowHasPassed() async throws {
        let settings = PostgresSettings(url: Self.deadDatabase, poolSize: 3, reconnectWindow: .seconds(2))
        try await withPool(settings) { pool in
            let first = ContinuousClock.now
            await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
            #expect(first.duration(to: .now) >= .milliseconds(1900), "the first query rides out the window")
            #expect(pool.isUnavailable)
            for _ in 0..<10 {
                let asked = ContinuousClock.now
                do {
                    try await pool.query("SELECT 1")
                    Issue.record("a query succeeded against a dead server")
                } catch let error as PostgresError {
                    #expect(error.isConnectionFailure)
                    let problem = Problem.from(error)
                    #expect(problem.status == .serviceUnavailable && problem.code == "database_unavailable" && problem.headers[.retryAfter] == "5")
                }
                #expect(asked.duration(to: .now) < .seconds(1), "failed at once, or as the second's single probe")
            }
        }
    }

    @Test func serviceAnswers503WithRetryAfterWithoutAnErrorLine() async throws {
        let sink = LogSink.capturing()
        let app = try TestService.application(
            dependencies: [.postgres], environment: ["DATABASE_URL": Self.deadDatabase, "DB_RECONNECT_WINDOW_MS": "2000"], sink: sink)
        try await app.test(.router) { client in
            for attempt in 0..<3 {
                let asked = ContinuousClock.now
                try await client.execute(uri: "/database-time", method: .get) { response in
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.headers[.retryAfter] == "5")
                    #expect((try? json(response.body))?["code"] as? String == "database_unavailable")
                }
                if attempt > 0 { #expect(asked.duration(to: .now) < .milliseconds(1900), "fails fast while the database is known down (a reconnect would wait its 2 s window)") }
            }
        }
        #expect(!sink.captured.contains { $0.contains(#""level":"ERROR""#) }, "an outage is not an error per request")
    }

    @Test func redisFailsFastOnceTheReconnectWindowHasPassed() async throws {
        let redis = RedisClient(settings: RedisSettings(url: URL(string: "redis://127.0.0.1:1/0")!, poolSize: 2, reconnectWindow: .seconds(2)))
        await #expect(throws: RedisError.self) { try await redis.get("k") }
        for _ in 0..<10 {
            let asked = ContinuousClock.now
            _ = try? await redis.get("k")
            #expect(asked.duration(to: .now) < .seconds(1))
        }
        #expect(Problem.from(RedisError.connection("refused")).status == .serviceUnavailable)
        try await redis.shutdown()
    }
}
