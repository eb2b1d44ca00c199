// Direct contracts against the real PostgreSQL: holds never oversell under any concurrency, hold
// all nights or none, follow the calendar's restrictions, are idempotent by order id, confirm,
// release, cancel and expire; the calendar refuses an allotment below what is sold.

import Foundation
@testable import Inventory
@testable import Shared
import Testing

@Suite struct HoldTests {
    static func run(_ extra: [String: String] = [:], _ body: @escaping @Sendable (ServiceStack) async throws -> Void) async throws {
        try await ServiceStack.run(InventoryService.definition, extra, body)
    }

    static let today = CalendarDate(utc: Date())
    static func day(_ offset: Int) -> String { today.adding(days: offset).description }

    @Test func fiveHundredConcurrentHoldsOfOneRoomSellExactlyTheAllotment() async throws {
        try await Self.run { stack in
            let hotel = try await stack.contract()
            try await stack.calendar(hotel, [["room_type": "DBL", "from": Self.day(30), "to": Self.day(32), "allotment": 20, "prices": ["BAR": "100.00"]]])
            let key = try await stack.rateKey(hotel, checkIn: 30, nights: 3)
            let answers = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for index in 0..<500 {
                    group.addTask {
                        let answer = try await stack.call(.post, "/holds", ["order_id": "o\(hotel)-\(index)", "rate_key": key, "rooms": 1])
                        return (answer.status, answer.json["code"] as? String)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0.0 == 201 }.count == 20, "exactly the allotment: \(Set(answers.map { "\($0.0) \($0.1 ?? "")" }))")
            #expect(answers.filter { $0 == (409, "sold_out") }.count == 480)
            let nights = try await stack.pool.query(
                "SELECT night, sold + held AS taken, allotment FROM inventory.nights WHERE hotel_id = $1 ORDER BY night", [hotel])
            #expect(nights.count == 3)
            for night in nights { #expect(try night.int("taken") == 20 && night.int("allotment") == 20) }
            let holds = try await stack.pool.query("SELECT count(*)::int AS n, sum(net)::text AS net FROM inventory.holds WHERE hotel_id = $1", [hotel]).first
            #expect(try holds?.int("n") == 20 && holds?.string("net") == "6000.0000", "each hold costs 3 nights at 100")
        }
    }

    @Test func aStayIsHeldWholeOrNotAtAllAndRestrictionsRefuseIt() async throws {
        try await Self.run { stack in
            let hotel = try await stack.contract()
            try await stack.calendar(hotel, [["room_type": "DBL", "from": Self.day(10), "to": Self.day(40), "allotment": 5, "prices": ["BAR": "80.00"]]])
            let key = try await stack.rateKey(hotel, checkIn: 20, nights: 3)
            // One night sold out: nothing held on the others.
            try await stack.calendar(hotel, [["room_type": "DBL", "from": Self.day(21), "to": Self.day(21), "allotment": 0]])
            let refused = try await stack.hold(key, order: "o\(hotel)-a")
            #expect(refused.status == 409 && refused.json["code"] as? String == "sold_out" && refused.json["night"] as? String == Self.day(21), "\(refused.json)")
            let held = try await stack.pool.query("SELECT sum(held)::int AS held FROM inventory.nights WHERE hotel_id = $1", [hotel]).first
            #expect(try held?.int("held") == 0, "no night of the stay was held")
            try await stack.calendar(hotel, [["room_type": "DBL", "from": Self.day(21), "to": Self.day(21), "allotment": 5]])

            for (update, code) in [
                (["stop_sell": true, "from": Self.day(22), "to": Self.day(22)], "stop_sell"),
                (["min_stay": 4, "from": Self.day(20), "to": Self.day(20)], "minimum_stay"),
                (["closed_to_arrival": true, "from": Self.day(20), "to": Self.day(20)], "closed_to_arrival"),
                (["release_days": 21, "from": Self.day(20), "to": Self.day(22)], "release_period"),
            ] as [([String: Any], String)] {
                var restrict = update
                restrict["room_type"] = "DBL"
                try await stack.calendar(hotel, [restrict])
                let answer = try await stack.hold(key, order: "o\(hotel)-\(code)")
                #expect(answer.status == 409 && answer.json["code"] as? String == code, "\(code): \(answer.json)")
                #expect(try await stack.offers(hotel, checkIn: 20, nights: 3).isEmpty, "\(code): availability does not offer it either")
                var lift: [String: Any] = ["room_type": "DBL", "from": Self.day(20), "to": Self.day(22)]
                lift["stop_sell"] = false
                lift["min_stay"] = 1
                lift["closed_to_arrival"] = false
                lift["release_days"] = 0
                try await stack.calendar(hotel, [lift])
            }
            // A minimum stay counts on arrival: a night inside the stay with min_stay 4 does not refuse it.
            try await stack.calendar(hotel, [["room_type": "DBL", "from": Self.day(21), "to": Self.day(21), "min_stay": 4]])
            #expect(try await stack.hold(key, order: "o\(hotel)-ok").status == 201)
        }
    }

    @Test func holdsAreIdempotentAndConfirmReleaseCancelAndExpire() async throws {
        try await Self.run(["HOLD_SWEEP_INTERVAL_MS": "200"]) { stack in
            let hotel = try await stack.contract()
            try await stack.calendar(hotel, [["room_type": "DBL", "from": Self.day(5), "to": Self.day(9), "allotment": 10, "prices": ["BAR": "120.50"]]])
            let key = try await stack.rateKey(hotel, checkIn: 5, nights: 2)
            let order = "o\(hotel)"
            let first = try await stack.hold(key, order: order, rooms: 2)
            #expect(first.status == 201 && first.json["status"] as? String == "held", "\(first.json)")
            #expect((first.json["net"] as? [String: Any])?["amount"] as? String == "482.00", "2 rooms x 2 nights x 120.50: \(first.json)")
            let again = try await stack.hold(key, order: order, rooms: 2)
            #expect(again.status == 200 && again.replayed && again.json["expires_at"] as? String == first.json["expires_at"] as? String)
            #expect(try await stack.hold(key, order: order, rooms: 3).json["code"] as? String == "idempotency_conflict")
            #expect(try await stack.taken(hotel, Self.day(5)) == (0, 2))

            #expect(try await stack.call(.post, "/holds/\(order)/cancel").json["code"] as? String == "hold_not_confirmed")
            let confirmed = try await stack.call(.post, "/holds/\(order)/confirm")
            #expect(confirmed.status == 200 && confirmed.json["status"] as? String == "confirmed" && !confirmed.replayed, "\(confirmed.json)")
            #expect(try await stack.call(.post, "/holds/\(order)/confirm").replayed)
            #expect(try await stack.taken(hotel, Self.day(5)) == (2, 0), "held became sold")
            #expect(try await stack.call(.post, "/holds/\(order)/release").json["code"] as? String == "hold_confirmed")
            // Lowering the allotment below what is sold is refused, naming the nights; nothing changes.
            let lowered = try await stack.call(.post, "/api/v1/admin/inventory/hotels/\(hotel)/calendar", ["updates": [
                ["room_type": "DBL", "from": Self.day(8), "to": Self.day(9), "allotment": 3],
                ["room_type": "DBL", "from": Self.day(5), "to": Self.day(6), "allotment": 1],
            ]], as: ServiceStack.admin)
            #expect(lowered.status == 409 && lowered.json["code"] as? String == "allotment_below_sold", "\(lowered.json)")
            #expect(lowered.json["nights"] as? [String] == [Self.day(5), Self.day(6)])
            let allotments = try await stack.pool.query("SELECT DISTINCT allotment FROM inventory.nights WHERE hotel_id = $1", [hotel]).map { try $0.int("allotment") }
            #expect(allotments == [10], "the first update of the refused request was rolled back too")
            let cancelled = try await stack.call(.post, "/holds/\(order)/cancel")
            #expect(cancelled.json["status"] as? String == "cancelled")
            #expect(try await stack.taken(hotel, Self.day(5)) == (0, 0), "the rooms are back")

            // Confirming an expired hold is refused; the sweeper gives its rooms back.
            let late = "o\(hotel)-late"
            #expect(try await stack.hold(key, order: late).status == 201)
            try await stack.pool.execute("UPDATE inventory.holds SET expires_at = now() - interval '1 second' WHERE order_id = $1", [late])
            let expired = try await stack.call(.post, "/holds/\(late)/confirm")
            #expect(expired.status == 409 && expired.json["code"] as? String == "hold_expired", "\(expired.json)")
            for _ in 0..<50 where try await stack.call(.get, "/holds/\(late)").json["status"] as? String != "expired" { try await Task.sleep(for: .milliseconds(100)) }
            #expect(try await stack.call(.get, "/holds/\(late)").json["status"] as? String == "expired")
            #expect(try await stack.taken(hotel, Self.day(5)) == (0, 0))
            #expect(try await stack.call(.post, "/holds/\(late)/release").replayed, "releasing an expired hold changes nothing")
        }
    }

    @Test func badHoldsAreRefusedClearly() async throws {
        try await Self.run { stack in
            let hotel = try await stack.contract()
            try await stack.calendar(hotel, [["room_type": "DBL", "from": Self.day(3), "to": Self.day(4), "allotment": 1, "prices": ["BAR": "50.00"]]])
            let key = try await stack.rateKey(hotel, checkIn: 3, nights: 2)
            let altered = key.replacingOccurrences(of: "|DBL|", with: "|SGL|")
            #expect(altered != key)
            #expect(try await stack.hold(altered, order: "o\(hotel)-x").json["code"] as? String == "invalid_rate_key")
            #expect(try await stack.hold(key, order: "o\(hotel)-y", rooms: 0).json["code"] as? String == "invalid_rooms")
            #expect(try await stack.call(.post, "/holds/none-\(hotel)/confirm").status == 404)
            // The price moved after the offer was given: nothing is held at the old one.
            try await stack.calendar(hotel, [["room_type": "DBL", "from": Self.day(3), "to": Self.day(3), "prices": ["BAR": "55.00"]]])
            let moved = try await stack.hold(key, order: "o\(hotel)-z")
            #expect(moved.status == 409 && moved.json["code"] as? String == "price_changed" && moved.json["net"] as? String == "105.00", "\(moved.json)")
        }
    }
}

extension HoldTests {
    @Test func aYearOfNightsForEveryRoomTypeIsOneRequestAndOneTransaction() async throws {
        try await Self.run { stack in
            let hotel = try await stack.contract()
            for room in ["TWN", "SGL"] {
                #expect(try await stack.call(.put, "/api/v1/admin/inventory/hotels/\(hotel)/room-types/\(room)", ["name": room, "max_occupancy": 2], as: ServiceStack.admin).status == 200)
            }
            let updates: [[String: Any]] = ["DBL", "TWN", "SGL"].flatMap { room in
                (1...365).map { night in
                    ["room_type": room, "from": Self.day(night), "to": Self.day(night), "allotment": night % 7, "prices": ["BAR": "\(100 + night % 50).00"]] as [String: Any]
                }
            }
            let started = ContinuousClock.now
            let written = try await stack.call(.post, "/api/v1/admin/inventory/hotels/\(hotel)/calendar", ["updates": updates], as: ServiceStack.admin)
            #expect(written.status == 200 && written.json["updates"] as? Int == 1095 && written.json["written"] as? Int == 2190, "\(written.json)")
            print("a year of nights for 3 room types (1,095 updates) applied in \(started.duration(to: .now))")
            let count = try await stack.pool.query(
                "SELECT count(*)::int AS nights, count(DISTINCT room_type)::int AS rooms, sum(allotment)::int AS rooms_total FROM inventory.nights WHERE hotel_id = $1", [hotel]).first
            #expect(try count?.int("nights") == 1095 && count?.int("rooms") == 3)
            #expect(try count?.int("rooms_total") == 3 * (1...365).reduce(0) { $0 + $1 % 7 })
            // One bad update refuses the whole request: nothing of it is written.
            var spoiled = updates
            spoiled[700]["room_type"] = "NOPE"
            let refused = try await stack.call(.post, "/api/v1/admin/inventory/hotels/\(hotel)/calendar", ["updates": spoiled], as: ServiceStack.admin)
            #expect(refused.status == 422 && refused.json["code"] as? String == "unknown_room_type" && (refused.json["detail"] as? String)?.contains("updates[700]") == true)
            let events = try await stack.pool.query(
                "SELECT count(*)::int AS n FROM inventory.outbox WHERE event_type = 'inventory.updated' AND body::jsonb -> 'data' ->> 'hotel_id' = $1", [String(hotel)])
            #expect(try events.first?.int("n") == 3, "one inventory.updated per room type")
        }
    }

