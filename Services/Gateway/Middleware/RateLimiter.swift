// Per-tenant rate limits: `max` requests per `window`, by the generic cell rate algorithm (GCRA):
// one request every window/max, with bursts of up to `max` at once. One Redis key per tenant holds
// the theoretical arrival time, read and moved by one atomic script on Redis's clock (exact under
// concurrency, across replicas, and constant memory: a sliding-window log would keep a member per
// request, up to `max` per tenant). RedisAdmissions decides a loop tick's requests in one call.
// When Redis cannot be reached the gateway keeps serving and counts in memory per replica instead
// (fail open to a local limit, never unlimited), counting `rate_limit_fallback_total`. It does
// not wait for Redis to reconnect, and a breaker keeps requests off a dead Redis for 2 s at a
// time, so an outage costs requests no latency beyond the first failed call.

import FoundationEssentials
import Logging
import Prometheus
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Shared

struct RateLimit: Sendable, Hashable {
    var max: Int
    var window: Duration
}

struct RateDecision: Sendable, Equatable {
    var allowed: Bool
    var limit: Int
    var remaining: Int
    /// Admitted: until the whole limit is available again. Refused: until the next request will be.
    var resetAfter: Duration
}

final class RateLimiter: Sendable {
    /// On the event loop: every request runs the script, and a thread hand-off per call costs more than the script.
    let admissions: RedisAdmissions
    let defaults: RateLimit
    let config: ConfigClient?
    let logger: Logger
    private let local = NIOLockedValueBox([String: ContinuousClock.Instant]())
    private let fallbacks: Prometheus.Counter
    private let redisBreaker = NIOLockedValueBox(CircuitBreaker(policy: BreakerPolicy(consecutiveFailures: 1, openFor: .seconds(2))))

    init(redis: RedisPipeline, defaults: RateLimit, config: ConfigClient?, registry: PrometheusCollectorRegistry, logger: Logger) {
        fallbacks = registry.makeCounter(name: "rate_limit_fallback_total")
        self.admissions = RedisAdmissions(redis: redis)
        self.defaults = defaults
        self.config = config
        self.logger = logger
    }

    /// The tenant's limit: an override in config `gateway.rate_limits` ({"<tenant id>": {"max": 500, "window_ms": 60000}}) or the defaults.
    func limit(for tenant: String) -> RateLimit {
        guard case .object(let overrides)? = config?.value("gateway.rate_limits"), case .object(let entry)? = overrides[tenant] else { return defaults }
        var limit = defaults
        if case .integer(let max)? = entry["max"], max > 0 { limit.max = max }
        if case .integer(let window)? = entry["window_ms"], window > 0 { limit.window = .milliseconds(window) }
        return limit
    }

    func admit(_ bucket: String, limit: RateLimit) async -> RateDecision {
        // Never fails: Redis's failures fall back to the local count.
        (try? await admit(bucket, limit: limit, on: MultiThreadedEventLoopGroup.currentEventLoop ?? MultiThreadedEventLoopGroup.singleton.any()).get())
            ?? fallback(bucket, limit: limit)
    }

    /// The decision as a future on `loop` (for the gateway's fast lane, which runs on the loop without a task).
    func admit(_ bucket: String, limit: RateLimit, on loop: any EventLoop) -> EventLoopFuture<RateDecision> {
        guard redisBreaker.withLockedValue({ $0.permit(at: .now) }) else { return loop.makeSucceededFuture(fallback(bucket, limit: limit)) }
        return admissions.enqueue(bucket, limit: limit, on: loop).map { decision in
            self.redisBreaker.withLockedValue { $0.record(success: true, at: .now) }
            return decision
        }.recover { error in
            self.redisBreaker.withLockedValue { $0.record(success: false, at: .now) }
            self.logger.warning("rate limits counted locally: Redis unavailable", metadata: ["error": .string("\(error)")])
            return self.fallback(bucket, limit: limit)
        }
    }

    private func fallback(_ bucket: String, limit: RateLimit) -> RateDecision {
        fallbacks.increment()
        return admitLocally(bucket, limit: limit, now: .now)
    }

    /// The same algorithm in this replica's memory: each tenant's theoretical arrival time.
    func admitLocally(_ bucket: String, limit: RateLimit, now: ContinuousClock.Instant) -> RateDecision {
        let interval = limit.window / limit.max
        return local.withLockedValue { arrivals in
            let after = min(max(arrivals[bucket] ?? now, now), now + limit.window) + interval
            guard after - limit.window <= now else {
                return RateDecision(allowed: false, limit: limit.max, remaining: 0, resetAfter: after - limit.window - now)
            }
            arrivals[bucket] = after
            let remaining = Int(((now + limit.window - after) / interval).rounded(.down))
            return RateDecision(allowed: true, limit: limit.max, remaining: remaining, resetAfter: after - now)
        }
    }
}

extension Duration {
    /// Whole seconds, rounded up: what Retry-After and X-RateLimit-Reset carry.
    var wholeSecondsUp: Int { Int((milliseconds / 1000).rounded(.up)) }
}
