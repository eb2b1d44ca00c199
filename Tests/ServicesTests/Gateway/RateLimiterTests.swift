// The rate limit's arithmetic (GCRA), in Redis and in the local fallback alike: a burst of `max`,
// then one request per window/max; remaining and reset as the headers carry them.

import Foundation
@testable import Gateway
import Logging
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
        await limiter.redis.shutdown()
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
        await limiter.redis.shutdown()
    }
}
