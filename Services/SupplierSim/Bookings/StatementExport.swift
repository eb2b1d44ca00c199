// A simulated supplier's statement: what it bills for the stays checking out in a period (a
// confirmed booking at its net, a cancelled one at the penalty it charged, if any), with a few
// deliberate mistakes a reconciliation must find, and the list of them as ground truth:
//   every 7th billed line (the 4th, 11th, ...) overcharged by 10 % (amount_mismatch),
//   every 7th billed line (the 6th, 13th, ...) left out (missing_theirs: we have it, they do not bill it),
//   one booking the platform never made, when anything is billed at all (missing_ours).

import FoundationEssentials
import Shared

struct StatementExport: Equatable {
    var rows: [SupplierStatementRow]
    var planted: [StatementDiscrepancy]

    static func make(supplier: String, bookings: [SupplierBooking], penalties: [String: Amount], period: StatementPeriod) -> StatementExport {
        let billed: [SupplierStatementRow] = bookings.filter { period.contains($0.checkOut) }.sorted { $0.reference < $1.reference }.compactMap { booking in
            let amount = booking.status == .confirmed ? booking.net : penalties[booking.reference] ?? .zero
            guard amount > .zero else { return nil }
            return SupplierStatementRow(supplierReference: booking.reference, ourReference: booking.clientReference, checkIn: booking.checkIn,
                                        checkOut: booking.checkOut, amount: amount, currency: booking.currency)
        }
        var export = StatementExport(rows: [], planted: [])
        for (index, row) in billed.enumerated() {
            let ours = Money(row.amount, row.currency)
            switch index % 7 {
            case 3:
                var wrong = row
                wrong.amount = Amount(row.amount.value * 11 / 10).rounded(toScale: 2)
                export.rows.append(wrong)
                export.planted.append(.init(kind: .amountMismatch, supplierReference: row.supplierReference, ourReference: row.ourReference, ours: ours,
                                            theirs: Money(wrong.amount, row.currency)))
            case 5:
                export.planted.append(.init(kind: .missingTheirs, supplierReference: row.supplierReference, ourReference: row.ourReference, ours: ours, theirs: nil))
            default:
                export.rows.append(row)
            }
        }
        if let first = billed.first {
            let phantom = SupplierStatementRow(
                supplierReference: "\(supplier.uppercased())-X\(period.to.dayNumber)", ourReference: nil, checkIn: period.to.adding(days: -1), checkOut: period.to,
                amount: Amount(digits: 12345, scale: 2), currency: first.currency)
            export.rows.append(phantom)
            export.planted.append(.init(kind: .missingOurs, supplierReference: phantom.supplierReference, ourReference: nil, ours: nil,
                                        theirs: Money(phantom.amount, phantom.currency)))
        }
        return export
    }
}
