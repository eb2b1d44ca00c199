// Per-tenant rate limits: at most `max` requests in any sliding window of `window`, counted in one
// Redis sorted set per tenant by one atomic script (exact under concurrency, across replicas).
// When Redis cannot be reached the gateway keeps serving and counts in memory per replica instead
// (fail open to a local limit, never unlimited), counting `rate_limit_fallback_total`. It does
// not wait for Redis to reconnect, and a breaker keeps requests off a dead Redis for 2 s at a
// time, so an outage costs requests no latency beyond the first failed call.

import DequeModule
import FoundationEssentials
import Logging
import Prometheus
import NIOConcurrencyHelpers
import Shared

struct RateLimit: Sendable, Equatable {
    var max: Int
    var window: Duration
}

struct RateDecision: Sendable, Equatable {
    var allowed: Bool
    var limit: Int
    var remaining: Int
    /// Until the oldest counted request leaves the window.
    var resetAfter: Duration
}

final class RateLimiter: Sendable {
    /// On the event loop: every request runs the script, and a thread hand-off per call costs more than the script.
    let redis: RedisPipeline
    let defaults: RateLimit
    let config: ConfigClient?
    let logger: Logger
    private let local = NIOLockedValueBox([String: Deque<ContinuousClock.Instant>]())
    private let fallbacks: Prometheus.Counter
    private let redisBreaker = NIOLockedValueBox(CircuitBreaker(policy: BreakerPolicy(consecutiveFailures: 1, openFor: .seconds(2))))

    /// KEYS[1] the tenant's set; ARGV max, window ms, a unique member (not the request id: clients choose those). Returns {allowed, remaining, reset ms}.
    static let script = RedisScript(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local max = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        local count = redis.call('ZCARD', KEYS[1])
        local allowed = 0
        if count < max then
            redis.call('ZADD', KEYS[1], now, ARGV[3])
            redis.call('PEXPIRE', KEYS[1], window)
            count = count + 1
            allowed = 1
        end
        local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        local reset = window
        if oldest[2] then reset = tonumber(oldest[2]) + window - now end
        return {allowed, max - count, reset}
        """)

    init(redis: RedisPipeline, defaults: RateLimit, config: ConfigClient?, registry: PrometheusCollectorRegistry, logger: Logger) {
        fallbacks = registry.makeCounter(name: "rate_limit_fallback_total")
        self.redis = redis
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
        if redisBreaker.withLockedValue({ $0.permit(at: .now) }) {
            do {
                let decision = try await admitInRedis(bucket, limit: limit)
                redisBreaker.withLockedValue { $0.record(success: true, at: .now) }
                return decision
            } catch {
                redisBreaker.withLockedValue { $0.record(success: false, at: .now) }
                logger.warning("rate limits counted locally: Redis unavailable", metadata: ["error": .string("\(error)")])
            }
        }
        fallbacks.increment()
        return admitLocally(bucket, limit: limit, now: .now)
    }

    private func admitInRedis(_ bucket: String, limit: RateLimit) async throws -> RateDecision {
        let reply = try await redis.eval(
            Self.script, keys: ["ratelimit:" + bucket], arguments: [String(limit.max), String(Int(limit.window.milliseconds)), UUID().uuidString],
            timeout: .seconds(1))
        guard case .array(let values) = reply, values.count == 3, case .integer(let allowed) = values[0],
            case .integer(let remaining) = values[1], case .integer(let reset) = values[2]
        else { throw Problem(.internalServerError, code: "rate_limit_reply", detail: "unexpected reply \(reply)") }
        return RateDecision(allowed: allowed == 1, limit: limit.max, remaining: max(remaining, 0), resetAfter: .milliseconds(reset))
    }

    func admitLocally(_ bucket: String, limit: RateLimit, now: ContinuousClock.Instant) -> RateDecision {
        local.withLockedValue { buckets in
            var times = buckets[bucket, default: []]
            while let first = times.first, first <= now - limit.window { times.removeFirst() }
            let allowed = times.count < limit.max
            if allowed { times.append(now) }
            buckets[bucket] = times
            let reset = times.first.map { $0 + limit.window - now } ?? limit.window
            return RateDecision(allowed: allowed, limit: limit.max, remaining: limit.max - times.count, resetAfter: reset)
        }
    }
}

extension Duration {
    /// Whole seconds, rounded up: what Retry-After and X-RateLimit-Reset carry.
    var wholeSecondsUp: Int { Int((milliseconds / 1000).rounded(.up)) }
}
