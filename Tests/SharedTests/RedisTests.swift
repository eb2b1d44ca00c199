// The hiredis client against the real Redis: commands, scripts, and the lock.

import Foundation
import NIOConcurrencyHelpers
import Shared
import Testing

func withRedis<T>(poolSize: Int = 4, _ body: (RedisClient) async throws -> T) async throws -> T {
    let client = RedisClient(settings: RedisSettings(url: URL(string: try TestInfrastructure.url(.redis))!, poolSize: poolSize))
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}

func uniqueKey(_ prefix: String) -> String { "\(prefix):\(UUID().uuidString)" }

@Suite struct RedisTests {
    @Test func setGetExpireDeleteIncrement() async throws {
        try await withRedis { redis in
            let key = uniqueKey("t")
            #expect(try await redis.get(key) == nil)
            #expect(try await redis.set(key, "v1"))
            #expect(try await redis.get(key) == "v1")
            #expect(try await !redis.set(key, "v2", condition: .ifAbsent), "NX refuses an existing key")
            #expect(try await redis.get(key) == "v1")
            #expect(try await redis.set(key, "v3", expiry: .seconds(30)))
            let pttl = try await redis.command(["PTTL", key]).integer ?? -1
            #expect((1..<30001).contains(pttl))
            #expect(try await redis.expire(key, after: .seconds(100)))
            #expect((try await redis.command(["TTL", key]).integer ?? 0) > 90)
            #expect(try await redis.delete(key) == 1)
            #expect(try await redis.delete(key) == 0)
            let counter = uniqueKey("n")
            #expect(try await redis.increment(counter) == 1)
            #expect(try await redis.increment(counter) == 2)
            await #expect(throws: RedisError.self) { try await redis.command(["LPUSH", counter, "x"]) }
            try await redis.delete(counter)
        }
    }

    @Test func valuesAreBinarySafe() async throws {
        try await withRedis { redis in
            let key = uniqueKey("bin")
            let value: [UInt8] = [0, 13, 10, 255, 36, 0, 42]
            try await redis.command(bytes: [Array("SET".utf8), Array(key.utf8), value])
            #expect(try await redis.command(["GET", key]) == .bulk(value))
            try await redis.delete(key)
        }
    }

    @Test func scriptsRunBySHAAndReloadAfterFlush() async throws {
        try await withRedis { redis in
            let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
            let key = uniqueKey("lua")
            #expect(try await redis.eval(script, keys: [key], arguments: ["5"]) == .integer(5))
            try await redis.command(["SCRIPT", "FLUSH"])
            #expect(try await redis.eval(script, keys: [key], arguments: ["2"]) == .integer(7))
            #expect(try await redis.command(["SCRIPT", "EXISTS", script.sha1]) == .array([.integer(1)]))
            try await redis.delete(key)
        }
    }

    @Test func lockHasExactlyOneHolderAmongFiftyContenders() async throws {
        try await withRedis(poolSize: 8) { redis in
            let name = UUID().uuidString
            let holders = NIOLockedValueBox((current: 0, most: 0, total: 0))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        while true {
                            if let lock = try await redis.acquireLock(name, ttl: .seconds(5)) {
                                holders.withLockedValue { $0.current += 1; $0.most = max($0.most, $0.current); $0.total += 1 }
                                try await Task.sleep(for: .milliseconds(2))
                                holders.withLockedValue { $0.current -= 1 }
                                #expect(try await redis.release(lock))
                                return
                            }
                            try await Task.sleep(for: .milliseconds(Int.random(in: 1...5)))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let result = holders.withLockedValue { $0 }
            #expect(result.most == 1, "never two holders at once")
            #expect(result.total == 50, "every contender got it in turn")
        }
    }

    @Test func releaseLeavesALockTakenByAnotherAlone() async throws {
        try await withRedis { redis in
            let name = UUID().uuidString
            let first = try #require(try await redis.acquireLock(name, ttl: .seconds(60)))
            #expect(try await redis.acquireLock(name, ttl: .seconds(60)) == nil)
            // The first holder's time runs out (as its TTL would make it, without a busy test run's
            // stalls deciding when), and another takes the lock.
            #expect(try await redis.delete(first.key) == 1)
            let second = try #require(try await redis.acquireLock(name, ttl: .seconds(60)), "the first expired")
            #expect(try await !redis.release(first), "not ours any more")
            #expect(try await redis.get(second.key) == second.token)
            #expect(try await redis.release(second))
        }
    }
}
