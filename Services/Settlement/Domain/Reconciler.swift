// Reconciling a supplier's statement with the platform's books, pure. A billed line is matched to
// our booking by the supplier's reference, else by our reference (the order number we booked
// under); then it is `matched` (same amount and currency) or an `amount_mismatch`. A line matching
// nothing, or a booking billed twice, is `missing_ours`; a booking of ours billed by no line is
// `missing_theirs`.

import Shared

/// What the platform's books say it owes a supplier for one booking.
struct OwedBooking: Sendable, Equatable {
    var orderId: String
    var supplierReference: String?
    var ourReference: String
    var owed: Money
}

struct ReconciliationOutcome: Codable, Sendable, Equatable {
    struct Match: Codable, Sendable, Equatable {
        var supplierReference: String
        var ourReference: String?
        var orderId: String
        var amount: Money
        enum CodingKeys: String, CodingKey { case supplierReference = "supplier_reference", ourReference = "our_reference", orderId = "order_id", amount }
    }

    var matched: [Match] = []
    var discrepancies: [StatementDiscrepancy] = []

    func count(_ kind: StatementDiscrepancy.Kind) -> Int { discrepancies.count { $0.kind == kind } }
}

enum Reconciler {
    static func reconcile(ours: [OwedBooking], theirs: [SupplierStatementRow]) -> ReconciliationOutcome {
        var bySupplierReference: [String: Int] = [:], byOurReference: [String: Int] = [:]
        for (index, booking) in ours.enumerated() {
            if let reference = booking.supplierReference { bySupplierReference[reference] = index }
            byOurReference[booking.ourReference] = index
        }
        var outcome = ReconciliationOutcome()
        var billed = Set<Int>()
        for line in theirs {
            let found = bySupplierReference[line.supplierReference] ?? line.ourReference.flatMap { byOurReference[$0] }
            let theirAmount = Money(line.amount, line.currency)
            guard let index = found, billed.insert(index).inserted else {
                outcome.discrepancies.append(.init(kind: .missingOurs, supplierReference: line.supplierReference, ourReference: line.ourReference, ours: nil, theirs: theirAmount))
                continue
            }
            let booking = ours[index]
            if booking.owed == theirAmount {
                outcome.matched.append(.init(supplierReference: line.supplierReference, ourReference: booking.ourReference, orderId: booking.orderId, amount: theirAmount))
            } else {
                outcome.discrepancies.append(.init(kind: .amountMismatch, supplierReference: line.supplierReference, ourReference: booking.ourReference,
                                                   ours: booking.owed, theirs: theirAmount))
            }
        }
        for (index, booking) in ours.enumerated() where !billed.contains(index) {
            outcome.discrepancies.append(.init(kind: .missingTheirs, supplierReference: booking.supplierReference ?? "", ourReference: booking.ourReference,
                                               ours: booking.owed, theirs: nil))
        }
        return outcome
    }
}
