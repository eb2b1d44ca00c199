// Booking through order against the simulated suppliers: one booking and one capture per order
// whatever the retries (one Idempotency-Key posted 200 times at once), a lost supplier answer
// reconciled by our reference, credit refused, holds confirmed, cancellation with its penalty, and
// another tenant's order invisible.

import Foundation
import HTTPTypes
import NIOConcurrencyHelpers
@testable import Order
@testable import Shared
import Testing
import TestSupport

extension SupplyChainTests {
    @Suite(.serialized) struct BookingTests {
        static func canonical(_ json: Any) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
        }

        @Test func anOrderIsBookedOnceCapturedOnceAndReplayedByItsKey() async throws {
            let settings = try AMQPSettings(EnvironmentVariables(ServiceEnvironment.all))
            var spec = ConsumerSpec(queue: "test.orders.\(UUID().uuidString.prefix(8).lowercased())", bindingKeys: ["order.#", "payment.#"])
            spec.retryDelay = .milliseconds(200)
            try await BrokerAdmin(settings: settings).declare(spec)
            let seen = NIOLockedValueBox<[EventEnvelope]>([])
            let consumer = EventConsumer(settings: settings, spec: spec, logger: .init(label: "test")) { batch in
                let events = try batch.map { try EventEnvelope(delivery: $0) }
                seen.withLockedValue { $0 += events }
            }
            let running = Task { try await consumer.run() }
            defer { running.cancel() }
            try await BookingHarness.run { stack in
                let tenant = try await stack.distributor()
                let offer = try #require(try await stack.offers(tenant).first(where: { $0.supplier != directSupplier }))
                let body = BookingStack.body(offer.id)
                let key = UUID().uuidString
                let placed = try await stack.place(body, key: key, as: tenant)
                #expect(placed.status == 201 && placed.json["status"] as? String == "CONFIRMED", "\(placed.text.prefix(600))")
                #expect(placed.json["order_status"] as? String == "CONFIRMED" && placed.json["payment_status"] as? String == "PAID"
                        && placed.json["supplier_status"] as? String == "CONFIRMED")
                #expect((placed.json["price"] as? [String: Any])?["amount"] as? String == offer.total, "booked at the offer's price")
                #expect(placed.json["supplier"] == nil && !placed.text.contains("\"net\""), "a distributor never sees the supplier or the net")
                let id = try #require(placed.json["id"] as? String)
                let number = try #require(placed.json["number"] as? String)

                let sim = try #require(stack.search.suppliers[offer.supplier])
                #expect(try await stack.search.simulator.bookings(sim, clientReference: number).count == 1, "one booking at the supplier")
                let credit = try await stack.reservation(id)
                #expect(credit["status"] as? String == "captured" && (credit["captured"] as? [String: Any])?["amount"] as? String == offer.total, "\(credit)")

                let again = try await stack.place(body, key: key, as: tenant)
                #expect(again.status == 201 && again.replayed && again.text == placed.text, "the first answer, replayed: \(again.status) \(again.replayed) \(again.text.prefix(300))")
                var other = body
                other["remark"] = "late check-in"
                let reused = try await stack.place(other, key: key, as: tenant)
                #expect(reused.status == 422 && reused.json["code"] as? String == "idempotency_key_reused", "\(reused.json)")
                let missing = try await stack.order.call(.post, "/api/v1/orders", body, as: tenant)
                #expect(missing.status == 400 && missing.json["code"] as? String == "idempotency_key_required")

                let read = try await stack.order(id, as: tenant)
                #expect(read["status"] as? String == "CONFIRMED" && read["client_reference"] as? String == body["client_reference"] as? String)
                let listed = try await stack.order.call(.get, "/api/v1/orders?status=confirmed", as: tenant).json
                #expect(((listed["orders"] as? [[String: Any]]) ?? []).map { $0["id"] as? String } == [id], "\(listed)")
                // Its events, through the outbox: the platform's own part beside what the distributor sees.
                #expect(try await eventually { seen.withLockedValue { $0.filter { $0.tenantId == tenant.tenantId }.count >= 3 } })
                let events = seen.withLockedValue { $0.filter { $0.tenantId == tenant.tenantId } }
                #expect(Set(events.map(\.type)) == ["order.created", "order.confirmed", "payment.captured"], "\(events.map(\.type))")
                let confirmed = try #require(events.first { $0.type == "order.confirmed" })
                let data = try confirmed.payload(as: OrderEventData.self)
                #expect(data.order.orderId == id && data.order.status == "CONFIRMED" && data.internal.supplier == offer.supplier && data.internal.supplierReference != nil)
                // For bi: the hotel's city and the net in the price's currency, as the offer carried them (margin = price - cost).
                #expect(data.internal.city == "Paris" && data.internal.cost?.currency == data.order.price.currency
                        && (data.internal.cost?.amount ?? .zero) > .zero && data.internal.cost!.amount <= data.order.price.amount, "\(data.internal)")

