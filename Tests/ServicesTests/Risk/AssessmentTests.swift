// Risk assessment against the real PostgreSQL and Redis: signals gathered (velocity, a guest seen
// by another tenant, a new tenant, the blacklist), one assessment per order, the review queue
// decided once, and the events.

import Foundation
import HTTPTypes
@testable import Risk
@testable import Shared
import Testing
import TestSupport

@Suite struct AssessmentTests {
    static func request(_ tenant: String, order: String = CreditTests.unique("o"), amount: String = "200.00", daysAhead: Int = 40, guest: String = "Ada Lovelace", ip: String? = nil)
        -> [String: Any]
    {
        let checkIn = CalendarDate(utc: Date()).adding(days: daysAhead)
        let names = guest.split(separator: " ").map(String.init)
        var body: [String: Any] = [
            "tenant_id": tenant, "order_id": order, "amount": ["amount": amount, "currency": "EUR"], "check_in": checkIn.description,
            "check_out": checkIn.adding(days: 2).description, "city": "Paris",
            "guests": [["first_name": names[0], "last_name": names[1], "email": "\(names[0].lowercased())@example.com"]],
        ]
        if let ip { body["client_ip"] = ip }
        return body
    }

    static func codes(_ json: [String: Any]) -> [String] {
        ((json["reasons"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String }
    }

    @Test func anOrderIsScoredOnceWithItsReasons() async throws {
        try await CreditTests.run(["RISK_SCORE_THRESHOLD": "50"]) { stack in
            // An established tenant: its account opened 30 days ago.
            let tenant = CreditTests.unique("t-risk")
            try await stack.open(tenant, balance: "10000.00")
            try await stack.pool.execute("UPDATE risk.credit_accounts SET opened_at = now() - interval '30 days' WHERE tenant_id = $1", [tenant])
            let body = Self.request(tenant, guest: "Grace \(UUID().uuidString.prefix(6))")
            let first = try await stack.call(.post, "/assessments", body)
            #expect(first.status == 201 && first.json["decision"] as? String == "approve" && first.json["score"] as? Int == 0, "\(first.json)")
            let again = try await stack.call(.post, "/assessments", body)
            #expect(again.status == 200 && again.replayed && again.json["assessed_at"] as? String == first.json["assessed_at"] as? String, "one assessment per order")
            #expect(try await stack.call(.get, "/assessments/\(body["order_id"]!)").json["score"] as? Int == 0)
            var borrowed = body
            borrowed["tenant_id"] = CreditTests.unique("t-other")
            let other = try await stack.call(.post, "/assessments", borrowed)
            #expect(other.status == 409 && other.json["code"] as? String == "idempotency_conflict", "another tenant's order: \(other.json)")

            // A brand-new tenant booking, quickly, a guest another tenant just booked.
            let newcomer = CreditTests.unique("t-new")
            try await stack.open(newcomer, balance: "10000.00")
            var last: [String: Any] = [:]
            for _ in 0..<6 { last = try await stack.call(.post, "/assessments", Self.request(newcomer, guest: "Lin \(UUID().uuidString.prefix(6))")).json }
            #expect(Self.codes(last) == ["velocity", "new_tenant"], "\(last)")
            let repeated = try await stack.call(.post, "/assessments", Self.request(newcomer, guest: Self.name(of: body))).json
            #expect(Self.codes(repeated) == ["velocity", "repeated_guest", "new_tenant"], "\(repeated)")
            #expect(repeated["score"] as? Int == 60 && repeated["decision"] as? String == "review" && repeated["review"] as? String == "pending", "\(repeated)")

            let events = try await stack.pool.query("SELECT count(*) AS n FROM risk.outbox WHERE event_type = 'risk.assessed' AND body LIKE '%' || $1 || '%'", [tenant])
            #expect(try events.first?.int("n") == 1, "one risk.assessed for the one order")
        }
    }

    static func name(of body: [String: Any]) -> String {
        let guest = (body["guests"] as! [[String: Any]])[0]
        return "\(guest["first_name"]!) \(guest["last_name"]!)"
    }

    @Test func blacklistedOrdersAreRejectedAndReviewsAreDecidedOnce() async throws {
        try await CreditTests.run(["RISK_SCORE_THRESHOLD": "50"]) { stack in
            let tenant = CreditTests.unique("t-bl")
            try await stack.open(tenant, balance: "10000.00")
            let ip = "203.0.113.\(Int.random(in: 1...254))"
            let added = try await stack.call(.post, "/api/v1/admin/risk/blacklist", ["kind": "ip", "value": ip, "reason": "chargebacks"], as: CreditTests.Stack.admin)
            #expect(added.status == 201, "\(added.json)")
            let rejected = try await stack.call(.post, "/assessments", Self.request(tenant, guest: "Alan \(UUID().uuidString.prefix(6))", ip: ip)).json
            #expect(rejected["decision"] as? String == "reject" && Self.codes(rejected).contains("blacklisted"), "\(rejected)")
            #expect(try await stack.call(.delete, "/api/v1/admin/risk/blacklist/ip/\(ip)", as: CreditTests.Stack.admin).status == 204)
            // A value with characters a path encodes (as a browser's encodeURIComponent does) is found by its decoded value.
            let email = "fraud+\(UUID().uuidString.prefix(6).lowercased())@example.com"
            #expect(try await stack.call(.post, "/api/v1/admin/risk/blacklist", ["kind": "email", "value": email], as: CreditTests.Stack.admin).status == 201)
            let encoded = email.replacingOccurrences(of: "+", with: "%2B").replacingOccurrences(of: "@", with: "%40")
            #expect(try await stack.call(.delete, "/api/v1/admin/risk/blacklist/email/\(encoded)", as: CreditTests.Stack.admin).status == 204)
            #expect(try await stack.call(.delete, "/api/v1/admin/risk/blacklist/email/\(encoded)", as: CreditTests.Stack.admin).status == 404, "gone")

            // A new tenant's last-minute high-value order of a guest another tenant booked: held for review.
            let other = CreditTests.unique("t-other")
            try await stack.open(other, balance: "10.00")
            let guest = "Marie \(UUID().uuidString.prefix(6))"
            _ = try await stack.call(.post, "/assessments", Self.request(other, guest: guest))
            let order = CreditTests.unique("o")
            let held = try await stack.call(.post, "/assessments", Self.request(tenant, order: order, amount: "9000.00", daysAhead: 0, guest: guest)).json
            #expect(held["decision"] as? String == "review" && held["review"] as? String == "pending", "\(held)")
            let queue = try await stack.call(.get, "/api/v1/admin/risk/reviews?page_size=200", as: CreditTests.Stack.admin).json
            #expect(((queue["assessments"] as? [[String: Any]]) ?? []).contains { $0["order_id"] as? String == order }, "in the queue")
            let approved = try await stack.call(.post, "/api/v1/admin/risk/reviews/\(order)/approve", ["comment": "called the agency"], as: CreditTests.Stack.admin)
            #expect(approved.status == 200 && approved.json["review"] as? String == "approved", "\(approved.json)")
            #expect(try await stack.call(.post, "/api/v1/admin/risk/reviews/\(order)/approve", [:], as: CreditTests.Stack.admin).status == 200, "the same decision again")
            #expect(try await stack.call(.post, "/api/v1/admin/risk/reviews/\(order)/reject", [:], as: CreditTests.Stack.admin).json["code"] as? String == "review_closed")
            let decided = try await stack.pool.query("SELECT count(*) AS n FROM risk.outbox WHERE event_type = 'risk.review.decided' AND body LIKE '%' || $1 || '%'", [order])
            #expect(try decided.first?.int("n") == 1)
            #expect(try await stack.call(.post, "/assessments", ["tenant_id": tenant]).status == 400)
        }
    }
}
