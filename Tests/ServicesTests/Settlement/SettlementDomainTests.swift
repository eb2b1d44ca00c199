// Settlement's pure parts: CSV written and read back, supplier statements checked line by line,
// reconciliation's four outcomes, the cycle schedule, and the simulator's planted mistakes.

import Foundation
@testable import Settlement
@testable import Shared
@testable import SupplierSim
import Testing

@Suite struct SettlementDomainTests {
    @Test func csvRoundTripsQuotesCommasAndLineBreaksAndDisarmsFormulas() throws {
        let table = CSVTable(header: ["a", "b", "c"], rows: [["plain", "with, comma", "say \"hi\""], ["two\nlines", "=SUM(A1)", "-12.50"]])
        let read = try CSVTable(parsing: table.text)
        #expect(read.header == ["a", "b", "c"])
        #expect(read.rows == [["plain", "with, comma", "say \"hi\""], ["two\nlines", "'=SUM(A1)", "-12.50"]], "a formula is quoted as text; a negative amount is left alone")
        #expect(read.lines == [2, 3])
        #expect(throws: CSVTable.Malformed(line: 2, reason: "a quoted field is not closed")) { try CSVTable(parsing: "a,b\n\"x,y\n") }
        #expect(throws: CSVTable.Malformed(line: 3, reason: "1 fields where the header has 2")) { try CSVTable(parsing: "a,b\r\n1,2\r\n3\r\n") }
    }

