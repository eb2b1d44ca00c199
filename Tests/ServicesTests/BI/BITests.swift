// bi against the real RabbitMQ and ClickHouse: 10,000 events (orders in three currencies over three
// days, searches, supplier calls) published in a shuffled order, 10 % of them twice; every event
// is stored once, and every report's figures equal what the test computes from the events it sent.

import Foundation
@testable import BI
@testable import Shared
import Testing
import TestSupport

@Suite struct BITests {
    /// The stream and what every report must say about it.
    struct Scripted {
        var events: [EventEnvelope] = []
        var tenants: [String]
        var suppliers: [String]
        var days = ["2026-11-01", "2026-11-02", "2026-11-03"]
        /// "tenant|day|currency" -> [bookings, gmv, margin, cancellations, cancelled gmv, penalties]
        var money: [String: [Decimal]] = [:]
        /// "tenant|day" -> [orders, bookings, cancellations, closed, searches]
        var counts: [String: [Int]] = [:]
        /// supplier -> (calls, succeeded)
        var calls: [String: (Int, Int)] = [:]
        /// tenant -> hotel id -> (bookings, room nights)
        var hotels: [String: [Int64: (Int, Int)]] = [:]
        /// "tenant|day" -> (lead days, nights) of each booking
        var stays: [String: [(Int, Int)]] = [:]
    }

    static func scripted(orders: Int, searches: Int, calls: Int) throws -> Scripted {
        let run = UUID().uuidString.prefix(8).lowercased()
        var script = Scripted(tenants: ["t-bi1-\(run)", "t-bi2-\(run)"], suppliers: ["sup-a-\(run)", "sup-b-\(run)", "sup-c-\(run)"])
        let currencies = ["EUR", "USD", "JPY"], cities = ["Paris", "Rome", "Tokyo", "Lima"]
        func at(_ day: String, _ second: Int) -> Date { CalendarDate(day)!.instant(hour: 8).addingTimeInterval(Double(second % 36_000)) }
        func event(_ type: String, _ day: String, _ second: Int, tenant: String?, _ payload: some Encodable) throws -> EventEnvelope {
            EventEnvelope(type: type, occurredAt: at(day, second), producer: "test", tenantId: tenant, traceId: nil, data: try JSONValue(encoding: payload))
        }
        for index in 0..<orders {
            let tenant = script.tenants[index % 2], day = script.days[index % 3], currency = currencies[(index / 2) % 3]
            let supplier = script.suppliers[index % 3], hotel = Int64(1000 + index % 7), city = cities[index % 4]
            let price = Money(Amount(Decimal(100 + index % 50) + Decimal(string: "0.25")!), currency)
            let cost = Money(price.amount - Amount("12.10")!, currency)
            let checkIn = CalendarDate(day)!.adding(days: 10 + index % 20), nights = 1 + index % 4
            func data(penalty: Money? = nil) -> OrderEventData {
                OrderEventData(
                    order: OrderSummary(
                        orderId: "bi-\(run)-\(index)", number: "HP\(index)", clientReference: nil, status: "CONFIRMED", orderStatus: "CONFIRMED", paymentStatus: "PAID",
                        supplierStatus: "CONFIRMED", closeReason: nil, hotelId: hotel, roomName: "Double", checkIn: checkIn, checkOut: checkIn.adding(days: nights),
                        price: price, penalty: penalty, refunded: nil),
                    internal: OrderInternals(supplier: supplier, supplierReference: "S\(index)", net: Money(Amount("80.00")!, "USD"), charge: price,
                                             cost: cost, city: city))
            }
            let key = "\(tenant)|\(day)"
            script.counts[key, default: [0, 0, 0, 0, 0]][0] += 1
            script.events.append(try event(OrderEventType.created, day, index, tenant: tenant, data()))
            if index % 10 == 9 {
                script.events.append(try event(OrderEventType.closed, day, index + 1, tenant: tenant, data()))
                script.counts[key]![3] += 1
                continue
            }
            script.events.append(try event(OrderEventType.paymentCaptured, day, index + 1, tenant: tenant, data()))
            script.counts[key]![1] += 1
            var figures = script.money["\(key)|\(currency)", default: Array(repeating: 0, count: 6)]
            figures[0] += 1
            figures[1] += price.amount.value
            figures[2] += price.amount.value - cost.amount.value
            script.hotels[tenant, default: [:]][hotel, default: (0, 0)].0 += 1
            script.hotels[tenant]![hotel]!.1 += nights
            script.stays[key, default: []].append((checkIn.dayNumber - CalendarDate(day)!.dayNumber, nights))
            if index % 5 == 0 {
                let penalty = Money(Amount(index % 2 == 0 ? Decimal(0) : Decimal(string: "15.50")!), currency)
                script.events.append(try event(OrderEventType.cancelled, day, index + 2, tenant: tenant, data(penalty: penalty)))
                script.counts[key]![2] += 1
                figures[3] += 1
                figures[4] += price.amount.value
                figures[5] += penalty.amount.value
            }
            script.money["\(key)|\(currency)"] = figures
        }
        for index in 0..<searches {
            let tenant = script.tenants[index % 2], day = script.days[(index / 2) % 3]
            let search = SearchPerformed(
                searchId: "s\(index)", destination: "city:\(cities[index % 4]),XX", checkIn: CalendarDate("2026-12-20")!, checkOut: CalendarDate("2026-12-22")!,
                rooms: 1, currency: "EUR", hotels: index % 9, latencyMs: 20 + index % 80)
            script.events.append(try event(SearchPerformed.type, day, index, tenant: tenant, search))
            script.counts["\(tenant)|\(day)", default: [0, 0, 0, 0, 0]][4] += 1
        }
        for index in 0..<calls {
            let supplier = script.suppliers[index % 3], ok = index % 10 != 0
            let call = SupplierCallEvent(
                supplier: supplier, operation: "availability", outcome: ok ? "ok" : "timeout", latencyMs: Double(1 + index % 100), attempt: 1,
                at: at(script.days[index % 3], index))
            script.events.append(try event(SupplierCallEvent.type, script.days[index % 3], index, tenant: nil, call))
            script.calls[supplier, default: (0, 0)].0 += 1
            if ok { script.calls[supplier]!.1 += 1 }
        }
        return script
    }