    @Test func rateChecksAnswerAvailablePriceChangedAndSoldOut() async throws {
        try await Self.run { stack in
            let hotel = try await stack.contract()
            try await stack.calendar(hotel, [["room_type": "DBL", "from": Self.day(6), "to": Self.day(7), "allotment": 1, "prices": ["BAR": "60.00"]]])
            let offer = try #require(try await stack.offers(hotel, checkIn: 6, nights: 2).first)
            #expect(offer["supplier"] as? String == "direct" && offer["hotel_code"] as? String == String(hotel) && offer["net"] as? String == "120.00")
            #expect(offer["board"] as? String == "BB" && offer["refundable"] as? Bool == true && offer["allotment"] as? Int == 1)
            let policies = offer["cancellation_policies"] as? [[String: Any]] ?? []
            #expect(policies.count == 1 && policies.first?["amount"] as? String == "60.00", "half the stay from 3 days before: \(policies)")
            #expect(try await stack.offers(hotel, checkIn: 6, nights: 2, adults: 3).isEmpty, "a double takes two guests")
            let key = try #require(offer["rate_key"] as? String)
            func check(_ expected: String? = nil) async throws -> [String: Any] {
                var body: [String: Any] = ["rate_key": key]
                if let expected { body["expected_net"] = expected }
                return try await stack.call(.post, "/rate-checks", body).json
            }
            #expect(try await check()["status"] as? String == "AVAILABLE")
            #expect(try await check("100.00")["status"] as? String == "PRICE_CHANGED", "not the price the caller saw")
            try await stack.calendar(hotel, [["room_type": "DBL", "from": Self.day(7), "to": Self.day(7), "prices": ["BAR": "70.00"]]])
            let changed = try await check()
            #expect(changed["status"] as? String == "PRICE_CHANGED" && (changed["offer"] as? [String: Any])?["net"] as? String == "130.00", "\(changed)")
            #expect(try await stack.hold(key, order: "o\(hotel)-other").status == 409)
            let fresh = try #require((changed["offer"] as? [String: Any])?["rate_key"] as? String)
            #expect(try await stack.hold(fresh, order: "o\(hotel)").status == 201)
            #expect(try await check()["status"] as? String == "SOLD_OUT", "its one room is held")
            #expect(try await stack.call(.post, "/rate-checks", ["rate_key": key + "x"]).json["code"] as? String == "invalid_rate_key")
        }
    }
}

/// Direct-contract calls for the inventory tests.
extension ServiceStack {
    /// A contract for a new hotel id: room type DBL (2 guests), rate plan BAR (refundable, half the
    /// stay from 3 days before).
    func contract(currency: String = "EUR") async throws -> Int64 {
        let hotel = Int64.random(in: 1_000_000_000...9_000_000_000)
        let created = try await call(.post, "/api/v1/admin/inventory/hotels", ["hotel_id": hotel, "name": "Direct \(hotel)", "currency": currency], as: Self.admin)
        #expect(created.status == 201, "\(created.json)")
        let room = try await call(.put, "/api/v1/admin/inventory/hotels/\(hotel)/room-types/DBL", ["name": "Double", "max_occupancy": 2], as: Self.admin)
        #expect(room.status == 200, "\(room.json)")
        let plan = try await call(.put, "/api/v1/admin/inventory/hotels/\(hotel)/rate-plans/BAR", [
            "name": "Best available", "board": "BB", "refundable": true, "cancellation": [["days_before": 3, "percent": "50"]],
        ], as: Self.admin)
        #expect(plan.status == 200, "\(plan.json)")
        return hotel
    }