    @Test func aSupplierStatementIsCheckedLineByLine() throws {
        let header = "supplier_reference,our_reference,check_in,check_out,amount,currency\n"
        let rows = try SupplierStatementCSV.rows(header + "R1,HP1,2027-01-01,2027-01-03,120.50,eur\nR2,,2027-01-02,2027-01-04,80,USD\n")
        #expect(rows == [
            SupplierStatementRow(supplierReference: "R1", ourReference: "HP1", checkIn: CalendarDate("2027-01-01")!, checkOut: CalendarDate("2027-01-03")!,
                                 amount: Amount("120.50")!, currency: "EUR"),
            SupplierStatementRow(supplierReference: "R2", ourReference: nil, checkIn: CalendarDate("2027-01-02")!, checkOut: CalendarDate("2027-01-04")!,
                                 amount: Amount("80")!, currency: "USD"),
        ])
        #expect(SupplierStatementCSV.table(rows).text.hasPrefix(header.replacing("\n", with: "\r\n")))
        #expect(throws: SupplierStatementCSV.Invalid(line: 3, column: "check_out", reason: "\"2027-13-01\" is not a date (YYYY-MM-DD)")) {
            try SupplierStatementCSV.rows(header + "R1,HP1,2027-01-01,2027-01-03,1,EUR\nR2,HP2,2027-01-01,2027-13-01,1,EUR\n")
        }
        #expect(throws: SupplierStatementCSV.Invalid.self) { try SupplierStatementCSV.rows(header + "R1,HP1,2027-01-01,2027-01-03,1 200.00,EUR\n") }
        #expect(throws: SupplierStatementCSV.Invalid.self) { try SupplierStatementCSV.rows(header + "R1,HP1,2027-01-03,2027-01-01,10,EUR\n") }
        #expect(throws: SupplierStatementCSV.Invalid.self) { try SupplierStatementCSV.rows("reference,amount\nR1,10\n") }
    }

    @Test func reconciliationFindsMatchesMismatchesAndWhatEitherSideLacks() {
        func money(_ text: String, _ currency: String = "EUR") -> Money { Money(Amount(text)!, currency) }
        let ours = [
            OwedBooking(orderId: "o1", supplierReference: "S1", ourReference: "HP1", owed: money("100.00")),
            OwedBooking(orderId: "o2", supplierReference: "S2", ourReference: "HP2", owed: money("50.00")),
            OwedBooking(orderId: "o3", supplierReference: nil, ourReference: "HP3", owed: money("70.00")),
            OwedBooking(orderId: "o4", supplierReference: "S4", ourReference: "HP4", owed: money("10.00")),
            OwedBooking(orderId: "o5", supplierReference: "S5", ourReference: "HP5", owed: money("10.00")),
        ]
        func line(_ reference: String, _ our: String?, _ amount: String, _ currency: String = "EUR") -> SupplierStatementRow {
            SupplierStatementRow(supplierReference: reference, ourReference: our, checkIn: CalendarDate("2027-01-01")!, checkOut: CalendarDate("2027-01-02")!,
                                 amount: Amount(amount)!, currency: currency)
        }
        let theirs = [
            line("S1", "HP1", "100"),  // matched (100 = 100.00)
            line("S2", "HP2", "55.00"),  // amount mismatch
            line("X3", "HP3", "70.00"),  // matched by our reference
            line("S9", nil, "20.00"),  // not ours
            line("S1", "HP1", "100.00"),  // billed twice
            line("S5", "HP5", "10.00", "USD"),  // another currency
        ]
        let outcome = Reconciler.reconcile(ours: ours, theirs: theirs)
        #expect(outcome.matched.map(\.orderId) == ["o1", "o3"])
        #expect(outcome.discrepancies == [
            StatementDiscrepancy(kind: .amountMismatch, supplierReference: "S2", ourReference: "HP2", ours: money("50.00"), theirs: money("55.00")),
            StatementDiscrepancy(kind: .missingOurs, supplierReference: "S9", ourReference: nil, ours: nil, theirs: money("20.00")),
            StatementDiscrepancy(kind: .missingOurs, supplierReference: "S1", ourReference: "HP1", ours: nil, theirs: money("100.00")),
            StatementDiscrepancy(kind: .amountMismatch, supplierReference: "S5", ourReference: "HP5", ours: money("10.00"), theirs: money("10.00", "USD")),
            StatementDiscrepancy(kind: .missingTheirs, supplierReference: "S4", ourReference: "HP4", ours: money("10.00"), theirs: nil),
        ])
    }

    @Test func cyclesEndAtMidnightEverySettleCycleDaysFromAMonday() {
        let weekly = CycleSchedule(days: 7)
        let saturday = CalendarDate("2026-12-05")!.instant(hour: 13)
        #expect(weekly.lastEnd(atOrBefore: saturday) == CalendarDate("2026-11-30")!.instant(), "the Monday before")
        #expect(weekly.lastEnd(atOrBefore: CalendarDate("2026-12-07")!.instant()) == CalendarDate("2026-12-07")!.instant(), "a Monday midnight ends a cycle")
        #expect(CycleSchedule(days: 1).lastEnd(atOrBefore: saturday) == CalendarDate("2026-12-05")!.instant())
        let end = CalendarDate("2026-12-07")!.instant()
        #expect(weekly.period(start: CalendarDate("2026-11-30")!.instant(), end: end) == StatementPeriod(from: CalendarDate("2026-11-30")!, to: CalendarDate("2026-12-06")!))
        #expect(weekly.period(start: nil, end: end) == StatementPeriod(from: CalendarDate("2026-11-30")!, to: CalendarDate("2026-12-06")!), "the first cycle: its days")
        #expect(PartyKind.distributor.series(for: CalendarDate("2027-01-01")!.instant()) == "D2026", "a cycle ending at New Year's midnight is the old year's")
        #expect(PartyKind.invoiceNumber(series: "S2026", number: 42) == "S2026-000042")
    }

    @Test func theSimulatorsStatementPlantsAMismatchAnOmissionAndAPhantom() {
        let period = StatementPeriod(from: CalendarDate("2027-02-01")!, to: CalendarDate("2027-02-28")!)
        let bookings = (0..<9).map { index in
            SupplierBooking(
                supplier: "globebeds", reference: "R\(index)", clientReference: "HP\(index)", status: index == 8 ? .cancelled : .confirmed, hotelCode: "H",
                roomCode: "DBL", board: .roomOnly, checkIn: CalendarDate("2027-02-10")!, checkOut: CalendarDate(index == 7 ? "2027-03-02" : "2027-02-12")!,
                holder: Guest(givenName: "A", surname: "B"), net: Amount("100.00")!, currency: "EUR", cancellationPolicies: [])
        }
        let export = StatementExport.make(supplier: "globebeds", bookings: bookings, penalties: ["R8": Amount("20.00")!], period: period)
        // Billed: R0..R6 at 100.00 and the cancelled R8 at its penalty (R7 checks out after the period).
        #expect(export.planted.map(\.kind) == [.amountMismatch, .missingTheirs, .missingOurs])
        #expect(export.planted[0].supplierReference == "R3" && export.planted[0].theirs?.amount == Amount("110.00")!)
        #expect(export.planted[1].supplierReference == "R5")
        #expect(export.rows.map(\.supplierReference) == ["R0", "R1", "R2", "R3", "R4", "R6", "R8", "GLOBEBEDS-X\(period.to.dayNumber)"])
        #expect(export.rows.first { $0.supplierReference == "R8" }?.amount == Amount("20.00")!)
        let ours = bookings.filter { period.contains($0.checkOut) }.map { booking in
            OwedBooking(orderId: booking.clientReference, supplierReference: booking.reference, ourReference: booking.clientReference,
                        owed: Money(booking.status == .confirmed ? booking.net : Amount("20.00")!, booking.currency))
        }
        #expect(Set(Reconciler.reconcile(ours: ours, theirs: export.rows).discrepancies) == Set(export.planted), "reconciling finds exactly what was planted")
    }
}
