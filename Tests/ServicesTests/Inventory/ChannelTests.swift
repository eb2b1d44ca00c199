// Channel-manager messages (OpenTravel) against the real PostgreSQL, and through a real gateway:
// applied at once while `supplier.realtime.sync` is on for the channel, queued for the periodic sync
// while off; a repeat gets the first answer; malformed XML, unknown hotels, rooms and rate plans, a
// foreign currency, an allotment below what is sold and a bad signature change nothing.

import Foundation
@testable import Gateway
import HummingbirdTesting
import HTTPTypes
import NIOCore
@testable import Inventory
@testable import Shared
@testable import SupplierSim
import Testing
import TestSupport

@Suite struct ChannelTests {
    static let day = HoldTests.day

    /// Turns `supplier.realtime.sync` on for `channel` only (whitelisted; the rollout stays 0 %).
    static func realtime(for channel: String) async throws {
        let env = EnvironmentVariables(ServiceEnvironment.all)
        #expect(await MigrateCommand.run(GatewayService.definition, environment: env, arguments: ["migrate", "up"]) == 0)
        let pool = PostgresPool(settings: try PostgresSettings(env, applicationName: "test"), logger: .init(label: "test"))
        try await pool.execute(
            """
            UPDATE platform.feature_flags SET enabled = true, rollout_pct = 0, whitelist = array_append(coalesce(whitelist, '{}'), $1)
            WHERE name = 'supplier.realtime.sync'
            """, [channel])
        try await pool.shutdown()
    }

