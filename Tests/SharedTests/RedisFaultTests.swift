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
            // Every pooled connection was closed by the restart; none was in flight, so no command may fail.
            for n in 0..<8 { try await redis.set(key, "after-\(n)") }
            #expect(try await redis.get(key) == "after-7")
            let lock = try #require(try await redis.acquireLock(UUID().uuidString, ttl: .seconds(1)))
            #expect(try await redis.release(lock))
        }
    }
}