    static func decimal(_ value: Any?) -> Decimal? { (value as? String).flatMap { Decimal(string: $0) } }

    @Test func tenThousandEventsWithDuplicatesAreCountedOnceAndEveryReportAddsUp() async throws {
        try await BIStack.run { stack in
            let script = try Self.scripted(orders: 2_000, searches: 4_100, calls: 1_500)
            #expect(script.events.count == 10_000)
            var generator = SystemRandomNumberGenerator()
            let duplicates = Array(script.events.shuffled(using: &generator).prefix(1_000))
            try await BIStack.publish((script.events + duplicates).shuffled(using: &generator))
            let unique = script.events.filter { $0.tenantId != nil }.count
            var stored = 0
            #expect(try await eventually(within: .seconds(90)) {
                stored = try await stack.stored(tenants: script.tenants)
                return stored == unique
            }, "each tenant event stored once: \(stored) of \(unique)")
            let supplierList = script.suppliers.map(ClickHouse.literal).joined(separator: ", ")
            let calls = try await stack.clickhouse.rows("SELECT toString(count()) AS n FROM events FINAL WHERE type = 'supplier.call' AND supplier IN (\(supplierList))")
            #expect(calls.first?["n"] == .string("1500"), "every supplier call once")

            let range = "from=2026-11-01&to=2026-11-03"
            let tenant = script.tenants[0], distributor = CallerIdentity(tenantId: tenant, role: "distributor")