    static func availability(_ hotel: String, _ messages: String, echo: String = "e-1") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <OTA_HotelAvailNotifRQ xmlns="http://www.opentravel.org/OTA/2003/05" EchoToken="\(echo)" Version="1.0">
          <AvailStatusMessages HotelCode="\(hotel)">\(messages)</AvailStatusMessages>
        </OTA_HotelAvailNotifRQ>
        """
    }

    static func rates(_ hotel: String, room: String = "DBL", plan: String = "BAR", from: String, to: String, amount: String, currency: String = "EUR") -> String {
        """
        <OTA_HotelRateAmountNotifRQ xmlns="http://www.opentravel.org/OTA/2003/05" EchoToken="r-1" Version="1.0">
          <RateAmountMessages HotelCode="\(hotel)"><RateAmountMessage>
            <StatusApplicationControl Start="\(from)" End="\(to)" InvTypeCode="\(room)" RatePlanCode="\(plan)"/>
            <Rates><Rate><BaseByGuestAmts><BaseByGuestAmt AmountAfterTax="\(amount)" CurrencyCode="\(currency)"/></BaseByGuestAmts></Rate></Rates>
          </RateAmountMessage></RateAmountMessages>
        </OTA_HotelRateAmountNotifRQ>
        """
    }

    @Test func realtimeMessagesApplyAtOnceAndARepeatChangesNothing() async throws {
        let channel = ServiceStack.unique("cm")
        try await Self.realtime(for: channel)
        try await HoldTests.run { stack in
            let hotel = try await stack.contract(channel: channel, code: "H-\(channel)")
            try await stack.calendar(hotel, [["room_type": "DBL", "from": Self.day(10), "to": Self.day(20), "allotment": 5, "prices": ["BAR": "90.00"]]])
            try await Task.sleep(for: .milliseconds(800))  // the service's config center has read the flag
            let closing = Self.availability("H-\(channel)", """
                <AvailStatusMessage BookingLimit="0"><StatusApplicationControl Start="\(Self.day(12))" End="\(Self.day(12))" InvTypeCode="DBL"/></AvailStatusMessage>
                <AvailStatusMessage><StatusApplicationControl Start="\(Self.day(14))" End="\(Self.day(14))" InvTypeCode="DBL" RatePlanCode="BAR"/>
                  <RestrictionStatus Status="Close"/></AvailStatusMessage>
                <AvailStatusMessage><StatusApplicationControl Start="\(Self.day(15))" End="\(Self.day(16))" InvTypeCode="DBL"/>
                  <LengthsOfStay><LengthOfStay MinMaxMessageType="SetMinLOS" Time="3" TimeUnit="Day"/></LengthsOfStay>
                  <RestrictionStatus Status="Close" Restriction="Arrival" MinAdvancedBookingOffset="P2D"/></AvailStatusMessage>
                """)
            let answer = try await stack.channel(channel, closing, key: "k1")
            #expect(answer.status == 200 && answer.body.contains("<OTA_HotelAvailNotifRS") && answer.body.contains("<Success/>") && answer.body.contains("EchoToken=\"e-1\""), "\(answer.body)")
            let nights = try await stack.nights(hotel)
            #expect(nights[Self.day(12)]?["allotment"] as? Int == 0 && nights[Self.day(14)]?["stop_sell"] as? Bool == true)
            #expect(nights[Self.day(15)]?["min_stay"] as? Int == 3 && nights[Self.day(16)]?["closed_to_arrival"] as? Bool == true && nights[Self.day(16)]?["release_days"] as? Int == 2)
            #expect(nights[Self.day(13)]?["allotment"] as? Int == 5 && nights[Self.day(13)]?["stop_sell"] as? Bool == false, "other nights untouched")
            #expect(try await stack.offers(hotel, checkIn: 11, nights: 2).isEmpty, "a sold-out night inside the stay")
            #expect(try await stack.offers(hotel, checkIn: 17, nights: 2).count == 1)

            let priced = try await stack.channel(channel, Self.rates("H-\(channel)", from: Self.day(17), to: Self.day(18), amount: "150.00"), key: "k2")
            #expect(priced.body.contains("<OTA_HotelRateAmountNotifRS") && priced.body.contains("<Success/>"), "\(priced.body)")
            #expect(try await stack.offers(hotel, checkIn: 17, nights: 2).first?["net"] as? String == "300.00")

            // The same signed message again: the first answer, applied once.
            try await stack.calendar(hotel, [["room_type": "DBL", "from": Self.day(12), "to": Self.day(12), "allotment": 4]])
            let again = try await stack.channel(channel, closing, key: "k1")
            #expect(again.body == answer.body)
            #expect(try await stack.nights(hotel)[Self.day(12)]?["allotment"] as? Int == 4, "not applied a second time")
            let kept = try await stack.pool.query("SELECT count(*)::int AS n FROM inventory.channel_messages WHERE channel = $1 AND status = 'applied'", [channel])
            #expect(try kept.first?.int("n") == 2)
            let events = try await stack.pool.query(
                "SELECT count(*)::int AS n FROM inventory.outbox WHERE event_type = 'inventory.updated' AND body::jsonb -> 'data' ->> 'hotel_id' = $1 AND body::jsonb -> 'data' ->> 'cause' = 'channel'",
                [String(hotel)])
            #expect(try events.first?.int("n") == 2, "one inventory.updated per message (one room type each)")
        }
    }

    @Test func queuedMessagesWaitForThePeriodicSync() async throws {
        let channel = ServiceStack.unique("cmq")
        // While the sync is an hour away, the messages wait: answered Success, queued, nothing applied.
        try await HoldTests.run(["SYNC_INTERVAL_MS": "3600000"]) { stack in
            let hotel = try await stack.contract(channel: channel, code: "Q1")
            try await stack.calendar(hotel, [["room_type": "DBL", "from": Self.day(10), "to": Self.day(12), "allotment": 5, "prices": ["BAR": "90.00"]]])
            let first = Self.availability("Q1", #"<AvailStatusMessage BookingLimit="2"><StatusApplicationControl Start="\#(Self.day(10))" End="\#(Self.day(12))" InvTypeCode="DBL"/></AvailStatusMessage>"#)
            let second = Self.availability("Q1", #"<AvailStatusMessage BookingLimit="3"><StatusApplicationControl Start="\#(Self.day(11))" End="\#(Self.day(11))" InvTypeCode="DBL"/></AvailStatusMessage>"#)
            #expect(try await stack.channel(channel, first, key: "q1").body.contains("<Success/>"))
            #expect(try await stack.channel(channel, second, key: "q2").body.contains("<Success/>"))
            #expect(Set(try await stack.nights(hotel).values.compactMap { $0["allotment"] as? Int }) == [5], "queued, not applied")
            let queued = try await stack.pool.query("SELECT count(*)::int AS n FROM inventory.channel_messages WHERE channel = $1 AND status = 'queued'", [channel])
            #expect(try queued.first?.int("n") == 2)
        }
        // A replica whose sync comes every second applies them, in the order they came.
        try await HoldTests.run(["SYNC_INTERVAL_MS": "1000"]) { stack in
            let hotel = Int64(try #require(try await stack.pool.query("SELECT hotel_id FROM inventory.hotels WHERE channel = $1", [channel]).first).int("hotel_id"))
            let applied = try await eventually(within: .seconds(15)) {
                let nights = try await stack.nights(hotel)
                return [10, 11, 12].map { nights[Self.day($0)]?["allotment"] as? Int } == [2, 3, 2]
            }
            let nights = try await stack.nights(hotel).mapValues { $0["allotment"] as? Int ?? -1 }
            #expect(applied, "applied in the order they came: \(nights)")
        }
    }

    @Test func badMessagesAreRefusedAndChangeNothing() async throws {
        let channel = ServiceStack.unique("cmb")
        try await Self.realtime(for: channel)
        try await HoldTests.run { stack in
            let hotel = try await stack.contract(channel: channel, code: "B1")
            try await stack.calendar(hotel, [["room_type": "DBL", "from": Self.day(10), "to": Self.day(12), "allotment": 5, "prices": ["BAR": "90.00"]]])
            try await Task.sleep(for: .milliseconds(800))
            let key = try await stack.rateKey(hotel, checkIn: 10, nights: 2)
            #expect(try await stack.hold(key, order: "o\(hotel)", rooms: 2).status == 201)
            let before = try await stack.calendarText(hotel)

            let malformed = try await stack.channel(channel, "<OTA_HotelAvailNotifRQ><AvailStatusMessages>", key: "b0")
            #expect(malformed.status == 400 && malformed.body.contains("invalid_xml"), "\(malformed.body)")
            let other = try await stack.channel(channel, "<Hello/>", key: "b00")
            #expect(other.status == 400 && other.body.contains("unsupported_message"))
            func limit(_ hotelCode: String, room: String = "DBL", rooms: Int = 1) -> String {
                Self.availability(hotelCode, #"<AvailStatusMessage BookingLimit="\#(rooms)"><StatusApplicationControl Start="\#(Self.day(10))" End="\#(Self.day(11))" InvTypeCode="\#(room)"/></AvailStatusMessage>"#)
            }
            for (index, (body, code)) in [
                (limit("NOPE"), "392"), (limit("B1", room: "SUITE"), "402"),
                (Self.rates("B1", plan: "NRF", from: Self.day(10), to: Self.day(11), amount: "70.00"), "249"),
                (Self.rates("B1", from: Self.day(10), to: Self.day(11), amount: "70.00", currency: "USD"), "61"),
                (limit("B1", rooms: 1), "450"),
                (Self.availability("B1", #"<AvailStatusMessage BookingLimit="1"><StatusApplicationControl Start="someday" End="\#(Self.day(11))" InvTypeCode="DBL"/></AvailStatusMessage>"#), "15"),
                (Self.availability("B1", #"<AvailStatusMessage BookingLimit="1"><StatusApplicationControl End="\#(Self.day(11))" InvTypeCode="DBL"/></AvailStatusMessage>"#), "321"),
            ].enumerated() {
                let answer = try await stack.channel(channel, body, key: "b\(index + 1)")
                #expect(answer.status == 200 && answer.body.contains("<Errors><Error Type=") && answer.body.contains("Code=\"\(code)\""), "\(code): \(answer.body)")
                #expect(!answer.body.contains("<Success/>"))
            }
            #expect(try await stack.calendarText(hotel) == before, "nothing changed")
            // Through another channel, the hotel code means nothing.
            #expect(try await stack.channel("other-\(channel)", limit("B1"), key: "b9").body.contains("Code=\"392\""))
            let refused = try await stack.pool.query("SELECT count(*)::int AS n FROM inventory.channel_messages WHERE channel = $1 AND status = 'refused'", [channel])
            #expect(try refused.first?.int("n") == 7, "refused messages are kept with their answer")
        }
    }

    @Test func signedMessagesThroughTheGateway() async throws {
        let channel = ServiceStack.unique("cmg")
        let secret = "channel-secret-\(UUID().uuidString)"
        try await Self.realtime(for: channel)
        try await HoldTests.run { stack in
            let hotel = try await stack.contract(channel: channel, code: "G1")
            try await stack.calendar(hotel, [["room_type": "DBL", "from": Self.day(10), "to": Self.day(12), "allotment": 5, "prices": ["BAR": "90.00"]]])
            try await Task.sleep(for: .milliseconds(800))
            try await GatewayHarness(["INVENTORY_URL": stack.base]).run { client in
                let admin = try await client.adminToken()
                try await client.execute(
                    uri: "/api/v1/admin/supplier-webhooks/\(channel)", method: .put, headers: [.authorization: "Bearer \(admin)", .contentType: "application/json"],
                    body: ByteBuffer(string: #"{"secret": "\#(secret)"}"#)) { #expect($0.status == .noContent) }
                let body = Self.availability("G1", #"<AvailStatusMessage BookingLimit="1"><StatusApplicationControl Start="\#(Self.day(10))" End="\#(Self.day(10))" InvTypeCode="DBL"/></AvailStatusMessage>"#)
                func post(_ signature: String?) async throws -> (Int, String, String?) {
                    var headers: HTTPFields = [.contentType: "application/xml"]
                    if let signature { headers[.signature] = signature }
                    return try await client.execute(uri: "/api/v1/webhooks/channels/\(channel)", method: .post, headers: headers, body: ByteBuffer(string: body)) {
                        ($0.status.code, String(buffer: $0.body), $0.headers[.contentType])
                    }
                }
                let now = Int(Date().timeIntervalSince1970)
                let wrong = try await post(WebhookSignature.header(secret: "not-the-secret-at-all", timestamp: now, body: Array(body.utf8)))
                #expect(wrong.0 == 401 && wrong.1.contains("invalid_signature"), "\(wrong)")
                #expect(try await post(nil).0 == 401)
                #expect(try await stack.nights(hotel)[Self.day(10)]?["allotment"] as? Int == 5, "refused messages change nothing")
                let signed = WebhookSignature.header(secret: secret, timestamp: now, body: Array(body.utf8))
                let applied = try await post(signed)
                #expect(applied.0 == 200 && applied.1.contains("<Success/>") && applied.2?.hasPrefix("application/xml") == true, "\(applied)")
                #expect(try await stack.nights(hotel)[Self.day(10)]?["allotment"] as? Int == 1)
                #expect(try await post(signed).1 == applied.1, "the same signed message: the first answer")
            }
        }
    }
}

extension ChannelTests {
    @Test func theSimulatedChannelManagerKeepsItsHotelsCurrentThroughTheGateway() async throws {
        let channel = SimulatedChannel.code
        try await Self.realtime(for: channel)
        let simulator = LocalServer()
        try await simulator.start(try ServiceRunner.assemble(SupplierSimService.definition, environment: EnvironmentVariables([
            "PORT": String(simulator.port), "HOST": "127.0.0.1", "SIM_HOTELS_PER_CITY": "8", "LOG_LEVEL": "warning",
        ]), logSink: .capturing()).application)
        try await HoldTests.run { stack in
            // Contracts of earlier runs hold the channel's hotel codes: this run's replace them.
            try await stack.pool.execute("DELETE FROM inventory.hotels WHERE channel = $1", [channel])
            let info = try JSONSerialization.jsonObject(with: Data(buffer: try await stack.http.execute(.get, simulator.base + "/admin/channel-manager", timeout: .seconds(5)).body)) as? [String: Any]
            let hotels = try #require(info?["hotels"] as? [[String: Any]])
            #expect(hotels.count == 3)
            var ids: [Int64] = []
            for hotel in hotels {
                let id = try await stack.contract(channel: channel, code: try #require(hotel["code"] as? String))
                for room in hotel["room_types"] as? [[String: String]] ?? [] {
                    _ = try await stack.call(.put, "/api/v1/admin/inventory/hotels/\(id)/room-types/\(room["code"]!)", ["name": room["name"]!, "max_occupancy": 2], as: ServiceStack.admin)
                }
                for plan in hotel["rate_plans"] as? [[String: String]] ?? [] {
                    _ = try await stack.call(.put, "/api/v1/admin/inventory/hotels/\(id)/rate-plans/\(plan["code"]!)",
                                             ["name": plan["name"]!, "board": plan["board"]!, "refundable": plan["refundable"] == "true"], as: ServiceStack.admin)
                }
                ids.append(id)
            }
            let secret = try #require(info?["secret"] as? String)
            try await Task.sleep(for: .milliseconds(800))
            try await GatewayHarness(["INVENTORY_URL": stack.base]).run { client in
                let admin = try await client.adminToken()
                try await client.execute(
                    uri: "/api/v1/admin/supplier-webhooks/\(channel)", method: .put, headers: [.authorization: "Bearer \(admin)", .contentType: "application/json"],
                    body: ByteBuffer(string: #"{"secret": "\#(secret)"}"#)) { #expect($0.status == .noContent) }
                let port = try #require(client.port)
                let pushed = try await stack.http.execute(
                    .post, simulator.base + "/admin/channel-manager/push", headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"url": "http://127.0.0.1:\#(port)/api/v1/webhooks/channels/simcm", "days": 5}"#), timeout: .seconds(30))
                let round = try JSONSerialization.jsonObject(with: Data(buffer: pushed.body)) as? [String: Any]
                let sent = round?["sent"] as? [[String: Any]] ?? []
                #expect(sent.count == 6 && sent.allSatisfy { $0["success"] as? Bool == true }, "\(String(describing: round))")
            }
            for id in ids {
                let nights = try await stack.nights(id)
                #expect(nights.count == 5, "five nights of DBL loaded")
                #expect(nights.values.allSatisfy { ($0["prices"] as? [String: String])?.keys.sorted() == ["BAR", "NRF"] })
            }
        }
        await simulator.stop()
    }
}

extension ServiceStack {
    func contract(channel: String, code: String) async throws -> Int64 {
        let hotel = try await contract()
        let changed = try await call(.put, "/api/v1/admin/inventory/hotels/\(hotel)", ["name": "Direct \(hotel)", "channel": channel, "channel_hotel_code": code], as: Self.admin)
        #expect(changed.status == 200, "\(changed.json)")
        return hotel
    }

    func channel(_ channel: String, _ xml: String, key: String) async throws -> (status: Int, body: String) {
        let answer = try await exchange(.post, "/channels/\(channel)/messages", body: Data(xml.utf8), contentType: "application/xml", headers: [.messageKey: key])
        return (answer.status, answer.body)
    }

    /// The hotel's calendar as canonical JSON text, to compare.
    func calendarText(_ hotel: Int64) async throws -> String {
        let nights = try await nights(hotel)
        return String(decoding: try JSONSerialization.data(withJSONObject: nights, options: .sortedKeys), as: UTF8.self)
    }

    /// The hotel's DBL nights by date.
    func nights(_ hotel: Int64) async throws -> [String: [String: Any]] {
        let today = HoldTests.today
        let page = try await call(.get, "/api/v1/admin/inventory/hotels/\(hotel)/calendar?from=\(today)&to=\(today.adding(days: 60))", as: Self.admin)
        #expect(page.status == 200, "\(page.json)")
        return Dictionary((page.json["nights"] as? [[String: Any]] ?? []).map { ($0["night"] as? String ?? "", $0) }) { first, _ in first }
    }
}
