// A supplier's answer asked by one query-engine replica is kept in Redis for the others: written
// after the search that asked has it (not on its path), and read by another replica as `cached`
// without asking the supplier again; a replica holding a stale answer picks up one renewed
// elsewhere, looking for it at most every `Timing.recheck`; an answer later than its search waited
// is kept all the same. Against the real Redis.

import Foundation
import Logging
import NIOConcurrencyHelpers
@testable import QueryEngine
@testable import Shared
import Testing

@Suite struct SupplierAnswerSharingTests {
    @Test func anotherReplicaServesTheAnswerFromRedisWithoutAskingTheSupplier() async throws {
        let redis = RedisPipeline(settings: try RedisSettings(EnvironmentVariables(ServiceEnvironment.all)))
        let (asking, other) = (AvailabilityCache(redis: redis, logger: Logger(label: "test")), AvailabilityCache(redis: redis, logger: Logger(label: "test")))
        let query = Self.query()
        let offer = Self.offer(query)
        let asked = NIOLockedValueBox(0)
        let first = await asking.answer(supplier: "globebeds", query: query) {
            asked.withLockedValue { $0 += 1 }
            return [offer]
        }
        #expect(first.outcome == .ok && first.offers == [offer])
        // Written in the background: there within a moment.
        let key = AvailabilityCache.key(supplier: "globebeds", query: query)
        try await Self.waitUntilKept(key, redis)
        let shared = await other.answer(supplier: "globebeds", query: query) {
            asked.withLockedValue { $0 += 1 }
            return []
        }
        #expect(shared.outcome == .cached, "\(shared.outcome)")
        #expect(shared.offers == [offer], "the other replica reads the kept answer")
        #expect(asked.withLockedValue { $0 } == 1, "the supplier was asked once")
        await redis.shutdown()
    }

    @Test func aStaleAnswerHeldHereIsLookedForInRedisAtMostEveryRecheck() async throws {
        let redis = RedisPipeline(settings: try RedisSettings(EnvironmentVariables(ServiceEnvironment.all)))
        // Renewing nothing itself: what it serves comes from its memory or from Redis.
        let timing = AvailabilityCache.Timing(fresh: .milliseconds(500), recheck: .seconds(1), renewing: 0)
        let replica = AvailabilityCache(redis: redis, timing: timing, logger: Logger(label: "test"))
        let query = Self.query()
        let (old, renewed) = (Self.offer(query, net: "100.00"), Self.offer(query, net: "90.00"))
        #expect(await replica.answer(supplier: "globebeds", query: query) { [old] }.outcome == .ok)
        // From here the clock is given, not slept through: a busy machine cannot stretch the moments.
        let start = Date()
        func at(_ ms: Int) -> Date { start.addingTimeInterval(Double(ms) / 1000) }
        let key = AvailabilityCache.key(supplier: "globebeds", query: query)
        try await Self.waitUntilKept(key, redis)
        #expect(await replica.answer(supplier: "globebeds", query: query, now: at(600)) { [] }.offers == [old], "stale, Redis read: nothing newer")
        // Another replica renews it.
        let entry = AvailabilityCache.Entry(at: Int64(at(700).timeIntervalSince1970 * 1000), offers: [renewed])
        _ = try await redis.command(["SET", key, String(decoding: JSONWriter.bytes(of: entry), as: UTF8.self), "PX", "60000"], timeout: .seconds(2))
        #expect(await replica.answer(supplier: "globebeds", query: query, now: at(900)) { [] }.offers == [old], "Redis read a moment ago: not again yet")
        #expect(await replica.answer(supplier: "globebeds", query: query, now: at(1700)) { [] }.offers == [renewed], "a second later, the renewed answer")
        await redis.shutdown()
    }

    /// A search stops waiting for a slow supplier at its budget; the call goes on, searches meanwhile
    /// join it rather than ask again, and its late answer serves the next search.
    @Test func anAnswerLaterThanTheSearchWaitedIsKeptForTheNext() async throws {
        let cache = AvailabilityCache(redis: nil, logger: Logger(label: "test"))
        let query = Self.query()
        let offer = Self.offer(query)
        let (asked, answering) = (NIOLockedValueBox(0), NIOLockedValueBox(false))
        // The supplier answers when the test lets it (or after 5 s, for a search that waits it out):
        // no moment of a busy machine decides.
        let slow: AvailabilityCache.Fetch = {
            asked.withLockedValue { $0 += 1 }
            for _ in 0..<250 where !answering.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
            return [offer]
        }
        let first = await cache.answer(supplier: "globebeds", query: query, waiting: .milliseconds(200), fetch: slow)
        #expect(first.outcome == .timeout && first.offers.isEmpty, "the search did not wait for the call: \(first.outcome)")
        #expect(await cache.answer(supplier: "globebeds", query: query, waiting: .milliseconds(200), fetch: slow).outcome == .timeout)
        answering.withLockedValue { $0 = true }
        var next = first
        for _ in 0..<100 where next.outcome != .cached {
            try await Task.sleep(for: .milliseconds(100))
            next = await cache.answer(supplier: "globebeds", query: query, waiting: .milliseconds(100), fetch: slow)
        }
        #expect(next.outcome == .cached && next.offers == [offer], "the late answer kept: \(next.outcome)")
        #expect(asked.withLockedValue { $0 } == 1, "the supplier was asked once")
    }

    /// Waits for the answer a search had to be written to Redis in the background.
    static func waitUntilKept(_ key: String, _ redis: RedisPipeline) async throws {
        for _ in 0..<250 {
            if case .bulk = try await redis.command(["GET", key], timeout: .seconds(2)) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the answer was not kept in Redis within 5 s")
    }

    static func query() -> AvailabilityQuery {
        AvailabilityQuery(
            checkIn: CalendarDate("2027-05-01")!, checkOut: CalendarDate("2027-05-03")!, occupancy: Occupancy(adults: 2), hotelCodes: ["H-\(UUID().uuidString)"])
    }

    static func offer(_ query: AvailabilityQuery, net: String = "120.50") -> SupplierOffer {
        SupplierOffer(
            supplier: "globebeds", hotelCode: query.hotelCodes![0], roomCode: "DBL", roomName: "Double", board: .roomOnly, refundable: true,
            cancellationPolicies: [], net: Amount(net)!, sellingRate: nil, currency: "EUR", rateKey: "rk", rateType: .bookable, allotment: 2)
    }
}