            // GMV by day and currency, the distributor's own: no margin.
            let gmv = try await stack.report("gmv", range, as: distributor)
            #expect(gmv.status == 200, "\(gmv.text.prefix(300))")
            let gmvRows = (gmv.json["rows"] as? [[String: Any]]) ?? []
            #expect(gmvRows.count == script.money.keys.filter { $0.hasPrefix(tenant + "|") }.count && gmvRows.allSatisfy { $0["margin"] == nil }, "\(gmvRows.prefix(2))")
            for row in gmvRows {
                let key = "\(tenant)|\(row["date"] as? String ?? "")|\(row["currency"] as? String ?? "")"
                let expected = try #require(script.money[key], "\(key)")
                #expect(row["bookings"] as? Int == NSDecimalNumber(decimal: expected[0]).intValue && Self.decimal(row["gmv"]) == expected[1]
                        && row["cancellations"] as? Int == NSDecimalNumber(decimal: expected[3]).intValue && Self.decimal(row["cancelled_gmv"]) == expected[4]
                        && Self.decimal(row["penalties"]) == expected[5], "\(key): \(row) vs \(expected)")
            }
            // The operators' GMV by tenant, with the margin.
            let byTenant = try await stack.report("gmv", range + "&group_by=tenant", as: ServiceStack.admin)
            for row in ((byTenant.json["rows"] as? [[String: Any]]) ?? []) where script.tenants.contains(row["tenant_id"] as? String ?? "") {
                let prefix = "\(row["tenant_id"] as? String ?? "")|", currency = row["currency"] as? String ?? ""
                let expected = script.money.filter { $0.key.hasPrefix(prefix) && $0.key.hasSuffix("|" + currency) }.values
                #expect(Self.decimal(row["gmv"]) == expected.reduce(0) { $0 + $1[1] } && Self.decimal(row["margin"]) == expected.reduce(0) { $0 + $1[2] }, "\(row)")
            }
            #expect(((byTenant.json["rows"] as? [[String: Any]]) ?? []).filter { script.tenants.contains($0["tenant_id"] as? String ?? "") }.count == 6)

            // Bookings and conversion by day.
            let bookings = try await stack.report("bookings", range, as: distributor)
            let conversion = try await stack.report("conversion", range, as: distributor)
            for day in script.days {
                let expected = try #require(script.counts["\(tenant)|\(day)"])
                let row = try #require(((bookings.json["rows"] as? [[String: Any]]) ?? []).first { $0["date"] as? String == day }, "\(bookings.text.prefix(300))")
                #expect(row["orders"] as? Int == expected[0] && row["bookings"] as? Int == expected[1] && row["cancellations"] as? Int == expected[2]
                        && row["closed"] as? Int == expected[3], "\(day): \(row) vs \(expected)")
                #expect(abs((row["cancellation_rate"] as? Double ?? -1) - Double(expected[2]) / Double(expected[1])) < 0.0001)
                let converted = try #require(((conversion.json["rows"] as? [[String: Any]]) ?? []).first { $0["date"] as? String == day })
                #expect(converted["searches"] as? Int == expected[4] && converted["bookings"] as? Int == expected[1], "\(converted)")
                #expect(abs((converted["conversion"] as? Double ?? -1) - Double(expected[1]) / Double(expected[4])) < 0.0001)
            }

            // Suppliers (operators only): calls, successes and latency.
            let suppliers = try await stack.report("suppliers", range, as: ServiceStack.admin)
            for supplier in script.suppliers {
                let row = try #require(((suppliers.json["rows"] as? [[String: Any]]) ?? []).first { $0["supplier"] as? String == supplier })
                let (made, succeeded) = script.calls[supplier]!
                #expect(row["calls"] as? Int == made && row["succeeded"] as? Int == succeeded, "\(row)")
                let median = row["latency_p50_ms"] as? Double ?? 0, p99 = row["latency_p99_ms"] as? Double ?? 0
                #expect(median > 40 && median < 61 && p99 > 95 && p99 <= 100, "latencies spread 1-100 ms: \(row)")
            }
            #expect(try await stack.report("suppliers", range, as: distributor).status == 404, "not a distributor's report")
            #expect(try await stack.report("gmv", range + "&group_by=supplier", as: distributor).status == 400)

            // Top hotels and stays.
            let top = try await stack.report("top-hotels", range + "&limit=3", as: distributor)
            let ranked = script.hotels[tenant]!.sorted { ($0.value.0, $0.value.1, -$0.key) > ($1.value.0, $1.value.1, -$1.key) }
            let topRows = (top.json["rows"] as? [[String: Any]]) ?? []
            #expect(topRows.count == 3 && topRows.map { $0["bookings"] as? Int ?? 0 } == ranked.prefix(3).map(\.value.0), "\(topRows) vs \(ranked.prefix(3))")
            let stays = try await stack.report("stays", range, as: distributor)
            for row in (stays.json["rows"] as? [[String: Any]]) ?? [] {
                let each = try #require(script.stays["\(tenant)|\(row["date"] as? String ?? "")"])
                let lead = Double(each.map(\.0).reduce(0, +)) / Double(each.count), nights = Double(each.map(\.1).reduce(0, +)) / Double(each.count)
                #expect(abs((row["average_lead_days"] as? Double ?? 0) - lead) < 0.01 && abs((row["average_nights"] as? Double ?? 0) - nights) < 0.01, "\(row)")
            }

            // CSV: the same rows.
            let csv = try await stack.service.exchange(.get, "/api/v1/reports/gmv?\(range)&format=csv", body: nil, as: distributor)
            let table = try CSVTable(parsing: csv.body)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true && table.header.first == "date" && table.rows.count == gmvRows.count)
            // Bad requests are named.
            #expect(try await stack.report("nothing", range, as: distributor).status == 404)
            #expect(try await stack.report("gmv", "from=2026-11-03&to=2026-11-01", as: distributor).status == 400)
        }
    }
}
