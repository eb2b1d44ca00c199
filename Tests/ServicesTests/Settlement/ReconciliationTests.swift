// Supplier reconciliation: an operator's uploaded CSV against the bookings settlement learnt from
// order events, and the simulator's own statement (fetched through supplier-adapter) after real
// bookings through order, where exactly the simulator's planted mistakes must be found; with flag
// `settlement.auto.reconcile` on, closing a cycle reconciles the supplier by itself.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import Settlement
@testable import Shared
import Testing
import TestSupport

extension SupplyChainTests.SettlementSchemaTests {
    @Suite struct ReconciliationTests {
        static func upload(_ stack: ServiceStack, supplier: String, _ csv: String, query: String = "") async throws -> (status: Int, json: [String: Any]) {
            let answer = try await stack.exchange(
                .post, "/api/v1/admin/settlement/reconciliations?supplier=\(supplier)\(query)", body: Data(csv.utf8), contentType: "text/csv", as: ServiceStack.admin)
            return (answer.status, (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]) ?? [:])
        }

        @Test func anUploadedStatementIsComparedWithTheBooksLineByLine() async throws {
            try await ServiceStack.run(SettlementService.definition) { stack in
                let tenant = ServiceStack.unique("t-rec"), supplier = ServiceStack.unique("s-rec")
                // 8 bookings (S0..S7); S0 and S4 cancelled: S0 free, S4 with a 12.00 supplier penalty.
                var events: [EventEnvelope] = []
                for index in 0..<8 {
                    let order = OrderSummary(
                        orderId: "rec-\(supplier)-\(index)", number: "HP\(supplier)\(index)", clientReference: nil, status: "CONFIRMED", orderStatus: "CONFIRMED",
                        paymentStatus: "PAID", supplierStatus: "CONFIRMED", closeReason: nil, hotelId: 1, roomName: "Double", checkIn: CalendarDate("2027-05-0\(index + 1)")!,
                        checkOut: CalendarDate("2027-05-\(index + 11)")!, price: Money(Amount("150.00")!, "EUR"), penalty: nil, refunded: nil)
                    let booked = OrderInternals(supplier: supplier, supplierReference: "S\(index)", net: Money(Amount("100.\(index)0")!, "EUR"), charge: order.price)
                    events.append(try EventEnvelope(type: OrderEventType.paymentCaptured, producer: "test", tenantId: tenant, trace: nil,
                                                    payload: OrderEventData(order: order, internal: booked)))
                    if index % 4 == 0 {
                        var cancelled = booked
                        cancelled.supplierPenalty = index == 4 ? Money(Amount("12.00")!, "EUR") : nil
                        events.append(try EventEnvelope(type: OrderEventType.cancelled, producer: "test", tenantId: tenant, trace: nil,
                                                        payload: OrderEventData(order: order, internal: cancelled)))
                    }
                }
                try await StatementTests.publish(events.reversed())
                #expect(try await eventually(within: .seconds(30)) {
                    try await stack.pool.query("SELECT count(*) FILTER (WHERE cancelled)::int AS c, count(*)::int AS n FROM settlement.supplier_bookings WHERE supplier = $1",
                                               [supplier]).first.map { try $0.int("n") == 8 && $0.int("c") == 2 } ?? false
                })

