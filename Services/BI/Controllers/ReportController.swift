// Reports (through the gateway), each as JSON or CSV (`?format=csv`):
//   GET /api/v1/admin/reports/{name}?from=&to=&group_by=&limit=   operators: every tenant's events
//   GET /api/v1/reports/{name}?from=&to=&group_by=&limit=         a distributor: its own, without margin or suppliers
// name: gmv, bookings, conversion, suppliers (operators), top-hotels, top-cities, stays. from/to:
// the events' days (UTC), default the last 30 days; group_by as the report allows (docs/bi.md).

import FoundationEssentials
import Hummingbird
import Shared

struct ReportController: Sendable {
    let store: ClickHouse

    func add(to router: Router<PlatformRequestContext>) {
        router.get("api/v1/admin/reports/:name") { request, context in
            _ = try context.requireOperator()
            return try await answer(request, context, tenant: nil)
        }
        router.get("api/v1/reports/:name") { request, context in
            try await answer(request, context, tenant: context.requireIdentity().tenantId)
        }
    }

    func answer(_ request: Request, _ context: PlatformRequestContext, tenant: String?) async throws -> Response {
        let report = try Self.request(request, name: context.parameters.get("name") ?? "", tenant: tenant)
        let plan = Reports.plan(report)
        let rows: [[String: JSONValue]]
        do {
            rows = try await store.rows(plan.sql)
        } catch {
            context.logger.warning("report failed", metadata: ["report": .string(report.name.rawValue), "error": .string("\(error)")])
            throw Problem(.serviceUnavailable, code: "reports_unavailable", detail: "Reports cannot be read now (ClickHouse); retry shortly.", headers: [.retryAfter: "5"])
        }
        let values = rows.map { row in plan.columns.map { ReportValues.value(row[$0.name], kind: $0.kind) } }
        if try request.wantsCSV() {
            let table = CSVTable(header: plan.columns.map(\.name), rows: values.map { $0.map(ReportValues.text) })
            return table.response(filename: "\(report.name.rawValue)-\(report.period.from)-\(report.period.to).csv")
        }
        let body: JSONValue = .object([
            "report": .string(report.name.rawValue), "from": .string(report.period.from.description), "to": .string(report.period.to.description),
            "group_by": .string(report.groupBy.rawValue),
            "rows": .array(values.map { row in .object(Dictionary(uniqueKeysWithValues: zip(plan.columns.map(\.name), row))) }),
        ])
        return try PlatformJSON.answer(body, replayed: false, status: .ok)
    }

    static func request(_ request: Request, name: String, tenant: String?) throws -> ReportRequest {
        let allowed = ReportName.allCases.filter { !ReportRequest.groupings($0, forDistributor: tenant != nil).isEmpty }
        guard let report = ReportName(rawValue: name), allowed.contains(report) else {
            throw Problem(.notFound, code: "unknown_report", detail: "No report '\(name)': try \(allowed.map(\.rawValue).joined(separator: ", ")).")
        }
        let today = CalendarDate(utc: Date())
        let period = try request.statementPeriod(default: StatementPeriod(from: today.adding(days: -29), to: today))
        let groupings = ReportRequest.groupings(report, forDistributor: tenant != nil)
        let groupBy = try request.uri.queryParameters["group_by"].map { text in
            guard let grouping = Grouping(rawValue: String(text)), groupings.contains(grouping) else {
                throw Problem(.badRequest, code: "invalid_query", detail: "group_by must be one of \(groupings.map(\.rawValue).joined(separator: ", ")) for \(name).")
            }
            return grouping
        } ?? groupings[0]
        return ReportRequest(name: report, period: period, groupBy: groupBy, tenant: tenant, limit: try request.queryNumber("limit", 1...1000, default: 20))
    }
}

enum ReportValues {
    /// ClickHouse's JSON value as the report answers it: counts as integers, money as decimal text, ratios rounded.
    static func value(_ raw: JSONValue?, kind: ReportColumn.Kind) -> JSONValue {
        let text: String? = switch raw {
        case .string(let value): value
        case .integer(let value): String(value)
        case .number(let value): String(value)
        default: nil
        }
        switch kind {
        case .text: return .string(text ?? "")
        case .count: return .integer(text.flatMap { Int($0) } ?? 0)
        case .money: return .string((text.flatMap { Amount($0) } ?? .zero).description)
        case .ratio, .number:
            let number = text.flatMap(Double.init) ?? 0
            return .number((number * (kind == .ratio ? 10_000 : 100)).rounded() / (kind == .ratio ? 10_000 : 100))
        }
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .integer(let number): String(number)
        case .number(let number): String(number)
        default: ""
        }
    }
}
