// A supplier's answer asked by one query-engine replica is kept in Redis for the others: written
// after the search that asked has it (not on its path), and read by another replica as `cached`
// without asking the supplier again. Against the real Redis.

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
        let query = AvailabilityQuery(
            checkIn: CalendarDate("2027-05-01")!, checkOut: CalendarDate("2027-05-03")!, occupancy: Occupancy(adults: 2), hotelCodes: ["H-\(UUID().uuidString)"])
        let offer = SupplierOffer(
            supplier: "globebeds", hotelCode: query.hotelCodes![0], roomCode: "DBL", roomName: "Double", board: .roomOnly, refundable: true,
            cancellationPolicies: [], net: Amount("120.50")!, sellingRate: nil, currency: "EUR", rateKey: "rk", rateType: .bookable, allotment: 2)
        let asked = NIOLockedValueBox(0)
        let first = await asking.answer(supplier: "globebeds", query: query) {
            asked.withLockedValue { $0 += 1 }
            return [offer]
        }
        #expect(first.outcome == .ok && first.offers == [offer])
        // Written in the background: there within a moment.
        let key = AvailabilityCache.key(supplier: "globebeds", query: query)
        var written = false
        for _ in 0..<100 where !written {
            if case .bulk = try await redis.command(["GET", key], timeout: .seconds(2)) { written = true } else { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(written, "the answer is kept in Redis")
        let shared = await other.answer(supplier: "globebeds", query: query) {
            asked.withLockedValue { $0 += 1 }
            return []
        }
        #expect(shared.outcome == .cached, "\(shared.outcome)")
        #expect(shared.offers == [offer], "the other replica reads the kept answer")
        #expect(asked.withLockedValue { $0 } == 1, "the supplier was asked once")
        await redis.shutdown()
    }
}
