// The ledger fed by order events through RabbitMQ: a scripted stream of orders in three currencies,
// some cancelled with a penalty, every event delivered twice and cancellations before their
// captures; afterwards every entry balanced and every account's total what an independent
// computation here says. And PostgreSQL itself refuses an unbalanced entry or a changed posting.

import Foundation
@testable import Settlement
@testable import Shared
import Testing
import TestSupport

extension SupplyChainTests.SettlementSchemaTests {
    @Suite struct LedgerTests {
        struct Scripted {
            var capture: EventEnvelope
            var cancel: EventEnvelope?
        }

        static func stream(tenant: String, supplier: String, count: Int) throws -> [Scripted] {
            let currencies = ["EUR", "USD", "JPY"], netCurrencies = ["USD", "GBP", "EUR"]
            return try (0..<count).map { index in
                let currency = currencies[index % 3], scale = Currency.minorUnits(currency)
                let price = Money(Amount(Decimal(100 + index * 7)).rounded(toScale: scale), currency)
                let net = Money(Amount(Decimal(string: "\(60 + index).35")!), netCurrencies[index % 3])
                func data(refunded: Money? = nil, penalty: Money? = nil, status: String) -> OrderEventData {
                    OrderEventData(
                        order: OrderSummary(
                            orderId: "ledger-\(tenant)-\(index)", number: "HPTEST\(index)", clientReference: nil, status: status, orderStatus: status,
                            paymentStatus: "PAID", supplierStatus: "CONFIRMED", closeReason: nil, hotelId: 1, roomName: "Double", checkIn: CalendarDate("2027-03-01")!,
                            checkOut: CalendarDate("2027-03-03")!, price: price, penalty: penalty, refunded: refunded),
                        internal: OrderInternals(supplier: supplier, supplierReference: "S\(index)", net: net, charge: price))
                }
                let capture = try EventEnvelope(type: OrderEventType.paymentCaptured, producer: "test", tenantId: tenant, trace: nil, payload: data(status: "CONFIRMED"))
                guard index % 4 == 0 else { return Scripted(capture: capture) }
                let penalty = Money(Amount(Decimal(index % 8 == 0 ? 0 : 30)), currency)
                let refunded = Money(price.amount - penalty.amount, currency)
                let cancel = try EventEnvelope(
                    type: OrderEventType.cancelled, producer: "test", tenantId: tenant, trace: nil, payload: data(refunded: refunded, penalty: penalty, status: "CANCELLED"))
                return Scripted(capture: capture, cancel: cancel)
            }
        }

