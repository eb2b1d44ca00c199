// Redis restarting under use. Run after the other suites by scripts/test.sh.

import Foundation
import Shared
import Testing

@Suite(.serialized) struct RedisFaultTests {
    @Test func clientSurvivesARedisRestart() async throws {
        try await withRedis { redis in
            let key = uniqueKey("restart")
            try await redis.set(key, "before")
            try TestInfrastructure.server("restart", "redis")
            // The pooled connections are dead; the next commands reconnect instead of failing forever.
            var answered = false
            for _ in 0..<5 where !answered {
                answered = (try? await redis.set(key, "after")) != nil
            }
            #expect(answered)
            #expect(try await redis.get(key) == "after")
            let lock = try #require(try await redis.acquireLock(UUID().uuidString, ttl: .seconds(1)))
            #expect(try await redis.release(lock))
        }
    }
}
