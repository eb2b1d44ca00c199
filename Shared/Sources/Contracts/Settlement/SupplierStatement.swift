// A supplier's statement: what it bills the platform for, one row per booking, as CSV with the
// header `supplier_reference,our_reference,check_in,check_out,amount,currency`. The simulator
// writes it; settlement reads it (uploaded by an operator or fetched through supplier-adapter).

import FoundationEssentials

public struct SupplierStatementRow: Codable, Sendable, Equatable {
    public var supplierReference: String
    /// The reference the platform booked under (the order number); some suppliers leave it out.
    public var ourReference: String?
    public var checkIn: CalendarDate
    public var checkOut: CalendarDate
    public var amount: Amount
    public var currency: String

    public init(supplierReference: String, ourReference: String?, checkIn: CalendarDate, checkOut: CalendarDate, amount: Amount, currency: String) {
        (self.supplierReference, self.ourReference, self.checkIn, self.checkOut, self.amount, self.currency) =
            (supplierReference, ourReference, checkIn, checkOut, amount, currency)
    }

    enum CodingKeys: String, CodingKey {
        case supplierReference = "supplier_reference", ourReference = "our_reference", checkIn = "check_in", checkOut = "check_out", amount, currency
    }
}

public enum SupplierStatementCSV {
    public static let header = ["supplier_reference", "our_reference", "check_in", "check_out", "amount", "currency"]
    public static let maximumRows = 100_000

    public static func table(_ rows: [SupplierStatementRow]) -> CSVTable {
        CSVTable(header: header, rows: rows.map {
            [$0.supplierReference, $0.ourReference ?? "", $0.checkIn.description, $0.checkOut.description, $0.amount.description, $0.currency]
        })
    }

    /// What is wrong with a statement, naming the line and the column.
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public var line: Int
        public var column: String?
        public var reason: String
        public var description: String { "line \(line)\(column.map { ", column \($0)" } ?? ""): \(reason)" }
    }

    public static func rows(_ text: String) throws(Invalid) -> [SupplierStatementRow] {
        let table: CSVTable
        do { table = try CSVTable(parsing: text) } catch { throw Invalid(line: error.line, column: nil, reason: error.reason) }
        let missing = header.filter { !table.header.contains($0) }
        guard missing.isEmpty else { throw Invalid(line: 1, column: nil, reason: "the header lacks \(missing.joined(separator: ", ")) (expected \(header.joined(separator: ",")))") }
        guard table.rows.count <= maximumRows else { throw Invalid(line: 1, column: nil, reason: "more than \(maximumRows) rows: split the statement") }
        let index = Dictionary(uniqueKeysWithValues: table.header.enumerated().map { ($1, $0) })
        var rows: [SupplierStatementRow] = []
        for (number, fields) in table.rows.enumerated() {
            let line = table.lines[number]
            func cell(_ name: String) -> String { fields[index[name]!].trimmed }
            func date(_ name: String) throws(Invalid) -> CalendarDate {
                guard let date = CalendarDate(cell(name)) else { throw Invalid(line: line, column: name, reason: "\"\(cell(name))\" is not a date (YYYY-MM-DD)") }
                return date
            }
            let reference = cell("supplier_reference")
            guard !reference.isEmpty, reference.count <= 100 else { throw Invalid(line: line, column: "supplier_reference", reason: "required, at most 100 characters") }
            let checkIn = try date("check_in"), checkOut = try date("check_out")
            guard checkIn < checkOut else { throw Invalid(line: line, column: "check_out", reason: "must be after check_in") }
            guard let amount = Amount(cell("amount")), amount >= .zero else {
                throw Invalid(line: line, column: "amount", reason: "\"\(cell("amount"))\" is not a decimal amount of at least 0 (a dot for decimals, no thousands separator)")
            }
            let currency = cell("currency").uppercased()
            guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw Invalid(line: line, column: "currency", reason: "\"\(cell("currency"))\" is not an ISO 4217 code")
            }
            let ours = cell("our_reference")
            rows.append(SupplierStatementRow(supplierReference: reference, ourReference: ours.isEmpty ? nil : ours, checkIn: checkIn, checkOut: checkOut,
                                             amount: amount, currency: currency))
        }
        return rows
    }
}

/// A difference between a supplier's statement and the platform's books.
public struct StatementDiscrepancy: Codable, Sendable, Equatable, Hashable {
    public enum Kind: String, Codable, Sendable {
        /// Both list the booking, at different amounts (or currencies).
        case amountMismatch = "amount_mismatch"
        /// The supplier bills a booking the platform does not have.
        case missingOurs = "missing_ours"
        /// The platform has a booking the supplier does not bill.
        case missingTheirs = "missing_theirs"
    }

    public var kind: Kind
    public var supplierReference: String
    public var ourReference: String?
    /// What the platform's books say it owes.
    public var ours: Money?
    /// What the supplier bills.
    public var theirs: Money?

    public init(kind: Kind, supplierReference: String, ourReference: String?, ours: Money?, theirs: Money?) {
        (self.kind, self.supplierReference, self.ourReference, self.ours, self.theirs) = (kind, supplierReference, ourReference, ours, theirs)
    }

    enum CodingKeys: String, CodingKey { case kind, supplierReference = "supplier_reference", ourReference = "our_reference", ours, theirs }
}

/// The events settlement publishes.
public enum SettlementEventType {
    /// A statement was issued (data: the statement without its lines).
    public static let statementIssued = "statement.issued"
    /// A supplier's statement was reconciled (data: the counts and the period).
    public static let reconciliationCompleted = "reconciliation.completed"
}
