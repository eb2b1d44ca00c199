// Credit accounts against the real PostgreSQL: no overdraft under 200 concurrent reserves, every
// operation idempotent by (order, operation), the journal always summing to the account, expired
// reservations swept, distributors reading only their own account.

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
@testable import Risk
@testable import Shared
import Testing
import TestSupport

@Suite struct CreditTests {
    typealias Stack = ServiceStack

    static func run(_ extra: [String: String] = [:], _ body: @escaping @Sendable (Stack) async throws -> Void) async throws {
        try await ServiceStack.run(RiskService.definition, extra, body)
    }

    static func unique(_ prefix: String) -> String { ServiceStack.unique(prefix) }

    @Test func twoHundredConcurrentReservesNeverOverdraw() async throws {
        try await Self.run { stack in
            let tenant = Self.unique("t-race")
            try await stack.open(tenant, balance: "2000.00")
            let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for index in 0..<200 {
                    group.addTask {
                        let answer = try await stack.reserve(tenant, "\(tenant)-o\(index)", "100.00")
                        return (answer.status, answer.json["code"] as? String)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0.0 == 201 }.count == 20, "exactly what the balance covers")
            #expect(statuses.filter { $0 == (422, "insufficient_credit") }.count == 180, "\(Set(statuses.map { "\($0.0) \($0.1 ?? "")" }))")
            let account = try await stack.account(tenant)
            #expect(account["reserved"] as? String == "2000.00" && account["available"] as? String == "0.00", "\(account)")
            try await stack.expectConsistent(tenant, movements: 22)
        }
    }

    @Test func everyOperationIsIdempotentAndGuarded() async throws {
        try await Self.run { stack in
            let tenant = Self.unique("t-ops")
            try await stack.open(tenant, balance: "500.00")
            let order = Self.unique("o")
            let first = try await stack.reserve(tenant, order, "100.00")
            #expect(first.status == 201 && first.json["status"] as? String == "reserved" && !first.replayed, "\(first.json)")
            let again = try await stack.reserve(tenant, order, "100.00")
            #expect(again.status == 201 && again.replayed && NSDictionary(dictionary: again.json).isEqual(to: first.json), "the first answer again")
            #expect(try await stack.reserve(tenant, order, "90.00").json["code"] as? String == "idempotency_conflict")

            let inDollars = try await stack.call(.post, "/credit/reservations/\(order)/capture", ["amount": ["amount": "60.00", "currency": "USD"]])
            #expect(inDollars.json["code"] as? String == "currency_mismatch", "\(inDollars.json)")
            let captured = try await stack.operate("capture", order, "60.00")
            #expect(captured.status == 200 && captured.json["status"] as? String == "captured", "\(captured.json)")
            #expect((captured.json["captured"] as? [String: Any])?["amount"] as? String == "60.00")
            let recaptured = try await stack.operate("capture", order, "60.00")
            #expect(recaptured.replayed && NSDictionary(dictionary: recaptured.json).isEqual(to: captured.json))
            #expect(try await stack.operate("capture", order, "70.00").json["code"] as? String == "idempotency_conflict")
            #expect(try await stack.operate("release", order).json["code"] as? String == "reservation_closed", "no release after capture")
            #expect(try await stack.operate("refund", order, "60.01").json["code"] as? String == "refund_exceeds_capture")
            let refunded = try await stack.operate("refund", order, "25.00")
            #expect(refunded.status == 200 && (refunded.json["refunded"] as? [String: Any])?["amount"] as? String == "25.00", "\(refunded.json)")
            #expect(try await stack.operate("refund", order, "25.00").replayed)
            #expect(try await stack.operate("refund", order, "5.00").json["code"] as? String == "idempotency_conflict")

            // Released, then too late to capture; an unknown order; a refund before any capture.
            let other = Self.unique("o")
            #expect(try await stack.reserve(tenant, other, "50.00").status == 201)
            #expect(try await stack.operate("refund", other, "1.00").json["code"] as? String == "not_captured")
            #expect(try await stack.operate("release", other).json["status"] as? String == "released")
            #expect(try await stack.operate("release", other).replayed)
            #expect(try await stack.operate("capture", other).json["code"] as? String == "reservation_closed")
            #expect(try await stack.operate("capture", Self.unique("o")).status == 404)
            #expect(try await stack.reserve(tenant, Self.unique("o"), "1.00", currency: "USD").json["code"] as? String == "currency_mismatch")
            #expect(try await stack.reserve(Self.unique("t-none"), Self.unique("o"), "1.00").json["code"] as? String == "no_credit_account")
            // A limit the account cannot have is refused at opening as when changed.
            for (kind, limit) in [("prepaid", "10.00"), ("credit_line", "-1"), ("credit_line", "999999999999999999999999999999"), ("credit_line", "1.00001")] {
                let refused = try await stack.call(
                    .post, "/api/v1/admin/credit/accounts", ["tenant_id": Self.unique("t-bad"), "kind": kind, "currency": "EUR", "credit_limit": limit],
                    as: ServiceStack.admin)
                #expect(refused.status == 422 && refused.json["code"] as? String == "invalid_limit", "\(kind) \(limit): \(refused.json)")
            }

            let account = try await stack.account(tenant)
            #expect(account["balance"] as? String == "465.00" && account["reserved"] as? String == "0.00", "500 - 60 + 25: \(account)")
            // opened, top-up, reserved, captured, refunded, reserved, released
            try await stack.expectConsistent(tenant, movements: 7)
            let events = try await stack.pool.query(
                "SELECT event_type FROM risk.outbox WHERE body LIKE '%' || $1 || '%' OR body LIKE '%' || $2 || '%' ORDER BY seq", [order, other])
            #expect(try events.map { try $0.string("event_type") } == ["credit.reserved", "credit.captured", "credit.refunded", "credit.reserved", "credit.released"])
        }
    }

