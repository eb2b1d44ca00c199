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
        let day = CalendarDate(dayNumber: Int(days))
        let time = Int(seconds - days * 86_400), millis = Int(total - seconds * 1000)
        JSONText.appendInteger(day.year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        JSONText.appendInteger(day.month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        JSONText.appendInteger(day.day, width: 2, to: &out)
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
}

extension Int64 {
    /// Division rounding toward negative infinity (instants before 1970 too).
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