                let history = try #require(try await stack.adminOrder(id)["history"] as? [[String: Any]])
                #expect(history.compactMap { $0["event"] as? String }.contains("payment_captured"), "\(history)")
                // The business dashboard counts it booked.
                let metrics = String(buffer: try await stack.order.http.execute(.get, stack.order.base + "/metrics", timeout: .seconds(5)).body)
                #expect(SupplyChainTests.SearchTests.total(metrics, "order_events_total{", #"event="payment_captured""#) >= 1, "\(metrics.prefix(2000))")
                #expect(metrics.contains(#"order_events_total{event="withdrawn"} 0"#), "every event's series exists from the start")

                // Another tenant: 404 by id, nothing in its list, nothing on cancel or confirm.
                let stranger = try await stack.distributor()
                #expect(try await stack.order.call(.get, "/api/v1/orders/\(id)", as: stranger).status == 404)
                #expect(try await stack.order.call(.post, "/api/v1/orders/\(id)/cancel", as: stranger).status == 404)
                #expect(try await stack.order.call(.post, "/api/v1/orders/\(id)/confirm", as: stranger).status == 404)
                #expect(((try await stack.order.call(.get, "/api/v1/orders", as: stranger).json["orders"] as? [Any]) ?? [1]).isEmpty)
                #expect(try await stack.order.call(.get, "/api/v1/orders/\(UUID().uuidString)", as: tenant).status == 404)
                // And row-level security says the same to a session that names the stranger.
                let seen = try await stack.order.pool.transaction { connection in
                    try connection.execute("SELECT set_config('orders.tenant', $1, true)", [stranger.tenantId])
                    return try connection.query("SELECT count(*)::int AS n FROM orders.orders").first!.int("n")
                }
                #expect(seen == 0)
            }
        }

        @Test func twoHundredPostsOfOneKeyMakeOneOrderAndOneBooking() async throws {
            try await BookingHarness.run { stack in
                let tenant = try await stack.distributor()
                let offer = try #require(try await stack.offers(tenant).first(where: { $0.supplier != directSupplier }))
                let sim = try #require(stack.search.suppliers[offer.supplier])
                // A booking slow enough that the 200 overlap it.
                try await stack.search.simulator.setFaults(sim, ["latency_min_ms": 300, "latency_max_ms": 300])
                let body = BookingStack.body(offer.id)
                let data = try JSONSerialization.data(withJSONObject: body)
                let key = UUID().uuidString
                let answers = try await withThrowingTaskGroup(of: (Int, String?, Bool).self) { group in
                    for _ in 0..<200 {
                        group.addTask {
                            let answer = try await stack.place(data: data, key: key, as: tenant)
                            return (answer.status, answer.json["id"] as? String ?? answer.json["code"] as? String, answer.replayed)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let created = answers.filter { $0.0 == 201 }
                #expect(created.filter { !$0.2 }.count == 1, "one answer made the order: \(Set(answers.map { "\($0.0) \($0.2)" }))")
                #expect(Set(created.compactMap(\.1)).count == 1, "every 201 names the same order")
                #expect(answers.allSatisfy { $0.0 == 201 || ($0.0 == 409 && $0.1 == "idempotency_key_in_flight") }, "\(Set(answers.map { "\($0.0) \($0.1 ?? "")" }))")
                let id = try #require(created.first?.1)
                let number = try #require(try await stack.order(id, as: tenant)["number"] as? String)
                #expect(try await stack.search.simulator.bookings(sim, clientReference: number).count == 1)
                let count = try await stack.order.pool.query("SELECT count(*)::int AS n FROM orders.orders WHERE tenant_id = $1", [tenant.tenantId]).first!.int("n")
                #expect(count == 1)
                let replay = try await stack.place(body, key: key, as: tenant)
                #expect(replay.status == 201 && replay.replayed && replay.json["id"] as? String == id)
            }
        }

        @Test func aLostSupplierAnswerIsReconciledByOurReference() async throws {
            try await BookingHarness.run(order: ["ORDER_BOOK_TIMEOUT_MS": "1500", "ORDER_ANSWER_WITHIN_MS": "1000"]) { stack in
                let tenant = try await stack.distributor()
                let offer = try #require(try await stack.offers(tenant).first(where: { $0.supplier != directSupplier }))
                let sim = try #require(stack.search.suppliers[offer.supplier])
                // Booked at once, answered after 6 s: order stops waiting after 1.5 s.
                try await stack.search.simulator.setFaults(sim, ["book_timeout_rate": 1.0, "hang_ms": 6000])
                let placed = try await stack.place(BookingStack.body(offer.id), as: tenant)
                #expect(placed.status == 202 && placed.json["status"] as? String == "PENDING", "still on its way after a second: \(placed.text.prefix(500))")
                let id = try #require(placed.json["id"] as? String)
                try await stack.search.simulator.setFaults(sim, [:])
                let done = try await stack.order(id, as: tenant) { $0["status"] as? String == "CONFIRMED" }
                #expect(done["status"] as? String == "CONFIRMED", "\(done)")
                let number = try #require(done["number"] as? String)
                #expect(try await stack.search.simulator.bookings(sim, clientReference: number).count == 1, "never booked twice")
                #expect(try await stack.reservation(id)["status"] as? String == "captured")
                let events = try #require(try await stack.adminOrder(id)["history"] as? [[String: Any]]).compactMap { $0["event"] as? String }
                #expect(events.contains("supplier_unknown") && events.filter { $0 == "supplier_confirmed" }.count == 1, "\(events)")
                #expect(events.filter { $0 == "payment_captured" }.count == 1 && events.filter { $0 == "supplier_requested" }.count == 1, "\(events)")
            }
        }

        @Test func creditRefusedClosesTheOrderAndHoldsConfirmOrCancel() async throws {
            try await BookingHarness.run { stack in
                let poor = try await stack.distributor(balance: "1.00")
                let offer = try #require(try await stack.offers(poor).first(where: { $0.supplier != directSupplier }))
                let refused = try await stack.place(BookingStack.body(offer.id), as: poor)
                #expect(refused.status == 422 && refused.json["code"] as? String == "insufficient_credit", "\(refused.text.prefix(400))")
                let closed = try await stack.order(try #require(refused.json["order_id"] as? String), as: poor)
                #expect(closed["order_status"] as? String == "CLOSED" && closed["close_reason"] as? String == "CREATE_FAILED", "\(closed)")

                let tenant = try await stack.distributor()
                let offers = try await stack.offers(tenant).filter { $0.supplier != directSupplier }
                let held = try await stack.place(BookingStack.body(try #require(offers.first).id, extra: ["hold": true]), as: tenant)
                #expect(held.status == 201 && held.json["status"] as? String == "ON_HOLD" && held.json["hold_expires_at"] is String, "\(held.text.prefix(400))")
                let id = try #require(held.json["id"] as? String)
                #expect(try await stack.reservation(id)["status"] as? String == "reserved")
                let confirmed = try await stack.order.call(.post, "/api/v1/orders/\(id)/confirm", as: tenant)
                #expect(confirmed.status == 200 && confirmed.json["status"] as? String == "CONFIRMED", "\(confirmed.json)")
                #expect(try await stack.reservation(id)["status"] as? String == "captured")

                // Cancel: quoted, then done, then the same answer again.
                let quote = try await stack.order.call(.post, "/api/v1/orders/\(id)/cancel?simulate=true", as: tenant)
                #expect(quote.status == 200 && quote.json["simulated"] as? Bool == true, "\(quote.json)")
                #expect(try await stack.order(id, as: tenant)["status"] as? String == "CONFIRMED", "a quote cancels nothing")
                let cancelled = try await stack.order.call(.post, "/api/v1/orders/\(id)/cancel", as: tenant)
                #expect(cancelled.status == 200 && cancelled.json["status"] as? String == "CANCELLED", "\(cancelled.json)")
                #expect(try Self.canonical(quote.json["refund"] ?? 0) == Self.canonical(cancelled.json["refund"] ?? 1), "refunded as quoted")
                // What the supplier charged is kept for settlement (its reconciliation bills the same).
                let charged = try await stack.order.pool.query("SELECT supplier_penalty, supplier_penalty_currency FROM orders.orders WHERE id = $1", [UUID(uuidString: id)!])
                #expect(try charged.first?.optionalDecimal("supplier_penalty") != nil && charged.first?.optionalString("supplier_penalty_currency")?.count == 3)
                let twice = try await stack.order.call(.post, "/api/v1/orders/\(id)/cancel", as: tenant)
                #expect(try Self.canonical(twice.json) == Self.canonical(cancelled.json), "cancelling twice answers the first result")
                let credit = try await stack.reservation(id)
                #expect((credit["refunded"] as? [String: Any])?["amount"] as? String == (cancelled.json["refund"] as? [String: Any])?["amount"] as? String, "\(credit)")

                // A hold left to expire gives its credit back.
                // The simulator raises a room's price as it sells: this hold accepts a rise (the test is about expiry).
                let lapsed = try await stack.place(
                    BookingStack.body(try #require(offers.dropFirst().first).id, extra: ["hold": true, "price_tolerance": ["percent": "30"]]), as: tenant)
                let lapsedId = try #require(lapsed.json["id"] as? String)
                try await stack.order.pool.execute("UPDATE orders.orders SET hold_expires_at = now() WHERE id = $1", [UUID(uuidString: lapsedId)!])
                let expired = try await stack.order(lapsedId, as: tenant) { $0["status"] as? String == "EXPIRED" }
                #expect(expired["close_reason"] as? String == "EXPIRED" && expired["payment_status"] as? String == "CLOSED", "\(expired)")
                #expect(try await stack.reservation(lapsedId)["status"] as? String == "released")
            }
        }
    }
}

extension SupplyChainTests.BookingTests {
    @Test func aHundredBookingsForTheLastTenDirectRoomsConfirmTen() async throws {
        try await BookingHarness.run { stack in
            let hotel = try await stack.contract(rooms: 10)
            let tenant = try await stack.distributor()
            let offer = try #require(try await stack.offers(tenant).first(where: { $0.supplier == directSupplier }), "the contract is offered")
            let answers = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for index in 0..<100 {
                    let data = try JSONSerialization.data(withJSONObject: BookingStack.body(offer.id, guest: "Guest\(index)"))
                    group.addTask {
                        let answer = try await stack.place(data: data, key: UUID().uuidString, as: tenant)
                        return (answer.status, answer.json["status"] as? String ?? answer.json["code"] as? String)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.filter { $0 == (201, "CONFIRMED") }.count == 10, "\(Dictionary(grouping: answers.map { "\($0.0) \($0.1 ?? "")" }) { $0 }.mapValues(\.count))")
            #expect(answers.allSatisfy { $0 == (201, "CONFIRMED") || ($0.0 == 409 && ["sold_out", "supplier_failed"].contains($0.1 ?? "")) },
                    "\(Set(answers.map { "\($0.0) \($0.1 ?? "")" }))")
            let nights = try await stack.order.pool.query(
                "SELECT sold, held, allotment FROM inventory.nights WHERE hotel_id = $1 AND room_type = 'DBL' ORDER BY night", [hotel]).map {
                    [try $0.int("sold"), try $0.int("held"), try $0.int("allotment")]
                }
            #expect(nights == [[10, 0, 10], [10, 0, 10]], "every room sold once, none held: \(nights)")
            let credit = try await stack.risk.pool.query(
                "SELECT status, count(*)::int AS n FROM risk.credit_reservations WHERE tenant_id = $1 GROUP BY status ORDER BY status", [tenant.tenantId]).map {
                    "\(try $0.string("status")) \(try $0.int("n"))"
                }
            #expect(credit.first == "captured 10" && !credit.contains { $0.hasPrefix("reserved") }, "ten captured, the rest released: \(credit)")
        }
    }

    @Test func anOrderKilledWhileBookingResumesAfterRestartAndBooksOnce() async throws {
        // The in-process order's keeper looks once, at start: the restarted process does the resuming.
        try await BookingHarness.run(order: ["ORDER_KEEPER_INTERVAL_MS": "3600000"]) { stack in
            let port = freePort()
            let environment = ServiceEnvironment.all.merging(stack.urls) { $1 }.merging([
                "PORT": "\(port)", "HOST": "127.0.0.1", "LOG_LEVEL": "warning", "ORDER_LEASE_MS": "2000", "ORDER_KEEPER_INTERVAL_MS": "300",
                "ORDER_ANSWER_WITHIN_MS": "500",
            ]) { $1 }
            func start() async throws -> Process {
                let process = Process()
                process.executableURL = ServiceEnvironment.executable("order")
                process.environment = environment
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                #expect(try await eventually(within: .seconds(30)) {
                    (try? await HTTP1Client.shared.execute(.get, "http://127.0.0.1:\(port)/health", timeout: .seconds(2)))?.status.code == 200
                })
                return process
            }
            let separate = ServiceStack(base: "http://127.0.0.1:\(port)", pool: stack.order.pool)
            let process = try await start()
            let tenant = try await stack.distributor()
            let offer = try #require(try await stack.offers(tenant).first(where: { $0.supplier != directSupplier }))
            let sim = try #require(stack.search.suppliers[offer.supplier])
            // Booked at once, answered after 20 s: order is killed while it waits.
            try await stack.search.simulator.setFaults(sim, ["book_timeout_rate": 1.0, "hang_ms": 20_000])
            let answer = try await separate.exchange(
                .post, "/api/v1/orders", body: try JSONSerialization.data(withJSONObject: BookingStack.body(offer.id)), headers: [.idempotencyKey: UUID().uuidString],
                as: tenant)
            let placed = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
            #expect(answer.status == 202, "\(answer.body.prefix(300))")
            let id = try #require(placed["id"] as? String), number = try #require(placed["number"] as? String)
            #expect(try await eventually(within: .seconds(20)) { try await stack.search.simulator.bookings(sim, clientReference: number).count == 1 })
            let waiting = try await stack.order.pool.query("SELECT supplier_status, step FROM orders.orders WHERE id = $1", [UUID(uuidString: id)!]).first!
            #expect(try waiting.string("supplier_status") == "REQUESTED" && waiting.string("step") == "book", "killed between the booking and its answer")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try await stack.search.simulator.setFaults(sim, [:])

            let restarted = try await start()
            let done = try await stack.order(id, as: tenant) { $0["status"] as? String == "CONFIRMED" }
            #expect(done["status"] as? String == "CONFIRMED", "\(done)")
            #expect(try await stack.search.simulator.bookings(sim, clientReference: number).count == 1, "booked once")
            let credit = try await stack.reservation(id)
            #expect(credit["status"] as? String == "captured", "\(credit)")
            let events = try #require(try await stack.adminOrder(id)["history"] as? [[String: Any]]).compactMap { $0["event"] as? String }
            #expect(events.filter { $0 == "supplier_requested" }.count == 1 && events.filter { $0 == "payment_captured" }.count == 1, "\(events)")
            restarted.terminate()
            restarted.waitUntilExit()
        }
    }
}

extension SupplyChainTests.BookingTests {
    @Test func aDistributorBooksThroughTheGateway() async throws {
        try await BookingHarness.run { stack in
            try await GatewayHarness(["QUERY_ENGINE_URL": stack.search.queryEngine, "ORDER_URL": stack.order.base]).run { client in
                let distributor = try await client.newDistributor(admin: try await client.adminToken())
                try await stack.risk.open(distributor.tenant, balance: "50000.00")
                let token = try await client.token(key: distributor.key, secret: distributor.secret)
                let found = try await client.json("/api/v1/search", .post, token: token, body: SupplyChainTests.SearchTests.paris(60), expect: .ok)
                let offer = try #require(SupplyChainTests.SearchTests.offers(found, tenant: distributor.tenant).first { $0.terms.supplier != directSupplier })
                let checked = try await client.json("/api/v1/offers/\(offer.id)/price-check", .post, token: token, expect: .ok)
                let offerId = try #require((checked["offer"] as? [String: Any])?["offer_id"] as? String)
                let placed = try await client.json(
                    "/api/v1/orders", .post, token: token, body: BookingStack.body(offerId, extra: ["price_tolerance": ["percent": "10"]]),
                    headers: [.idempotencyKey: UUID().uuidString, .clientIP: "203.0.113.9"], expect: .created)
                #expect(placed["status"] as? String == "CONFIRMED", "\(placed)")
                let id = try #require(placed["id"] as? String)
                let read = try await client.json("/api/v1/orders/\(id)", .get, token: token, expect: .ok)
                #expect(read["number"] as? String == placed["number"] as? String)
                let ip = try await stack.order.pool.query("SELECT client_ip FROM orders.orders WHERE id = $1", [UUID(uuidString: id)!]).first?.optionalString("client_ip")
                #expect(ip == "127.0.0.1", "the address the gateway saw; a caller cannot name its own: \(String(describing: ip))")
                let admin = try await client.json("/api/v1/admin/orders/\(id)", .get, token: try await client.adminToken(), expect: .ok)
                #expect((admin["history"] as? [Any])?.isEmpty == false)
            }
        }
    }
}
