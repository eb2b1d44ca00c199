// A kept supplier answer Redis is slow to give (a busy Redis, a busy replica) is waited for, up to
// `Timing.read`, rather than asked of the supplier again. Holds the shared Redis busy for 0.6 s,
// so scripts/test.sh runs it with the other fault suites, after the rest.

import Foundation
import Logging
import NIOConcurrencyHelpers
@testable import QueryEngine
@testable import Shared
import Testing
import TestSupport

@Suite(.serialized) struct SlowRedisFaultTests {
    @Test func aKeptAnswerRedisIsSlowToGiveIsWaitedForNotAskedAgain() async throws {
        let settings = try RedisSettings(EnvironmentVariables(ServiceEnvironment.all))
        let (redis, busy) = (RedisPipeline(settings: settings), RedisPipeline(settings: settings))
        let (asking, other) = (AvailabilityCache(redis: redis, logger: Logger(label: "test")), AvailabilityCache(redis: redis, logger: Logger(label: "test")))
        let query = SupplierAnswerSharingTests.query()
        let offer = SupplierAnswerSharingTests.offer(query)
        let asked = NIOLockedValueBox(0)
        let fetch: AvailabilityCache.Fetch = {
            asked.withLockedValue { $0 += 1 }
            return [offer]
        }
        #expect(await asking.answer(supplier: "globebeds", query: query, fetch: fetch).outcome == .ok)
        let key = AvailabilityCache.key(supplier: "globebeds", query: query)
        #expect(try await eventually(within: .seconds(2)) { if case .bulk = try await redis.command(["GET", key], timeout: .seconds(2)) { true } else { false } })
        // Redis runs one script at a time: this one keeps it busy for 600 ms.
        let script = """
            local function now() local t = redis.call('TIME') return tonumber(t[1]) * 1000000 + tonumber(t[2]) end
            local start = now()
            while now() - start < tonumber(ARGV[1]) do end
            return 1
            """
        let held = Task { try await busy.command(["EVAL", script, "0", "600000"], timeout: .seconds(5)) }
        try await Task.sleep(for: .milliseconds(100))
        let started = ContinuousClock.now
        let answer = await other.answer(supplier: "globebeds", query: query, fetch: fetch)
        #expect(started.duration(to: .now) > .milliseconds(150), "Redis was busy")
        #expect(answer.outcome == .cached && answer.offers == [offer], "\(answer.outcome)")
        #expect(asked.withLockedValue { $0 } == 1, "the supplier asked once, not again for an answer Redis held")
        _ = try await held.value
        await redis.shutdown()
        await busy.shutdown()
    }
}
