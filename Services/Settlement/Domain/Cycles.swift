// Settlement cycles: every SETTLE_CYCLE_DAYS days, ending at midnight UTC, counted from Monday
// 1970-01-05 (so a 7-day cycle runs Monday to Monday). A cycle's statements hold every receivable
// and payable posting that occurred before its end and was on no earlier statement: an event that
// arrives after its cycle closed is billed on the next one, never lost.

import FoundationEssentials
import Shared

struct CycleSchedule: Sendable, Equatable {
    var days: Int
    static let anchor = CalendarDate(year: 1970, month: 1, day: 5)!

    /// The latest cycle end at or before `moment`.
    func lastEnd(atOrBefore moment: Date) -> Date {
        let today = CalendarDate(utc: moment).dayNumber - Self.anchor.dayNumber
        let completed = today >= 0 ? today / days : (today - days + 1) / days
        return CalendarDate(dayNumber: Self.anchor.dayNumber + completed * days).instant()
    }

    /// The stays a cycle's supplier reconciliation covers: check-outs from the day it starts to the
    /// last day before its end (a cycle closed by hand mid-day includes that day).
    func period(start: Date?, end: Date) -> StatementPeriod {
        let last = CalendarDate(utc: end.addingTimeInterval(-0.001))
        return StatementPeriod(from: min(start.map { CalendarDate(utc: $0) } ?? last.adding(days: 1 - days), last), to: last)
    }
}

/// Whose statement: a distributor's (what it owes the platform) or a supplier's (what the platform owes it).
enum PartyKind: String, Codable, Sendable, CaseIterable {
    case distributor, supplier

    /// The ledger account that carries the party's balance.
    var accountPrefix: String { self == .distributor ? "receivable:" : "payable:" }

    /// Invoice numbers run per series: one per party kind and year of the cycle's end (`D2026-000001`).
    func series(for end: Date) -> String { (self == .distributor ? "D" : "S") + String(CalendarDate(utc: end.addingTimeInterval(-1)).year) }

    static func invoiceNumber(series: String, number: Int) -> String { "\(series)-\(number.zeroPadded(6))" }

    /// The party's account: what a posting adds to what is owed (receivable: debits; payable: credits).
    var owedSign: String { self == .distributor ? "p.debit - p.credit" : "p.credit - p.debit" }
}
