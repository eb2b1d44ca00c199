// Supplier reconciliation for operators (through the gateway):
//   POST /api/v1/admin/settlement/reconciliations?supplier=&from=&to=   body text/csv: an uploaded statement (period defaults to its check-outs)
//   POST /api/v1/admin/settlement/reconciliations {supplier, from, to}  JSON: the supplier's own statement, fetched through supplier-adapter
//   GET  /api/v1/admin/settlement/reconciliations[?supplier=&page=&page_size=]
//   GET  /api/v1/admin/settlement/reconciliations/{id}[?format=csv]    with every match and discrepancy

import FoundationEssentials
import Hummingbird
import Shared

struct ReconciliationController: Sendable {
    let desk: ReconciliationDesk
    let repository: ReconciliationRepository

    struct Fetch: Decodable {
        var supplier: String
        var from: CalendarDate
        var to: CalendarDate
    }

    func add(to router: Router<PlatformRequestContext>) {
        let admin = router.group("api/v1/admin/settlement/reconciliations")
        admin.post { request, context in
            let caller = "operator:\(try context.requireOperator().tenantId)"
            let done: Reconciliation
            if request.headers[.contentType]?.lowercased().hasPrefix("text/csv") == true {
                let supplier = try TextRule(length: 1...64).check(request.uri.queryParameters["supplier"].map(String.init), field: "supplier", code: "invalid_query")
                guard let supplier else { throw Problem(.badRequest, code: "invalid_query", detail: "Name the supplier: ?supplier=<code>.") }
                let period = request.uri.queryParameters["from"] == nil && request.uri.queryParameters["to"] == nil ? nil : try request.statementPeriod()
                let body = try await request.body.collect(upTo: context.maxUploadSize)
                guard let csv = String(validating: body.readableBytesView, as: UTF8.self) else {
                    throw Problem(.unprocessableContent, code: "invalid_statement", detail: "The statement must be UTF-8 text.")
                }
                done = try await desk.upload(supplier: supplier, csv: csv, period: period, by: caller)
            } else {
                let fetch = try await request.decode(as: Fetch.self, context: context)
                _ = try TextRule(length: 1...64).check(fetch.supplier, field: "supplier", code: "invalid_field")
                let period = try StatementPeriod(from: fetch.from, to: fetch.to).validated()
                done = try await desk.fetch(supplier: fetch.supplier, period: period, by: caller, origin: context.origin)
            }
            return try PlatformJSON.answer(done, replayed: false, status: .created)
        }
        admin.get { request, context in
            _ = try context.requireOperator()
            let paging = try request.paging()
            let supplier = try TextRule(length: 1...64).check(request.uri.queryParameters["supplier"].map(String.init), field: "supplier", code: "invalid_query")
            let found = try await repository.list(supplier: supplier, page: paging.page, size: paging.size)
            return ListPage(total: found.total, page: paging.page, pageSize: paging.size, name: "reconciliations", items: found.reconciliations)
        }
        admin.get(":id") { request, context in
            _ = try context.requireOperator()
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)), let found = try await repository.read(id) else {
                throw Problem(.notFound, code: "reconciliation_not_found", detail: "No such reconciliation.")
            }
            guard try request.wantsCSV() else { return try PlatformJSON.answer(found, replayed: false, status: .ok) }
            return found.csv.response(filename: "reconciliation-\(found.supplier)-\(found.period.from)-\(found.period.to).csv")
        }
    }
}

extension Reconciliation: ResponseEncodable {}

extension Reconciliation {
    /// Every line of the outcome: matches and discrepancies, with both amounts.
    var csv: CSVTable {
        let outcome = outcome ?? ReconciliationOutcome()
        let matches = outcome.matched.map { ["matched", $0.supplierReference, $0.ourReference ?? "", $0.amount.amount.description, $0.amount.amount.description, $0.amount.currency] }
        let differences = outcome.discrepancies.map {
            [$0.kind.rawValue, $0.supplierReference, $0.ourReference ?? "", $0.ours?.amount.description ?? "", $0.theirs?.amount.description ?? "",
             ($0.theirs ?? $0.ours)?.currency ?? ""]
        }
        return CSVTable(header: ["result", "supplier_reference", "our_reference", "ours", "theirs", "currency"], rows: differences + matches)
    }
}
