// Closing a settlement cycle (by the schedule or an operator) and, for each supplier with flag
// `settlement.auto.reconcile` on (the supplier's code as the flag's tenant), fetching its statement
// for the cycle's check-outs and reconciling it.

import FoundationEssentials
import Logging
import Shared

struct CycleDesk: Sendable {
    let statements: StatementRepository
    let reconciliation: ReconciliationDesk
    let schedule: CycleSchedule
    let config: ConfigClient?
    let logger: Logger
    static let autoReconcile = "settlement.auto.reconcile"

    func close(end: Date, by closer: String, origin: CallOrigin) async throws -> CycleClosing {
        let closing: CycleClosing
        do {
            closing = try await statements.close(end: end, by: closer)
        } catch StatementRepository.Refusal.beforeLastCycle(let latest) {
            throw Problem(.conflict, code: "cycle_closed", detail: "A later cycle (ending \(Timestamp.iso8601Milliseconds(latest))) is already closed: close one ending after it.")
        }
        if closing.closedNow {
            logger.info("settlement cycle closed", metadata: [
                "cycle_end": .string(Timestamp.iso8601Milliseconds(end)), "statements": .stringConvertible(closing.statements.count), "by": .string(closer)])
            await reconcileSuppliers(period: schedule.period(start: closing.cycleStart, end: end), origin: origin)
        }
        return closing
    }

    /// The schedule's cycle, when it is due and not closed yet.
    func closeDue(now: Date = Date()) async throws {
        let due = schedule.lastEnd(atOrBefore: now)
        if let last = try await statements.lastCycleEnd(), last >= due { return }
        _ = try await close(end: due, by: "schedule", origin: .job())
    }

    func reconcileSuppliers(period: StatementPeriod, origin: CallOrigin) async {
        guard let config else { return }
        let suppliers: [SupplierState]
        do {
            suppliers = try await reconciliation.adapter.suppliers(origin: origin)
        } catch {
            return logger.warning("suppliers not listed: no automatic reconciliation", metadata: ["error": .string("\(error)")])
        }
        for supplier in suppliers where config.isEnabled(Self.autoReconcile, tenant: supplier.code) {
            do {
                let done = try await reconciliation.fetch(supplier: supplier.code, period: period, by: "auto-reconcile", origin: origin)
                logger.info("supplier statement reconciled", metadata: [
                    "supplier": .string(supplier.code), "matched": .stringConvertible(done.matched), "amount_mismatches": .stringConvertible(done.amountMismatches),
                    "missing_ours": .stringConvertible(done.missingOurs), "missing_theirs": .stringConvertible(done.missingTheirs)])
            } catch {
                logger.warning("supplier statement not reconciled", metadata: ["supplier": .string(supplier.code), "error": .string("\(error)")])
            }
        }
    }
}
