// Statements closed from the ledger: their totals and lines equal the ledger's postings, a late
// event lands on the next statement, a distributor reads only its own (JSON and CSV), and two
// settlement processes closing the same cycles at once issue each statement once with invoice
// numbers that have neither gaps nor repeats.

import Foundation
@testable import Settlement
@testable import Shared
import Testing
import TestSupport

extension SupplyChainTests.SettlementSchemaTests {
    @Suite struct StatementTests {
        static func publish(_ events: [EventEnvelope]) async throws {
            let publisher = EventPublisher(settings: try AMQPSettings(EnvironmentVariables(ServiceEnvironment.all)), logger: .init(label: "test"))
            try await publisher.publish(events)
            try await publisher.shutdown()
        }

        static func waitForLedger(_ stack: ServiceStack, orders: [String], entries: Int) async throws {
            #expect(try await eventually(within: .seconds(30)) {
                try await stack.pool.query("SELECT count(*)::int AS n FROM settlement.ledger_entries WHERE order_id = ANY($1::text[])", [PostgresArray(orders)])
                    .first!.int("n") == entries
            }, "the ledger has the events")
        }

        static func close(_ stack: ServiceStack, at end: Date) async throws -> (status: Int, json: [String: Any]) {
            let answer = try await stack.call(.post, "/api/v1/admin/settlement/cycles", ["end": Timestamp.iso8601Milliseconds(end)], as: ServiceStack.admin)
            return (answer.status, answer.json)
        }

        static func statements(_ closing: [String: Any]) -> [[String: Any]] { (closing["statements"] as? [[String: Any]]) ?? [] }

        @Test func statementsAddUpToTheLedgerAndADistributorReadsOnlyItsOwn() async throws {
            try await ServiceStack.run(SettlementService.definition) { stack in
                let tenant = ServiceStack.unique("t-stmt"), supplier = ServiceStack.unique("s-stmt")
                let scripted = try SupplyChainTests.SettlementSchemaTests.LedgerTests.stream(tenant: tenant, supplier: supplier, count: 24)
                let events = scripted.compactMap(\.cancel) + scripted.map(\.capture)
                try await Self.publish(events + events.reversed())
                let orders = try scripted.map { try $0.capture.payload(as: OrderEventData.self).order.orderId }
                // 24 captures (sale + purchase), 6 cancellations (refund + reversal, and a penalty for 3 of them).
                try await Self.waitForLedger(stack, orders: orders, entries: 24 * 2 + 6 * 2 + 3)

                let end = Date()
                let closed = try await Self.close(stack, at: end)
                #expect(closed.status == 201, "\(closed.json)")
                let ours = Self.statements(closed.json).filter { ($0["party"] as? String) == tenant || ($0["party"] as? String) == supplier }
                #expect(ours.count == 6, "one statement per party and currency: \(ours)")

                // Each statement's total is the party's balance in the ledger (computed here from the postings), and its lines add up to it.
                let balances = try await stack.pool.query(
                    """
                    SELECT p.account, e.currency, sum(p.debit) - sum(p.credit) AS balance
                    FROM settlement.ledger_postings p JOIN settlement.ledger_entries e ON e.id = p.entry_id
                    WHERE p.account IN ($1, $2) GROUP BY p.account, e.currency
                    """, ["receivable:\(tenant)", "payable:\(supplier)"])
                var owed: [String: Decimal] = [:]
                for row in balances {
                    let account = try row.string("account"), balance = try row.decimal("balance")
                    owed["\(account.hasPrefix("receivable") ? tenant : supplier)|\(try row.string("currency"))"] = account.hasPrefix("receivable") ? balance : -balance
                }
                for summary in ours {
                    let id = try #require(summary["id"] as? String)
                    let statement = try await stack.call(.get, "/api/v1/admin/settlement/statements/\(id)", as: ServiceStack.admin).json
                    let total = try #require(Decimal(string: statement["total"] as? String ?? ""))
                    let key = "\(statement["party"] as? String ?? "")|\(statement["currency"] as? String ?? "")"
                    #expect(total == owed[key], "\(key): statement \(total), ledger \(String(describing: owed[key]))")
                    let lines = (statement["lines"] as? [[String: Any]]) ?? []
                    let sum = lines.reduce(Decimal(0)) { $0 + (Decimal(string: $1["amount"] as? String ?? "") ?? 0) }
                    #expect(sum == total && lines.count == statement["line_count"] as? Int, "lines add up: \(sum) vs \(total)")
                    #expect((statement["invoice_number"] as? String)?.hasPrefix(statement["party_kind"] as? String == "distributor" ? "D" : "S") == true)
                }

                // Each statement announced once, through settlement's outbox (relayed: sent).
                // (by statement id: MigrateCommandTests drops the statements and their series, not the outbox)
                let issued = PostgresArray(ours.compactMap { $0["id"] as? String })
                var announced: [String] = []
                #expect(try await eventually(within: .seconds(30)) {
                    announced = try await stack.pool.query(
                        "SELECT (sent_at IS NOT NULL)::text AS sent FROM settlement.outbox WHERE event_type = 'statement.issued' "
                            + "AND (body::jsonb #>> '{data,id}') = ANY($1::text[])", [issued]
                    ).map { try $0.string("sent") }
                    return announced == Array(repeating: "true", count: 6)
                }, "statement.issued published once per statement: \(announced)")

                // Closing the same cycle again issues nothing new.
                let again = try await Self.close(stack, at: end)
                #expect(again.status == 200 && again.json["closed_now"] as? Bool == false, "\(again.json)")
                #expect(Set(Self.statements(again.json).compactMap { $0["invoice_number"] as? String })
                        == Set(Self.statements(closed.json).compactMap { $0["invoice_number"] as? String }))
                let earlier = try await Self.close(stack, at: end.addingTimeInterval(-60))
                #expect(earlier.status == 409 && earlier.json["code"] as? String == "cycle_closed", "\(earlier.json)")

                // The distributor sees its three statements, nothing of the supplier's or another tenant's.
                let distributor = CallerIdentity(tenantId: tenant, role: "distributor")
                let own = try await stack.call(.get, "/api/v1/statements", as: distributor).json
                let listed = (own["statements"] as? [[String: Any]]) ?? []
                #expect(listed.count == 3 && listed.allSatisfy { $0["party"] as? String == tenant && $0["party_kind"] as? String == "distributor" }, "\(own)")
                let supplierStatement = try #require(ours.first { $0["party_kind"] as? String == "supplier" }?["id"] as? String)
                #expect(try await stack.call(.get, "/api/v1/statements/\(supplierStatement)", as: distributor).status == 404)
                let mine = try #require(listed.first?["id"] as? String)
                let stranger = CallerIdentity(tenantId: ServiceStack.unique("t-other"), role: "distributor")
                #expect(try await stack.call(.get, "/api/v1/statements/\(mine)", as: stranger).status == 404)
                #expect(try await stack.call(.get, "/api/v1/statements", as: stranger).json["total"] as? Int == 0)

                // CSV: a header, a row per line, the total last.
                let csv = try await stack.exchange(.get, "/api/v1/statements/\(mine)?format=csv", body: nil, as: distributor)
                #expect(csv.status == 200 && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
                let table = try CSVTable(parsing: csv.body)
                let statement = try await stack.call(.get, "/api/v1/statements/\(mine)", as: distributor).json
                #expect(table.header.first == "invoice_number" && table.rows.count == (statement["line_count"] as? Int ?? -1) + 1)
                #expect(table.rows.last?[7] == "total" && table.rows.last?[9] == statement["total"] as? String, "\(table.rows.last ?? [])")

                // An event of the closed cycle arriving late is billed on the next statement.
                var lateData = try scripted[1].capture.payload(as: OrderEventData.self)
                lateData.order.orderId = "late-\(tenant)"
                let late = EventEnvelope(
                    type: OrderEventType.paymentCaptured, occurredAt: end.addingTimeInterval(-3600), producer: "test", tenantId: tenant, traceId: nil,
                    data: try JSONValue(encoding: lateData))
                try await Self.publish([late])
                try await Self.waitForLedger(stack, orders: ["late-\(tenant)"], entries: 2)
                let next = try await Self.close(stack, at: Date())
                let billed = Self.statements(next.json).filter { $0["party"] as? String == tenant }
                #expect(billed.count == 1 && billed.first?["line_count"] as? Int == 1, "the late sale alone: \(billed)")
            }
        }

        @Test func twoSettlementProcessesCloseEachCycleOnceWithGaplessInvoiceNumbers() async throws {
            try await ServiceStack.run(SettlementService.definition) { stack in
                let port = freePort()
                let process = Process()
                process.executableURL = ServiceEnvironment.executable("settlement")
                process.environment = ServiceEnvironment.all.merging(["PORT": "\(port)", "HOST": "127.0.0.1", "LOG_LEVEL": "warning"]) { $1 }
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                defer { process.terminate(); process.waitUntilExit() }
                #expect(try await eventually(within: .seconds(30)) {
                    (try? await HTTP1Client.shared.execute(.get, "http://127.0.0.1:\(port)/health", timeout: .seconds(2)))?.status.code == 200
                })
                let other = ServiceStack(base: "http://127.0.0.1:\(port)", pool: stack.pool)

                var issued: [String] = []
                for round in 0..<3 {
                    // Fresh postings for four distributors and two suppliers, then both replicas close the same cycle, twice each, at once.
                    var orders: [String] = [], events: [EventEnvelope] = []
                    for party in 0..<4 {
                        let scripted = try SupplyChainTests.SettlementSchemaTests.LedgerTests.stream(
                            tenant: ServiceStack.unique("t-rep\(round)-\(party)"), supplier: ServiceStack.unique("s-rep\(round)-\(party % 2)"), count: 3)
                        events += scripted.map(\.capture)
                        orders += try scripted.map { try $0.capture.payload(as: OrderEventData.self).order.orderId }
                    }
                    try await Self.publish(events)
                    try await Self.waitForLedger(stack, orders: orders, entries: orders.count * 2)
                    let end = Date()
                    let body = try JSONSerialization.data(withJSONObject: ["end": Timestamp.iso8601Milliseconds(end)])
                    let answers = try await withThrowingTaskGroup(of: (status: Int, body: String).self) { group in
                        for replica in [stack, other, stack, other] {
                            group.addTask {
                                let answer = try await replica.exchange(.post, "/api/v1/admin/settlement/cycles", body: body, as: ServiceStack.admin)
                                return (answer.status, answer.body)
                            }
                        }
                        return try await group.reduce(into: []) { $0.append($1) }
                    }.map { (status: $0.status, json: (try? JSONSerialization.jsonObject(with: Data($0.body.utf8)) as? [String: Any]) ?? [:]) }
                    #expect(answers.filter { $0.status == 201 }.count == 1 && answers.filter { $0.status == 200 }.count == 3,
                            "one closer issued, the others found it closed: \(answers.map(\.status))")
                    let sets = answers.map { Set(Self.statements($0.json).compactMap { $0["invoice_number"] as? String }) }
                    #expect(Set(sets).count == 1, "every closer answers the same statements")
                    issued += sets.first.map(Array.init) ?? []
                }
                #expect(Set(issued).count == issued.count, "no invoice number twice")
                // Across every statement ever issued here: each series numbered 1...n, no gap, no repeat.
                let series = try await stack.pool.query(
                    "SELECT series, count(*)::int AS n, count(DISTINCT number)::int AS distinct_numbers, min(number)::int AS low, max(number)::int AS high FROM settlement.statements GROUP BY series")
                #expect(!series.isEmpty)
                for row in series {
                    let n = try row.int("n"), distinct = try row.int("distinct_numbers"), low = try row.int("low"), high = try row.int("high"), name = try row.string("series")
                    #expect(distinct == n && low == 1 && high == n, "series \(name): gapless")
                }
                let cycles = try await stack.pool.query(
                    "SELECT count(*)::int AS n FROM (SELECT party_kind, party, currency, cycle_end FROM settlement.statements GROUP BY 1, 2, 3, 4 HAVING count(*) > 1) d")
                #expect(try cycles.first?.int("n") == 0, "one statement per party, currency and cycle")
            }
        }
    }
}