    func calendar(_ hotel: Int64, _ updates: [[String: Any]]) async throws {
        let written = try await call(.post, "/api/v1/admin/inventory/hotels/\(hotel)/calendar", ["updates": updates], as: Self.admin)
        #expect(written.status == 200, "\(written.json)")
    }

    func offers(_ hotel: Int64, checkIn: Int, nights: Int, adults: Int = 2) async throws -> [[String: Any]] {
        let answer = try await call(.post, "/availability", [
            "check_in": HoldTests.day(checkIn), "check_out": HoldTests.day(checkIn + nights), "occupancy": ["adults": adults], "hotel_codes": [String(hotel)],
        ])
        #expect(answer.status == 200, "\(answer.json)")
        return answer.json["offers"] as? [[String: Any]] ?? []
    }

    func rateKey(_ hotel: Int64, checkIn: Int, nights: Int) async throws -> String {
        let offers = try await offers(hotel, checkIn: checkIn, nights: nights)
        return try #require(offers.first?["rate_key"] as? String, "an offer: \(offers)")
    }

    func hold(_ key: String, order: String, rooms: Int = 1) async throws -> (status: Int, json: [String: Any], replayed: Bool) {
        try await call(.post, "/holds", ["order_id": order, "rate_key": key, "rooms": rooms])
    }

    /// Sold and held on one night of the hotel's DBL.
    func taken(_ hotel: Int64, _ night: String) async throws -> (Int, Int) {
        let row = try #require(try await pool.query("SELECT sold, held FROM inventory.nights WHERE hotel_id = $1 AND night = $2::date", [hotel, night]).first)
        return (try row.int("sold"), try row.int("held"))
    }
}
