// ISO 8601 UTC timestamps with milliseconds, formatted without a DateFormatter on the hot path.

import FoundationEssentials
import Glibc

public enum Timestamp {
    /// The instant to the nearest millisecond since 1970: what the wire carries.
    static func wholeMilliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The one Date for a whole number of milliseconds, however it was reached (parsed or rounded).
    static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    public static func iso8601Milliseconds(_ date: Date) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        appendISO8601Milliseconds(date, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `2026-11-21T09:30:00.123Z`, written into `out` (every log line starts with one): the civil
    /// date by arithmetic, not gmtime and a table of fields (a quarter of an access line's cost).
    static func appendISO8601Milliseconds(_ date: Date, to out: inout [UInt8]) {
        let total = wholeMilliseconds(date)
        let seconds = total.floorDivided(by: 1000), days = seconds.floorDivided(by: 86_400)
        let (year, month, day) = civil(days: days)
        let time = Int(seconds - days * 86_400), millis = Int(total - seconds * 1000)
        JSONText.appendInteger(year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        JSONText.appendInteger(month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        JSONText.appendInteger(day, width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        JSONText.appendInteger(time / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        JSONText.appendInteger(time / 60 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        JSONText.appendInteger(time % 60, width: 2, to: &out)
        out.append(UInt8(ascii: "."))
        JSONText.appendInteger(millis, width: 3, to: &out)
        out.append(UInt8(ascii: "Z"))
    }

    /// Year, month and day of a count of days since 1970-01-01 (proleptic Gregorian; Howard
    /// Hinnant's `civil_from_days`).
    static func civil(days: Int64) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), Int(month), Int(day))
    }
}

extension Int64 {
    /// Division rounding toward negative infinity (instants before 1970 too).
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
