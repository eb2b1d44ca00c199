// Reconciling a supplier's statement: uploaded by an operator as CSV, or fetched from the supplier
// through supplier-adapter (bed banks publish one). Either way the lines are checked, compared
// with the bookings settlement keeps, and the outcome saved with `reconciliation.completed`.

import FoundationEssentials
import Shared

struct ReconciliationDesk: Sendable {
    let bookings: SupplierBookingRepository
    let reconciliations: ReconciliationRepository
    let adapter: SupplierAdapterClient

    /// An operator's upload: `period` defaults to the check-outs the statement spans.
    func upload(supplier: String, csv: String, period given: StatementPeriod?, by creator: String) async throws -> Reconciliation {
        let rows: [SupplierStatementRow]
        do {
            rows = try SupplierStatementCSV.rows(csv)
        } catch {
            throw Problem(.unprocessableContent, code: "invalid_statement", detail: "The statement is not valid CSV of \(SupplierStatementCSV.header.joined(separator: ",")): \(error).")
        }
        guard let period = given ?? rows.map(\.checkOut).min().map({ StatementPeriod(from: $0, to: rows.map(\.checkOut).max()!) }) else {
            throw Problem(.unprocessableContent, code: "invalid_statement", detail: "The statement has no lines: give from and to to reconcile an empty period.")
        }
        if let outside = rows.firstIndex(where: { !period.contains($0.checkOut) }) {
            throw Problem(.unprocessableContent, code: "invalid_statement",
                          detail: "Line \(outside + 2): check_out \(rows[outside].checkOut) is outside the period \(period.from) to \(period.to).")
        }
        return try await reconcile(supplier: supplier, rows: rows, period: try period.validated(), source: .upload, by: creator)
    }

    /// The supplier's own statement for `period`, fetched through supplier-adapter.
    func fetch(supplier: String, period: StatementPeriod, by creator: String, origin: CallOrigin) async throws -> Reconciliation {
        let rows: [SupplierStatementRow]
        do {
            rows = try await adapter.statement(of: supplier, period, origin: origin)
        } catch ServiceCallError.answered(_, _, let status, let code, let detail) where status < 500 {
            throw Problem(status == 404 ? .notFound : .unprocessableContent, code: code == "supplier_rejected" ? "statement_unsupported" : code ?? "statement_unavailable",
                          detail: detail)
        } catch {
            throw Problem(.badGateway, code: "statement_unavailable", detail: "The statement of \(supplier) could not be fetched: \(error).")
        }
        return try await reconcile(supplier: supplier, rows: rows.filter { period.contains($0.checkOut) }, period: period, source: .supplier, by: creator)
    }

    private func reconcile(supplier: String, rows: [SupplierStatementRow], period: StatementPeriod, source: Reconciliation.Source, by creator: String)
        async throws -> Reconciliation
    {
        let outcome = Reconciler.reconcile(ours: try await bookings.owed(to: supplier, in: period), theirs: rows)
        let reconciliation = Reconciliation(supplier: supplier, source: source, period: period, outcome: outcome, by: creator)
        try await reconciliations.save(reconciliation)
        return reconciliation
    }
}