    @Test func frozenAccountsAndCreditLines() async throws {
        try await Self.run { stack in
            let tenant = Self.unique("t-line")
            try await stack.open(tenant, kind: "credit_line", limit: "500.00")
            #expect(try await stack.reserve(tenant, Self.unique("o"), "400.00").status == 201)
            let lowered = try await stack.call(.put, "/api/v1/admin/credit/accounts/\(tenant)/limit", ["credit_limit": "100.00"], as: Stack.admin)
            #expect(lowered.json["code"] as? String == "limit_below_use", "\(lowered.json)")
            #expect(try await stack.call(.post, "/api/v1/admin/credit/accounts/\(tenant)/freeze", ["note": "late payment"], as: Stack.admin).json["frozen"] as? Bool == true)
            #expect(try await stack.reserve(tenant, Self.unique("o"), "10.00").json["code"] as? String == "account_frozen")
            #expect(try await stack.call(.post, "/api/v1/admin/credit/accounts/\(tenant)/unfreeze", [:], as: Stack.admin).json["frozen"] as? Bool == false)
            #expect(try await stack.reserve(tenant, Self.unique("o"), "100.00").status == 201)
            #expect(try await stack.reserve(tenant, Self.unique("o"), "0.01").json["code"] as? String == "insufficient_credit")
            let raised = try await stack.call(.put, "/api/v1/admin/credit/accounts/\(tenant)/limit", ["credit_limit": "1000.00"], as: Stack.admin)
            #expect(raised.json["available"] as? String == "500.00", "\(raised.json)")
            // opened, reserved, frozen, unfrozen, reserved, limit changed (the refused changes left nothing)
            try await stack.expectConsistent(tenant, movements: 6)
            await #expect(throws: PostgresError.self, "the journal is append-only") {
                try await stack.pool.execute("UPDATE risk.credit_journal SET balance_change = 0 WHERE tenant_id = $1", [tenant])
            }
        }
    }

    @Test func expiredReservationsAreSweptAndSaySo() async throws {
        try await Self.run(["CREDIT_SWEEP_INTERVAL_MS": "200"]) { stack in
            let tenant = Self.unique("t-sweep")
            try await stack.open(tenant, balance: "100.00")
            let order = Self.unique("o")
            #expect(try await stack.call(.post, "/credit/reservations", [
                "tenant_id": tenant, "order_id": order, "amount": ["amount": "80.00", "currency": "EUR"], "hold_seconds": 60,
            ]).status == 201)
            let repository = CreditRepository(pool: stack.pool)
            #expect(try await repository.sweepExpired(now: Date()) == 0, "not due yet")
            #expect(try await repository.sweepExpired(now: Date().addingTimeInterval(61)) >= 1)
            let reservation = try await stack.call(.get, "/credit/reservations/\(order)").json
            #expect(reservation["status"] as? String == "expired", "\(reservation)")
            #expect(try await stack.operate("capture", order).json["code"] as? String == "reservation_closed")
            let movements = try await stack.call(.get, "/api/v1/admin/credit/accounts/\(tenant)/movements", as: Stack.admin).json
            let entries = ((movements["movements"] as? [[String: Any]]) ?? []).compactMap { $0["entry"] as? String }
            #expect(entries == ["expired", "reserved", "top_up", "opened"], "newest first: \(entries)")
            #expect(try await stack.account(tenant)["available"] as? String == "100.00")
            try await stack.expectConsistent(tenant, movements: 4)

            // The service's own sweeper (every 200 ms here) releases one that is due.
            let due = Self.unique("o")
            #expect(try await stack.reserve(tenant, due, "30.00").status == 201)
            try await stack.pool.execute("UPDATE risk.credit_reservations SET expires_at = now() - interval '1 second' WHERE order_id = $1", [due])
            #expect(try await eventually(within: .seconds(10)) { (try? await stack.call(.get, "/credit/reservations/\(due)").json["status"] as? String) == "expired" })
            try await stack.expectConsistent(tenant, movements: 6)
        }
    }

    @Test func aDistributorReadsOnlyItsOwnAccount() async throws {
        try await Self.run { stack in
            let mine = Self.unique("t-mine"), theirs = Self.unique("t-theirs")
            try await stack.open(mine, balance: "10.00")
            try await stack.open(theirs, balance: "99.00")
            let me = CallerIdentity(tenantId: mine, role: "distributor")
            let read = try await stack.call(.get, "/api/v1/credit?tenant_id=\(theirs)", as: me)
            #expect(read.status == 200 && read.json["tenant_id"] as? String == mine && read.json["balance"] as? String == "10.00", "\(read.json)")
            let movements = try await stack.call(.get, "/api/v1/credit/movements?page_size=1", as: me).json
            #expect(movements["total"] as? Int == 2 && (movements["movements"] as? [[String: Any]])?.count == 1, "\(movements)")
            #expect(try await stack.call(.get, "/api/v1/admin/credit/accounts/\(theirs)", as: me).status == 403)
            #expect(try await stack.call(.get, "/api/v1/credit").status == 401, "no identity, no account")
            #expect(try await stack.call(.get, "/api/v1/credit", as: CallerIdentity(tenantId: Self.unique("t-new"), role: "distributor")).json["code"] as? String == "no_credit_account")
        }
    }
}

