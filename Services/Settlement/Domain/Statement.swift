// A statement: what one party owes or is owed for one settlement cycle, in one currency, with its
// gapless invoice number and its lines (one per ledger posting on the party's account).

import FoundationEssentials
import Shared

struct StatementLine: Codable, Sendable, Equatable {
    var orderId: String
    /// The ledger entry's kind: sale, refund, purchase, purchase_reversal.
    var kind: String
    var occurredAt: Date
    /// Adds to what is owed (a refund or a reversal is negative).
    var amount: Amount

    enum CodingKeys: String, CodingKey { case orderId = "order_id", kind, occurredAt = "occurred_at", amount }
}

struct Statement: Codable, Sendable, Equatable {
    var id: UUID
    var invoiceNumber: String
    var partyKind: PartyKind
    var party: String
    var currency: String
    /// The previous cycle's end (none for the first cycle).
    var periodStart: Date?
    var periodEnd: Date
    /// What the distributor owes the platform, or the platform owes the supplier, for the cycle.
    var total: Amount
    var lineCount: Int
    var issuedAt: Date
    var lines: [StatementLine]?

    enum CodingKeys: String, CodingKey {
        case id, invoiceNumber = "invoice_number", partyKind = "party_kind", party, currency, periodStart = "period_start", periodEnd = "period_end"
        case total, lineCount = "line_count", issuedAt = "issued_at", lines
    }

    /// The download: the header's facts, then a row per line.
    var csv: CSVTable {
        CSVTable(header: ["invoice_number", "party_kind", "party", "currency", "period_start", "period_end", "order_id", "kind", "occurred_at", "amount"],
                 rows: (lines ?? []).map { line in
                     [invoiceNumber, partyKind.rawValue, party, currency, periodStart.map(Timestamp.iso8601Milliseconds) ?? "", Timestamp.iso8601Milliseconds(periodEnd),
                      line.orderId, line.kind, Timestamp.iso8601Milliseconds(line.occurredAt), line.amount.description]
                 } + [[invoiceNumber, partyKind.rawValue, party, currency, "", "", "", "total", "", total.description]])
    }
}

/// A closed cycle and what it issued.
struct CycleClosing: Codable, Sendable {
    var cycleStart: Date?
    var cycleEnd: Date
    var closedBy: String
    var closedAt: Date
    /// False when the cycle was already closed (by another replica, the schedule or an operator).
    var closedNow: Bool
    var statements: [Statement]

    enum CodingKeys: String, CodingKey { case cycleStart = "cycle_start", cycleEnd = "cycle_end", closedBy = "closed_by", closedAt = "closed_at", closedNow = "closed_now", statements }
}