                let csv = """
                    supplier_reference,our_reference,check_in,check_out,amount,currency
                    S1,HP\(supplier)1,2027-05-02,2027-05-12,100.10,EUR
                    S2,HP\(supplier)2,2027-05-03,2027-05-13,109.99,EUR
                    ,HP\(supplier)3,2027-05-04,2027-05-14,100.30,EUR
                    S4,HP\(supplier)4,2027-05-05,2027-05-15,12.00,EUR
                    S5,HP\(supplier)5,2027-05-06,2027-05-16,100.50,EUR
                    ZZ9,,2027-05-07,2027-05-17,55.00,EUR

                    """
                // One line lacks its reference: refused naming the line, nothing saved.
                let refused = try await Self.upload(stack, supplier: supplier, csv)
                #expect(refused.status == 422 && refused.json["code"] as? String == "invalid_statement" && (refused.json["detail"] as? String)?.contains("line 4") == true,
                        "\(refused.json)")
                let fixed = csv.replacing(",HP\(supplier)3,", with: "S3,HP\(supplier)3,")
                let done = try await Self.upload(stack, supplier: supplier, fixed, query: "&from=2027-05-11&to=2027-05-18")
                #expect(done.status == 201, "\(done.json)")
                // S1, S3, S4 (the penalty) and S5 match; S2 is overcharged; ZZ9 is not ours; S6 and S7 are not billed; S0 was cancelled free.
                #expect(done.json["matched"] as? Int == 4 && done.json["amount_mismatches"] as? Int == 1, "\(done.json)")
                #expect(done.json["missing_ours"] as? Int == 1 && done.json["missing_theirs"] as? Int == 2, "\(done.json)")
                // Without a period: the check-outs the statement spans (05-12 to 05-17: S7 is outside).
                let spanned = try await Self.upload(stack, supplier: supplier, fixed)
                let period = try #require(spanned.json["period"] as? [String: Any])
                #expect(period["from"] as? String == "2027-05-12" && period["to"] as? String == "2027-05-17", "\(spanned.json)")
                #expect(spanned.json["missing_theirs"] as? Int == 1 && spanned.json["matched"] as? Int == 4, "\(spanned.json)")
                let id = try #require(done.json["id"] as? String)
                let announced = try await stack.pool.query(
                    "SELECT count(*)::int AS n FROM settlement.outbox WHERE event_type = 'reconciliation.completed' AND (body::jsonb #>> '{data,id}') = $1",
                    [id]).first!.int("n")
                #expect(announced == 1, "reconciliation.completed in the outbox with the reconciliation")
                let read = try await stack.call(.get, "/api/v1/admin/settlement/reconciliations/\(id)", as: ServiceStack.admin).json
                let discrepancies = ((read["outcome"] as? [String: Any])?["discrepancies"] as? [[String: Any]]) ?? []
                let mismatch = try #require(discrepancies.first { $0["kind"] as? String == "amount_mismatch" })
                #expect(mismatch["supplier_reference"] as? String == "S2" && (mismatch["ours"] as? [String: Any])?["amount"] as? String == "100.20"
                        && (mismatch["theirs"] as? [String: Any])?["amount"] as? String == "109.99", "both amounts: \(mismatch)")
                #expect(Set(discrepancies.filter { $0["kind"] as? String == "missing_theirs" }.compactMap { $0["supplier_reference"] as? String }) == ["S6", "S7"])
                let download = try await stack.exchange(.get, "/api/v1/admin/settlement/reconciliations/\(id)?format=csv", body: nil, as: ServiceStack.admin)
                #expect(try CSVTable(parsing: download.body).rows.count == 8, "4 matched and 4 discrepancies")
                let listed = try await stack.call(.get, "/api/v1/admin/settlement/reconciliations?supplier=\(supplier)", as: ServiceStack.admin).json
                #expect(listed["total"] as? Int == 2)
                // A line outside a given period, and a distributor, are refused.
                let outside = try await Self.upload(stack, supplier: supplier, fixed, query: "&from=2027-05-12&to=2027-05-15")
                #expect(outside.status == 422 && (outside.json["detail"] as? String)?.contains("outside the period") == true, "\(outside.json)")
                let distributor = try await stack.exchange(.post, "/api/v1/admin/settlement/reconciliations?supplier=\(supplier)", body: Data(fixed.utf8),
                                                           contentType: "text/csv", as: CallerIdentity(tenantId: tenant, role: "distributor"))
                #expect(distributor.status == 403)
            }
        }

        @Test func theSimulatorsStatementIsReconciledToExactlyItsPlantedMistakes() async throws {
            try await BookingHarness.run { booking in
                try await ServiceStack.run(SettlementService.definition, ["SUPPLIER_ADAPTER_URL": booking.search.adapter]) { settlement in
                    let tenant = try await booking.distributor()
                    let days = 200 + Int.random(in: 0..<100)
                    let offers = try await booking.offers(tenant, daysAhead: days)
                    let code = try #require(booking.search.suppliers.first { $0.value == "globebeds" }?.key)
                    let candidates = offers.filter { $0.supplier == code }
                    // Up to nine bookings at the bed bank through order (an offer sold out or repriced by an earlier one is skipped); the last one then cancelled.
                    var ids: [String] = []
                    for candidate in candidates where ids.count < 9 {
                        let placed = try await booking.place(BookingStack.body(candidate.id), as: tenant)
                        if placed.status == 409, ["sold_out", "price_changed"].contains(placed.json["code"] as? String ?? "") { continue }
                        #expect(placed.status == 201 && placed.json["status"] as? String == "CONFIRMED", "\(placed.text.prefix(300))")
                        ids.append(try #require(placed.json["id"] as? String))
                    }
                    try #require(ids.count >= 8, "bed-bank bookings made: \(ids.count) of \(candidates.count) offers")
                    let cancelled = try await booking.order.call(.post, "/api/v1/orders/\(ids.last!)/cancel", as: tenant)
                    #expect(cancelled.status == 200, "\(cancelled.json)")
                    #expect(try await eventually(within: .seconds(30)) {
                        try await settlement.pool.query(
                            "SELECT count(*)::int AS n, count(*) FILTER (WHERE cancelled)::int AS c FROM settlement.supplier_bookings WHERE supplier = $1", [code]
                        ).first.map { try $0.int("n") == ids.count && $0.int("c") == 1 } ?? false
                    }, "settlement knows every booking")

                    let (_, checkOut) = SupplyChainTests.SearchTests.stay(days)
                    let done = try await settlement.call(.post, "/api/v1/admin/settlement/reconciliations", ["supplier": code, "from": checkOut, "to": checkOut],
                                                         as: ServiceStack.admin)
                    #expect(done.status == 201 && done.json["source"] as? String == "supplier", "\(done.json)")
                    let truthURL = URL(string: "\(booking.search.simulator.server.base)/admin/statements/discrepancies?supplier=globebeds&from=\(checkOut)&to=\(checkOut)")!
                    let planted = try #require(try JSONSerialization.jsonObject(with: try await URLSession.shared.data(from: truthURL).0) as? [[String: Any]])
                    #expect(planted.count == 3, "a mismatch, an omission and a phantom: \(planted)")
                    let id = try #require(done.json["id"] as? String)
                    let outcome = try #require(try await settlement.call(.get, "/api/v1/admin/settlement/reconciliations/\(id)", as: ServiceStack.admin)
                        .json["outcome"] as? [String: Any])
                    func key(_ item: [String: Any]) -> String {
                        let amount = { (side: String) in (item[side] as? [String: Any]).map { "\($0["amount"] ?? "")\($0["currency"] ?? "")" } ?? "-" }
                        return "\(item["kind"] ?? "")|\(item["supplier_reference"] ?? "")|\(amount("ours"))|\(amount("theirs"))"
                    }
                    let found = ((outcome["discrepancies"] as? [[String: Any]]) ?? []).map(key)
                    #expect(Set(found) == Set(planted.map(key)) && found.count == planted.count, "found \(found), planted \(planted.map(key))")
                    let owed = try await settlement.pool.query(
                        "SELECT count(*)::int AS n FROM settlement.supplier_bookings WHERE supplier = $1 AND (NOT cancelled OR supplier_penalty > 0)", [code]).first!.int("n")
                    #expect((outcome["matched"] as? [Any])?.count == owed - 2, "every other booking matches (\(owed) owed)")

                    // With the flag on for this supplier, closing a cycle fetches and reconciles its statement by itself.
                    try await settlement.pool.execute(
                        "UPDATE platform.feature_flags SET enabled = true, rollout_pct = 0, whitelist = array_append(coalesce(whitelist, '{}'), $1) WHERE name = $2",
                        [code, CycleDesk.autoReconcile])
                    try await Task.sleep(for: .seconds(1))
                    let closed = try await settlement.call(.post, "/api/v1/admin/settlement/cycles", [:], as: ServiceStack.admin)
                    #expect(closed.status == 201, "\(closed.json)")
                    let automatic = try await settlement.call(.get, "/api/v1/admin/settlement/reconciliations?supplier=\(code)", as: ServiceStack.admin).json
                    let latest = ((automatic["reconciliations"] as? [[String: Any]]) ?? []).first
                    #expect(automatic["total"] as? Int == 2 && latest?["created_by"] as? String == "auto-reconcile" && latest?["source"] as? String == "supplier",
                            "\(automatic)")
                }
            }
        }
    }
}
