// The rate limit's arithmetic (GCRA), in Redis and in the local fallback alike: a burst of `max`,
// then one request per window/max; remaining and reset as the headers carry them.

import Foundation
@testable import Gateway
import Logging
import NIOCore
import NIOPosix
import Prometheus
@testable import Shared
import Testing

@Suite struct RateLimiterTests {
    /// Five per ten minutes: one more every two minutes, so the seconds a busy test machine takes
    /// between calls change nothing but the reset times, by as much.
    static let limit = RateLimit(max: 5, window: .seconds(600))

    static func limiter(redisURL: String? = nil) throws -> RateLimiter {
        var env = ServiceEnvironment.all
        if let redisURL { env["REDIS_URL"] = redisURL }
        let redis = RedisPipeline(settings: try RedisSettings(EnvironmentVariables(env)))
        return RateLimiter(redis: redis, defaults: limit, config: nil, registry: PrometheusCollectorRegistry(), logger: Logger(label: "test"))
    }

    /// What a fresh tenant sees for max + 1 requests at once: `max` admitted counting down, then a
    /// refusal until one interval (window / max = 120 s) has passed; `elapsed` is how long the calls took.
    static func expectBurstThenRefusal(_ decisions: [RateDecision], elapsed: Duration = .zero) {
        #expect(decisions.prefix(5).allSatisfy { $0.allowed })
        #expect(decisions.prefix(5).map(\.remaining) == [4, 3, 2, 1, 0])
        let lastAdmitted = decisions[4].resetAfter
        #expect(lastAdmitted > .seconds(599) - elapsed && lastAdmitted <= .seconds(601), "the whole limit is back one window after the burst: \(lastAdmitted)")
        let refused = decisions[5]
        #expect(!refused.allowed && refused.remaining == 0)
        #expect(refused.resetAfter > .seconds(119) - elapsed && refused.resetAfter <= .seconds(120), "the next request is admitted one interval on: \(refused.resetAfter)")
    }

    @Test func inRedisABurstOfTheLimitThenOneRequestPerInterval() async throws {
        let limiter = try Self.limiter()
        let tenant = "rate-test-\(UUID().uuidString)"
        var decisions: [RateDecision] = []
        let started = ContinuousClock.now
        for _ in 0..<6 { decisions.append(await limiter.admit(tenant, limit: Self.limit)) }
        Self.expectBurstThenRefusal(decisions, elapsed: ContinuousClock.now - started)
        let other = await limiter.admit(tenant + "-other", limit: Self.limit)
        #expect(other.allowed && other.remaining == 4, "another tenant has its own budget")
        let raised = await limiter.admit(tenant, limit: RateLimit(max: 10000, window: .seconds(600)))
        #expect(raised.allowed || raised.resetAfter <= .milliseconds(60), "a raised limit gives relief within its own interval (60 ms): \(raised)")
        for _ in 0..<5 { _ = await limiter.admit(tenant, limit: Self.limit) }
        let shorter = await limiter.admit(tenant, limit: RateLimit(max: 1000, window: .seconds(1)))
        #expect(shorter.allowed || shorter.resetAfter <= .milliseconds(2), "a shorter window applies at once, not after the old window's debt: \(shorter)")
        await limiter.admissions.redis.shutdown()
    }

    /// Eight admissions asked for in one tick of a loop: one script call decides them, in order,
    /// as eight calls would (five admitted counting down, three refused).
    @Test func oneTicksAdmissionsGoToRedisAsOneCall() async throws {
        let limiter = try Self.limiter()
        let tenant = "rate-batch-\(UUID().uuidString)"
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let before = limiter.admissions.scriptCalls
        let started = ContinuousClock.now
        let futures = try await loop.submit {
            (0..<8).map { _ in limiter.admissions.enqueue(tenant, limit: Self.limit, on: loop) }
        }.get()
        let decisions = try await EventLoopFuture.whenAllSucceed(futures, on: loop).get()
        #expect(limiter.admissions.scriptCalls - before == 1, "one script call for the tick's eight admissions")
        Self.expectBurstThenRefusal(decisions, elapsed: ContinuousClock.now - started)
        #expect(decisions.suffix(2).allSatisfy { !$0.allowed && $0.resetAfter == decisions[5].resetAfter })
        let next = await limiter.admit(tenant, limit: Self.limit)
        #expect(!next.allowed, "the batch moved the tenant's arrival time in Redis as eight calls would")
        await limiter.admissions.redis.shutdown()
    }

    @Test func theLocalFallbackCountsTheSameWay() async throws {
        let limiter = try Self.limiter()
        let start = ContinuousClock.now
        var decisions: [RateDecision] = []
        for _ in 0..<6 { decisions.append(limiter.admitLocally("tenant", limit: Self.limit, now: start)) }
        Self.expectBurstThenRefusal(decisions)
        #expect(!limiter.admitLocally("tenant", limit: Self.limit, now: start + .seconds(119)).allowed)
        let later = limiter.admitLocally("tenant", limit: Self.limit, now: start + .seconds(120))
        #expect(later.allowed && later.remaining == 0, "one interval on, one more request")
        let muchLater = limiter.admitLocally("tenant", limit: Self.limit, now: start + .seconds(6000))
        #expect(muchLater.allowed && muchLater.remaining == 4, "after a quiet window the whole limit is back")
        for _ in 0..<5 { _ = limiter.admitLocally("tenant", limit: Self.limit, now: start + .seconds(6000)) }
        let shorter = limiter.admitLocally("tenant", limit: RateLimit(max: 1000, window: .seconds(1)), now: start + .seconds(6000))
        #expect(shorter.allowed || shorter.resetAfter <= .milliseconds(2), "a shorter window applies at once: \(shorter)")
        await limiter.admissions.redis.shutdown()
    }
}
