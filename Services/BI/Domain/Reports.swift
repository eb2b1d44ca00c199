// The reports, pure: each a SELECT over `events` (read FINAL: every event once) for a date range of
// the events' days, grouped as asked, and the columns it answers. A distributor's reports are
// narrowed to its own events and never show what only the platform may know (margin, suppliers).

import Shared

enum ReportName: String, CaseIterable, Sendable {
    case gmv, bookings, conversion, suppliers, topHotels = "top-hotels", topCities = "top-cities", stays
}

enum Grouping: String, CaseIterable, Sendable {
    case day, tenant, supplier, city

    /// The answer's column (ClickHouse aliases are query-wide: `day` stays the table's).
    var column: String {
        switch self {
        case .day: "date"
        case .tenant: "tenant_id"
        case .supplier: "supplier"
        case .city: "city"
        }
    }
}

struct ReportColumn: Sendable, Equatable {
    enum Kind: Sendable { case text, count, money, ratio, number }
    var name: String
    var kind: Kind
}

struct ReportRequest: Sendable, Equatable {
    var name: ReportName
    var period: StatementPeriod
    var groupBy: Grouping
    /// A distributor's own reports: only its events, nothing platform-only.
    var tenant: String?
    var limit: Int = 20

    /// What grouping each report allows, and its default.
    static func groupings(_ name: ReportName, forDistributor: Bool) -> [Grouping] {
        switch name {
        case .gmv, .bookings, .stays: forDistributor ? [.day, .city] : [.day, .tenant, .supplier, .city]
        case .conversion: forDistributor ? [.day, .city] : [.day, .tenant, .city]
        case .suppliers: forDistributor ? [] : [.supplier, .day]
        case .topHotels, .topCities: [.day]
        }
    }
}

struct ReportPlan: Sendable, Equatable {
    var columns: [ReportColumn]
    var sql: String
}

enum Reports {
    static let captured = "'payment.captured'"

    static func plan(_ request: ReportRequest) -> ReportPlan {
        let key = request.groupBy.column
        let group = request.groupBy == .day ? "toString(day) AS date" : key
        let keyColumn = ReportColumn(name: key, kind: .text)
        let distributor = request.tenant != nil
        func scope(_ types: [String]) -> String {
            var conditions = [
                "type IN (\(types.map { "'\($0)'" }.joined(separator: ", ")))",
                "day BETWEEN toDate('\(request.period.from)') AND toDate('\(request.period.to)')",
            ]
            if let tenant = request.tenant { conditions.append("tenant_id = \(ClickHouse.literal(tenant))") }
            return "FROM events FINAL WHERE " + conditions.joined(separator: " AND ")
        }
        let nights = "(toRelativeDayNum(check_out) - toRelativeDayNum(check_in))"
        switch request.name {
        case .gmv:
            var columns = [keyColumn, .init(name: "currency", kind: .text), .init(name: "bookings", kind: .count),
                           .init(name: "gmv", kind: .money)]
            var selects = [group, "currency", "countIf(type = \(captured)) AS bookings", "toString(sumIf(price, type = \(captured))) AS gmv"]
            if !distributor {
                columns.append(.init(name: "margin", kind: .money))
                selects.append("toString(sumIf(price - cost, type = \(captured) AND has_cost = 1)) AS margin")
            }
            columns += [.init(name: "cancellations", kind: .count), .init(name: "cancelled_gmv", kind: .money), .init(name: "penalties", kind: .money)]
            selects += ["countIf(type = 'order.cancelled') AS cancellations", "toString(sumIf(price, type = 'order.cancelled')) AS cancelled_gmv",
                        "toString(sumIf(penalty, type = 'order.cancelled')) AS penalties"]
            return ReportPlan(columns: columns, sql: """
                SELECT \(selects.joined(separator: ", ")) \(scope(["payment.captured", "order.cancelled"]))
                GROUP BY \(key), currency ORDER BY \(key), currency
                """)
        case .bookings:
            return ReportPlan(
                columns: [keyColumn, .init(name: "orders", kind: .count), .init(name: "bookings", kind: .count),
                          .init(name: "cancellations", kind: .count), .init(name: "closed", kind: .count), .init(name: "cancellation_rate", kind: .ratio)],
                sql: """
                    SELECT \(group), countIf(type = 'order.created') AS orders, countIf(type = \(captured)) AS bookings,
                        countIf(type = 'order.cancelled') AS cancellations, countIf(type = 'order.closed') AS closed,
                        if(bookings = 0, 0, cancellations / bookings) AS cancellation_rate
                    \(scope(["order.created", "payment.captured", "order.cancelled", "order.closed"]))
                    GROUP BY \(key) ORDER BY \(key)
                    """)
        case .conversion:
            return ReportPlan(
                columns: [keyColumn, .init(name: "searches", kind: .count), .init(name: "bookings", kind: .count),
                          .init(name: "conversion", kind: .ratio)],
                sql: """
                    SELECT \(group), countIf(type = '\(SearchPerformed.type)') AS searches, countIf(type = \(captured)) AS bookings,
                        if(searches = 0, 0, bookings / searches) AS conversion
                    \(scope([SearchPerformed.type, "payment.captured"]))
                    GROUP BY \(key) ORDER BY \(key)
                    """)
        case .suppliers:
            return ReportPlan(
                columns: [keyColumn, .init(name: "calls", kind: .count), .init(name: "succeeded", kind: .count),
                          .init(name: "success_rate", kind: .ratio), .init(name: "latency_p50_ms", kind: .number), .init(name: "latency_p95_ms", kind: .number),
                          .init(name: "latency_p99_ms", kind: .number)],
                sql: """
                    SELECT \(group), count() AS calls, countIf(outcome = 'ok') AS succeeded, succeeded / calls AS success_rate,
                        quantile(0.5)(latency_ms) AS latency_p50_ms, quantile(0.95)(latency_ms) AS latency_p95_ms, quantile(0.99)(latency_ms) AS latency_p99_ms
                    \(scope([SupplierCallEvent.type]))
                    GROUP BY \(key) ORDER BY \(key)
                    """)
        case .topHotels, .topCities:
            let name = request.name == .topHotels ? "hotel" : "city"
            var columns = [ReportColumn(name: name, kind: .text)]
            var selects = [request.name == .topHotels ? "toString(hotel_id) AS hotel" : "city"]
            if request.name == .topHotels {
                columns.append(.init(name: "hotel_city", kind: .text))
                selects.append("any(city) AS hotel_city")
            }
            columns += [.init(name: "bookings", kind: .count), .init(name: "room_nights", kind: .count)]
            selects += ["count() AS bookings", "sum(\(nights)) AS room_nights"]
            return ReportPlan(columns: columns, sql: """
                SELECT \(selects.joined(separator: ", ")) \(scope(["payment.captured"]))
                GROUP BY \(name) ORDER BY bookings DESC, room_nights DESC, \(name) LIMIT \(request.limit)
                """)
        case .stays:
            return ReportPlan(
                columns: [keyColumn, .init(name: "bookings", kind: .count), .init(name: "average_lead_days", kind: .number),
                          .init(name: "average_nights", kind: .number)],
                sql: """
                    SELECT \(group), count() AS bookings, avg(toRelativeDayNum(check_in) - toRelativeDayNum(day)) AS average_lead_days,
                        avg(\(nights)) AS average_nights
                    \(scope(["payment.captured"]))
                    GROUP BY \(key) ORDER BY \(key)
                    """)
        }
    }
}
