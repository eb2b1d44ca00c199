// What stops a booking, and what it then answers: a price risen beyond the distributor's tolerance
// (the new price and offer given), a supplier sold out at booking (closed, credit released; or,
// with `order.fallback.enabled`, booked at another supplier for the same room), risk's rejection
// and its review decided by an operator.

import Foundation
import HTTPTypes
@testable import Order
@testable import Shared
import Testing
import TestSupport

extension SupplyChainTests.BookingTests {
    @Test func aPriceRiseBeyondTheToleranceIsRefusedWithTheNewPrice() async throws {
        try await BookingHarness.run { stack in
            let tenant = try await stack.distributor()
            var risen: (id: String, total: String, now: String)?
            for offer in try await stack.offers(tenant).filter({ $0.supplier != directSupplier }) {
                let check = try await stack.search.call(.post, "/api/v1/offers/\(offer.id)/price-check", tenant: tenant.tenantId)
                if check.json["status"] as? String == "PRICE_CHANGED", let now = ((check.json["offer"] as? [String: Any])?["total"] as? [String: Any])?["amount"] as? String {
                    risen = (offer.id, offer.total, now)
                    break
                }
            }
            let offer = try #require(risen, "the simulator reprices some rates at their check")
            let refused = try await stack.place(BookingStack.body(offer.id), as: tenant)
            #expect(refused.status == 409 && refused.json["code"] as? String == "price_changed", "\(refused.text.prefix(400))")
            #expect((refused.json["price"] as? [String: Any])?["amount"] as? String == offer.now && refused.json["offer_id"] is String, "the new price, and its offer")
            let closed = try await stack.order(try #require(refused.json["order_id"] as? String), as: tenant)
            #expect(closed["close_reason"] as? String == "CREATE_FAILED" && closed["payment_status"] as? String == "CLOSED", "nothing reserved: \(closed)")

            let tolerated = try await stack.place(BookingStack.body(offer.id, extra: ["price_tolerance": ["percent": "10"]]), as: tenant)
            #expect(tolerated.status == 201 && (tolerated.json["price"] as? [String: Any])?["amount"] as? String == offer.now, "\(tolerated.text.prefix(400))")
            let credit = try await stack.reservation(try #require(tolerated.json["id"] as? String))
            #expect((credit["captured"] as? [String: Any])?["amount"] as? String == offer.now, "the new price captured: \(credit)")
            let renewed = try await stack.place(BookingStack.body(try #require(refused.json["offer_id"] as? String)), as: tenant)
            #expect(renewed.status == 201 && renewed.json["status"] as? String == "CONFIRMED", "the renewed offer books: \(renewed.text.prefix(300))")
        }
    }

    @Test func soldOutAtBookingClosesTheOrderOrFallsBackToAnotherSupplier() async throws {
        try await BookingHarness.run { stack in
            let tenant = try await stack.distributor()
            let tokens = OfferTokens(secret: ServiceEnvironment.secrets["OFFER_TOKEN_SECRET"]!)
            let tolerance = PlaceOrderInput.Tolerance(percent: Amount("30")!)
            var chosen: (offer: String, supplier: String)?
            for offer in try await stack.offers(tenant).filter({ $0.supplier != directSupplier }) {
                let terms = try tokens.verify(offer.id, tenant: tenant.tenantId, now: Int(Date().timeIntervalSince1970))
                let found = try await stack.search.call(.post, "/offer-alternatives", ["tenant_id": tenant.tenantId, "offer_id": offer.id]).json
                let alternatives = try ((found["offers"] as? [String]) ?? []).map { try tokens.verify($0, tenant: tenant.tenantId, now: Int(Date().timeIntervalSince1970)) }
                if alternatives.contains(where: { OrderMoney.equivalent($0, to: terms, limit: OrderMoney.maximum(terms.sell, tolerance: tolerance)) }) {
                    chosen = (offer.id, offer.supplier)
                    break
                }
            }
            let offer = try #require(chosen, "a room sold by two suppliers within 30%")
            let sim = try #require(stack.search.suppliers[offer.supplier])
            try await stack.search.simulator.setFaults(sim, ["book_sold_out_rate": 1.0])
            let body = BookingStack.body(offer.offer, extra: ["price_tolerance": ["percent": "30"]])

            let failed = try await stack.place(body, as: tenant)
            #expect(failed.status == 409 && failed.json["code"] as? String == "supplier_failed", "\(failed.text.prefix(400))")
            let failedId = try #require(failed.json["order_id"] as? String)
            let closed = try await stack.order(failedId, as: tenant)
            #expect(closed["close_reason"] as? String == "SUPPLIER_FAILED" && closed["supplier_status"] as? String == "FAILED", "\(closed)")
            #expect(try await stack.reservation(failedId)["status"] as? String == "released")

            try await stack.order.pool.execute(
                "INSERT INTO platform.platform_config (key, value) VALUES ('order.fallback.enabled', 'true'::jsonb) ON CONFLICT (key) DO UPDATE SET value = 'true'::jsonb")
            defer { Task { try? await stack.order.pool.execute("DELETE FROM platform.platform_config WHERE key = 'order.fallback.enabled'") } }
            try await Task.sleep(for: .milliseconds(500))
            let rebooked = try await stack.place(body, as: tenant)
            #expect(rebooked.status == 201 && rebooked.json["status"] as? String == "CONFIRMED", "\(rebooked.text.prefix(400))")
            let id = try #require(rebooked.json["id"] as? String)
            let admin = try await stack.adminOrder(id)
            let supplier = try #require(admin["supplier"] as? String)
            #expect(supplier != offer.supplier, "booked elsewhere")
            let number = try #require((admin["order"] as? [String: Any])?["number"] as? String)
            #expect(try await stack.search.simulator.bookings(sim, clientReference: number).isEmpty)
            if let other = stack.search.suppliers[supplier] {
                #expect(try await stack.search.simulator.bookings(other, clientReference: number).count == 1)
            }
            let credit = try await stack.reservation(id)
            #expect((credit["captured"] as? [String: Any])?["amount"] as? String == (rebooked.json["price"] as? [String: Any])?["amount"] as? String,
                    "the fallback's price captured, the rest of the tolerance released: \(credit)")
        }
    }

    @Test func riskRejectsOrHoldsForReviewUntilAnOperatorDecides() async throws {
        try await BookingHarness.run(risk: ["RISK_SCORE_THRESHOLD": "0"]) { stack in
            let tenant = try await stack.distributor()
            let offers = try await stack.offers(tenant).filter { $0.supplier != directSupplier }
            let reviewed = try await stack.place(BookingStack.body(try #require(offers.first).id), as: tenant)
            #expect(reviewed.status == 202 && reviewed.json["status"] as? String == "IN_REVIEW", "\(reviewed.text.prefix(400))")
            let id = try #require(reviewed.json["id"] as? String)
            let approved = try await stack.risk.call(.post, "/api/v1/admin/risk/reviews/\(id)/approve", ["comment": "known agency"], as: ServiceStack.admin)
            #expect(approved.status == 200, "\(approved.json)")
            let done = try await stack.order(id, as: tenant) { $0["status"] as? String == "CONFIRMED" }
            #expect(done["status"] as? String == "CONFIRMED", "booked once approved: \(done)")

            // The simulator raises a room's price as it sells: the second booking accepts a rise (this test is about risk).
            let second = try await stack.place(BookingStack.body(try #require(offers.dropFirst().first).id, extra: ["price_tolerance": ["percent": "30"]]), as: tenant)
            let secondId = try #require(second.json["id"] as? String, "\(second.text.prefix(400))")
            _ = try await stack.risk.call(.post, "/api/v1/admin/risk/reviews/\(secondId)/reject", [:], as: ServiceStack.admin)
            let rejected = try await stack.order(secondId, as: tenant) { $0["status"] as? String == "REJECTED" }
            #expect(rejected["close_reason"] as? String == "RISK_REJECTED" && rejected["payment_status"] as? String == "CLOSED", "\(rejected)")

            let blocked = "Mallory\(UUID().uuidString.prefix(4))"
            let listed = try await stack.risk.call(.post, "/api/v1/admin/risk/blacklist", ["kind": "name", "value": "\(blocked) Lima"], as: ServiceStack.admin)
            #expect(listed.status == 201, "\(listed.json)")
            let refused = try await stack.place(BookingStack.body(try #require(offers.dropFirst(2).first).id, guest: blocked), as: tenant)
            #expect(refused.status == 422 && refused.json["code"] as? String == "risk_rejected", "a blacklisted guest is rejected at once: \(refused.text.prefix(300))")
        }
    }
}