/// Credit calls for the risk tests.
extension ServiceStack {
    /// Opens `tenant`'s account (and tops it up when `balance` is given).
    func open(_ tenant: String, kind: String = "prepaid", currency: String = "EUR", limit: String? = nil, balance: String? = nil) async throws {
        var body: [String: Any] = ["tenant_id": tenant, "kind": kind, "currency": currency]
        if let limit { body["credit_limit"] = limit }
        let opened = try await call(.post, "/api/v1/admin/credit/accounts", body, as: Self.admin)
        #expect(opened.status == 201, "\(opened.json)")
        if let balance {
            let topped = try await call(.post, "/api/v1/admin/credit/accounts/\(tenant)/top-ups", ["amount": ["amount": balance, "currency": currency]], as: Self.admin)
            #expect(topped.status == 200, "\(topped.json)")
        }
    }

    func reserve(_ tenant: String, _ order: String, _ amount: String, currency: String = "EUR") async throws -> (status: Int, json: [String: Any], replayed: Bool) {
        try await call(.post, "/credit/reservations", ["tenant_id": tenant, "order_id": order, "amount": ["amount": amount, "currency": currency]])
    }

    func operate(_ operation: String, _ order: String, _ amount: String? = nil) async throws -> (status: Int, json: [String: Any], replayed: Bool) {
        try await call(.post, "/credit/reservations/\(order)/\(operation)", amount.map { ["amount": ["amount": $0, "currency": "EUR"]] } ?? [:])
    }

    func account(_ tenant: String) async throws -> [String: Any] {
        try await call(.get, "/api/v1/admin/credit/accounts/\(tenant)", as: Self.admin).json
    }

    /// The ledger check passes: the account equals the sums of its journal.
    func expectConsistent(_ tenant: String, movements: Int? = nil) async throws {
        let check = try await call(.get, "/api/v1/admin/credit/accounts/\(tenant)/check", as: Self.admin).json
        #expect(check["consistent"] as? Bool == true, "\(check)")
        if let movements { #expect(check["movements"] as? Int == movements, "\(check)") }
    }
}