        @Test func aStreamDeliveredTwiceAndOutOfOrderLeavesEveryAccountAsComputed() async throws {
            try await ServiceStack.run(SettlementService.definition) { stack in
                let tenant = ServiceStack.unique("t-ledger"), supplier = ServiceStack.unique("s-ledger")
                let scripted = try Self.stream(tenant: tenant, supplier: supplier, count: 40)
                // Cancellations first, then every capture, then everything again.
                let once = scripted.compactMap(\.cancel) + scripted.map(\.capture)
                let publisher = EventPublisher(settings: try AMQPSettings(EnvironmentVariables(ServiceEnvironment.all)), logger: .init(label: "test"))
                try await publisher.publish(once)
                try await publisher.publish(once.reversed())
                try await publisher.shutdown()

                // The independent computation: what each account must hold, per currency (debits less credits).
                var expected: [String: Decimal] = [:]
                func add(_ account: String, _ money: Money, _ sign: Decimal) { expected["\(account)|\(money.currency)", default: 0] += sign * money.amount.value }
                var entries = 0
                for order in scripted {
                    let data = try order.capture.payload(as: OrderEventData.self)
                    let charge = data.internal.charge!, net = data.internal.net
                    add("receivable:\(tenant)", charge, 1); add("sales", charge, -1)
                    add("cost_of_sales", net, 1); add("payable:\(supplier)", net, -1)
                    entries += 2
                    guard let cancel = order.cancel else { continue }
                    let cancelled = try cancel.payload(as: OrderEventData.self)
                    let refunded = cancelled.order.refunded!, kept = Money(charge.amount - refunded.amount, charge.currency)
                    add("sales", refunded, 1); add("receivable:\(tenant)", refunded, -1)
                    if kept.amount > .zero { add("sales", kept, 1); add("penalty_income", kept, -1); entries += 1 }
                    add("payable:\(supplier)", net, 1); add("cost_of_sales", net, -1)
                    entries += 2
                }
                let orders = PostgresArray(scripted.map { try! $0.capture.payload(as: OrderEventData.self).order.orderId })
                #expect(try await eventually(within: .seconds(30)) {
                    try await stack.pool.query("SELECT count(*)::int AS n FROM settlement.ledger_entries WHERE order_id = ANY($1::text[])", [orders]).first!.int("n") == entries
                }, "every event's entries written once")
                try await Task.sleep(for: .milliseconds(500))
                let rows = try await stack.pool.query(
                    """
                    SELECT p.account, e.currency, sum(p.debit) - sum(p.credit) AS balance, count(DISTINCT e.id)::int AS entries
                    FROM settlement.ledger_postings p JOIN settlement.ledger_entries e ON e.id = p.entry_id
                    WHERE e.order_id = ANY($1::text[]) GROUP BY p.account, e.currency
                    """, [orders])
                var found: [String: Decimal] = [:]
                for row in rows { found["\(try row.string("account"))|\(try row.string("currency"))"] = try row.decimal("balance") }
                #expect(found.filter { $0.value != 0 } == expected.filter { $0.value != 0 }, "every account as computed: \(found) vs \(expected)")
                let written = try await stack.pool.query("SELECT count(*)::int AS n FROM settlement.ledger_entries WHERE order_id = ANY($1::text[])", [orders]).first?.int("n")
                #expect(written == entries, "redeliveries changed nothing")
                let check = try await stack.call(.get, "/api/v1/admin/settlement/check", as: ServiceStack.admin).json
                #expect(check["balanced"] as? Bool == true && check["unbalanced_entries"] as? Int == 0, "\(check)")
                let receivable = try await stack.call(.get, "/api/v1/admin/settlement/balances?account=receivable:\(tenant)", as: ServiceStack.admin).json
                let listed = (receivable["balances"] as? [[String: Any]]) ?? []
                #expect(listed.count == 3 && listed.allSatisfy { ($0["account"] as? String) == "receivable:\(tenant)" }, "one line a currency: \(listed)")
            }
        }

        @Test func postgresRefusesAnUnbalancedEntryAndAChangedPosting() async throws {
            try await ServiceStack.run(SettlementService.definition) { stack in
                let unbalanced: () async throws -> Void = {
                    try await stack.pool.transaction { connection in
                        let id = try connection.query(
                            """
                            INSERT INTO settlement.ledger_entries (event_id, event_type, order_id, kind, currency, occurred_at)
                            VALUES (gen_random_uuid(), 'test', 'unbalanced', 'sale', 'EUR', now()) RETURNING id
                            """).first!.int("id")
                        try connection.execute("INSERT INTO settlement.ledger_postings (entry_id, account, debit) VALUES ($1, 'receivable:x', 10)", [id])
                        try connection.execute("INSERT INTO settlement.ledger_postings (entry_id, account, credit) VALUES ($1, 'sales', 9.99)", [id])
                    }
                }
                await #expect(throws: PostgresError.self, "debits 10.00, credits 9.99: refused at commit") { try await unbalanced() }
                let entry = try await stack.pool.transaction { connection in
                    let id = try connection.query(
                        """
                        INSERT INTO settlement.ledger_entries (event_id, event_type, order_id, kind, currency, occurred_at)
                        VALUES (gen_random_uuid(), 'test', 'balanced', 'sale', 'EUR', now()) RETURNING id
                        """).first!.int("id")
                    try connection.execute("INSERT INTO settlement.ledger_postings (entry_id, account, debit) VALUES ($1, 'receivable:x', 10)", [id])
                    try connection.execute("INSERT INTO settlement.ledger_postings (entry_id, account, credit) VALUES ($1, 'sales', 10)", [id])
                    return id
                }
                await #expect(throws: PostgresError.self, "append-only") {
                    try await stack.pool.execute("UPDATE settlement.ledger_postings SET debit = debit + 1 WHERE entry_id = $1 AND debit > 0", [entry])
                }
                await #expect(throws: PostgresError.self, "append-only") {
                    try await stack.pool.execute("DELETE FROM settlement.ledger_postings WHERE entry_id = $1", [entry])
                }
                let left = try await stack.pool.query("SELECT count(*)::int AS n FROM settlement.ledger_entries WHERE order_id = 'unbalanced'").first?.int("n")
                #expect(left == 0, "the refused entry left nothing")
            }
        }
    }
}
