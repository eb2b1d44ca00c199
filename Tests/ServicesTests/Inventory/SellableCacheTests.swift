// Availability kept per replica for AVAILABILITY_CACHE_MS (SellableCache): this replica's own holds
// and calendar changes show at once; another replica's (written here straight to the calendar)
// within the freshness (renewed past half of it), hotel by hotel; a stale answer never sells a
// room that is not there.

import Foundation
@testable import Inventory
@testable import Shared
import Testing

@Suite struct SellableCacheTests {
    /// The DBL rooms free for the stay, per hotel, as availability offers them (absent: none offered).
    static func free(_ stack: ServiceStack, _ hotels: [Int64]) async throws -> [Int64: Int] {
        let answer = try await stack.call(.post, "/availability", [
            "check_in": HoldTests.day(40), "check_out": HoldTests.day(42), "occupancy": ["adults": 2], "hotel_codes": hotels.map(String.init),
        ])
        #expect(answer.status == 200, "\(answer.json)")
        var free: [Int64: Int] = [:]
        for offer in answer.json["offers"] as? [[String: Any]] ?? [] {
            if let hotel = (offer["hotel_code"] as? String).flatMap({ Int64($0) }) { free[hotel] = offer["allotment"] as? Int }
        }
        return free
    }

    /// Another replica's sale: the calendar changed without this replica knowing.
    static func sellElsewhere(_ stack: ServiceStack, _ hotel: Int64, rooms: Int) async throws {
        try await stack.pool.execute("UPDATE inventory.nights SET sold = sold + $2 WHERE hotel_id = $1", [hotel, rooms])
    }

    @Test func ownChangesShowAtOnceAndOthersWithinTheFreshness() async throws {
        let freshness = 8.0
        try await HoldTests.run(["AVAILABILITY_CACHE_MS": String(Int(freshness * 1000))]) { stack in
            let (first, second) = (try await stack.contract(), try await stack.contract())
            for hotel in [first, second] {
                try await stack.calendar(hotel, [["room_type": "DBL", "from": HoldTests.day(40), "to": HoldTests.day(41), "allotment": 5, "prices": ["BAR": "90.00"]]])
            }
            #expect(try await Self.free(stack, [first]) == [first: 5])
            let key = try await stack.rateKey(first, checkIn: 40, nights: 2)
            #expect(try await stack.hold(key, order: "o\(first)-a", rooms: 2).status == 201)
            let readAt = Date()
            #expect(try await Self.free(stack, [first]) == [first: 3], "this replica's hold shows at once")

            try await Self.sellElsewhere(stack, first, rooms: 1)
            try await Self.sellElsewhere(stack, second, rooms: 1)
            let both = try await Self.free(stack, [first, second])
            if Date().timeIntervalSince(readAt) < freshness / 2 - 1 {
                #expect(both == [first: 3, second: 4], "the first hotel as read before, the second read now")
                let stale = try await stack.hold(key, order: "o\(first)-b", rooms: 3)
                #expect(stale.status == 409 && stale.json["code"] as? String == "sold_out", "three offered from the kept answer, two left: \(stale.json)")
            }
            let deadline = Date().addingTimeInterval(freshness + 20)
            var seen = both
            while seen[first] != 2, Date() < deadline {
                try await Task.sleep(for: .milliseconds(250))
                seen = try await Self.free(stack, [first, second])
            }
            #expect(seen == [first: 2, second: 4], "another replica's sale shows within the freshness")
            let shownAfter = Date().timeIntervalSince(readAt)
            #expect(shownAfter >= freshness / 2 - 0.5, "from a read begun past half of it, not before: \(shownAfter) s")
            #expect(shownAfter < freshness - 1, "renewed in the background while still fresh, not read once it expired: \(shownAfter) s")

            try await stack.calendar(first, [["room_type": "DBL", "from": HoldTests.day(40), "to": HoldTests.day(41), "stop_sell": true]])
            #expect(try await Self.free(stack, [first, second]) == [second: 4], "this replica's calendar change shows at once")
        }
    }

    @Test func withoutAFreshnessEveryQuestionReadsTheCalendar() async throws {
        try await HoldTests.run(["AVAILABILITY_CACHE_MS": "0"]) { stack in
            let hotel = try await stack.contract()
            try await stack.calendar(hotel, [["room_type": "DBL", "from": HoldTests.day(40), "to": HoldTests.day(41), "allotment": 5, "prices": ["BAR": "90.00"]]])
            #expect(try await Self.free(stack, [hotel]) == [hotel: 5])
            try await Self.sellElsewhere(stack, hotel, rooms: 2)
            #expect(try await Self.free(stack, [hotel]) == [hotel: 3])
        }
    }
}
