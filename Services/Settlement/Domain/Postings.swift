// What an order event means to the ledger, pure: entries, each in one currency and balanced.
//   payment.captured: the sale (Dr receivable:<tenant>, Cr sales: the credit captured, in the
//     tenant account's currency) and the purchase (Dr cost_of_sales, Cr payable:<supplier>: the net,
//     in the supplier's currency).
//   order.cancelled: the refund (Dr sales, Cr receivable:<tenant>), the penalty kept moved from
//     sales to penalty_income, and the purchase reversed less what the supplier charges for it.
// Each entry stands alone: the same sums whatever order the events arrive in.

import FoundationEssentials
import Shared

struct LedgerLine: Sendable, Equatable {
    var account: String
    var debit: Amount
    var credit: Amount
}

struct LedgerEntry: Sendable, Equatable {
    enum Kind: String, Sendable { case sale, purchase, refund, penalty, purchaseReversal = "purchase_reversal" }

    var kind: Kind
    var currency: String
    var lines: [LedgerLine]

    var isBalanced: Bool { lines.reduce(Amount.zero) { $0 + $1.debit } == lines.reduce(Amount.zero) { $0 + $1.credit } }

    static func transfer(_ kind: Kind, _ money: Money, debit: String, credit: String) -> LedgerEntry? {
        guard money.amount > .zero else { return nil }
        return LedgerEntry(kind: kind, currency: money.currency, lines: [
            LedgerLine(account: debit, debit: money.amount, credit: .zero), LedgerLine(account: credit, debit: .zero, credit: money.amount),
        ])
    }
}

enum Postings {
    static func receivable(_ tenant: String) -> String { "receivable:\(tenant)" }
    static func payable(_ supplier: String) -> String { "payable:\(supplier)" }

    static func entries(for type: String, tenant: String, _ data: OrderEventData) -> [LedgerEntry] {
        let charge = data.internal.charge ?? data.order.price
        switch type {
        case OrderEventType.paymentCaptured:
            return [
                LedgerEntry.transfer(.sale, charge, debit: receivable(tenant), credit: "sales"),
                LedgerEntry.transfer(.purchase, data.internal.net, debit: "cost_of_sales", credit: payable(data.internal.supplier)),
            ].compactMap { $0 }
        case OrderEventType.cancelled:
            let refunded = data.order.refunded ?? Money(.zero, charge.currency)
            let kept = Money(charge.amount - refunded.amount, charge.currency)
            let supplierKept = data.internal.supplierPenalty.map { min($0.amount, data.internal.net.amount) } ?? .zero
            return [
                LedgerEntry.transfer(.refund, refunded, debit: "sales", credit: receivable(tenant)),
                LedgerEntry.transfer(.penalty, kept, debit: "sales", credit: "penalty_income"),
                LedgerEntry.transfer(
                    .purchaseReversal, Money(data.internal.net.amount - supplierKept, data.internal.net.currency), debit: payable(data.internal.supplier),
                    credit: "cost_of_sales"),
            ].compactMap { $0 }
        default:
            return []
        }
    }
}
