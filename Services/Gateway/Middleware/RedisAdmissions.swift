// The rate limit's Redis side: one atomic script decides admissions against the tenant's
// theoretical arrival time (GCRA). Admissions asked for in one tick of an event loop for the same
// bucket and limit go as one call deciding all of them in arrival order, exactly as one call each
// would: under load a loop reads many requests of one tenant at a time, and one round trip (and one
// script run in Redis) serves them all. Alone, a request waits for nothing but its own call.

import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Shared

final class RedisAdmissions: Sendable {
    let redis: RedisPipeline
    private let pending = NIOLockedValueBox([Batch: [EventLoopPromise<RateDecision>]]())
    private let calls = NIOLockedValueBox(0)

    private struct Batch: Hashable {
        let loop: ObjectIdentifier
        let bucket: String
        let limit: RateLimit
    }

    /// KEYS[1] the tenant's theoretical arrival time (ms); ARGV max, window ms, how many requests.
    /// Returns {allowed, remaining, reset ms} for each request in turn. A tenant's arrival time is
    /// never more than one (current) window ahead: a limit changed in config applies at once.
    static let script = RedisScript(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
        local max = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local count = tonumber(ARGV[3])
        local interval = window / max
        local stored = redis.call('GET', KEYS[1])
        local tat = stored and tonumber(stored) or now
        if tat < now then tat = now end
        if tat > now + window then tat = now + window end
        local admitted = false
        local out = {}
        for i = 1, count do
            local after = tat + interval
            if after - window > now then
                out[#out + 1] = 0; out[#out + 1] = 0; out[#out + 1] = math.ceil(after - window - now)
            else
                tat = after
                admitted = true
                out[#out + 1] = 1; out[#out + 1] = math.floor((now + window - after) / interval); out[#out + 1] = math.ceil(after - now)
            end
        end
        if admitted then redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.ceil(tat - now)) end
        return out
        """)

    init(redis: RedisPipeline) {
        self.redis = redis
    }

    /// Joins the batch of `loop`'s current tick, or starts one that leaves once the tick's other work has run. On `loop`.
    func enqueue(_ bucket: String, limit: RateLimit, on loop: any EventLoop) -> EventLoopFuture<RateDecision> {
        let batch = Batch(loop: ObjectIdentifier(loop), bucket: bucket, limit: limit)
        let promise = loop.makePromise(of: RateDecision.self)
        let first = pending.withLockedValue { pending in
            pending[batch, default: []].append(promise)
            return pending[batch]!.count == 1
        }
        if first { loop.execute { self.send(batch, on: loop) } }
        return promise.futureResult
    }

    /// How many script calls were made.
    var scriptCalls: Int { calls.withLockedValue { $0 } }

    private func send(_ batch: Batch, on loop: any EventLoop) {
        let waiting = pending.withLockedValue { $0.removeValue(forKey: batch) ?? [] }
        decide(batch.bucket, limit: batch.limit, count: waiting.count, on: loop).whenComplete { result in
            switch result {
            case .success(let decisions):
                for (promise, decision) in zip(waiting, decisions) { promise.succeed(decision) }
            case .failure(let error):
                for promise in waiting { promise.fail(error) }
            }
        }
    }

    private func decide(_ bucket: String, limit: RateLimit, count: Int, on loop: any EventLoop) -> EventLoopFuture<[RateDecision]> {
        calls.withLockedValue { $0 += 1 }
        return redis.eval(
            Self.script, keys: ["ratelimit:gcra:" + bucket], arguments: [String(limit.max), String(Int(limit.window.milliseconds)), String(count)],
            timeout: .seconds(1), on: loop
        ).flatMapThrowing { reply in try Self.decisions(reply, limit: limit, count: count) }
    }

    private static func decisions(_ reply: RedisReply, limit: RateLimit, count: Int) throws -> [RateDecision] {
        guard case .array(let values) = reply, values.count == 3 * count else { throw Self.unexpected(reply) }
        return try stride(from: 0, to: values.count, by: 3).map { index in
            guard case .integer(let allowed) = values[index], case .integer(let remaining) = values[index + 1], case .integer(let reset) = values[index + 2]
            else { throw Self.unexpected(reply) }
            return RateDecision(allowed: allowed == 1, limit: limit.max, remaining: max(remaining, 0), resetAfter: .milliseconds(reset))
        }
    }

    private static func unexpected(_ reply: RedisReply) -> Problem {
        Problem(.internalServerError, code: "rate_limit_reply", detail: "unexpected reply \(reply)")
    }
}
