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

    /// `2026-11-21T09:30:00.123Z`, written into `out` (every log line starts with one).
    static func appendISO8601Milliseconds(_ date: Date, to out: inout [UInt8]) {
        let total = wholeMilliseconds(date)
        var seconds = time_t(total.floorDivided(by: 1000))
        let millis = Int(total - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let fields: [(Int, Int, UInt8)] = [
            (Int(parts.tm_year) + 1900, 4, UInt8(ascii: "-")), (Int(parts.tm_mon) + 1, 2, UInt8(ascii: "-")), (Int(parts.tm_mday), 2, UInt8(ascii: "T")),
            (Int(parts.tm_hour), 2, UInt8(ascii: ":")), (Int(parts.tm_min), 2, UInt8(ascii: ":")), (Int(parts.tm_sec), 2, UInt8(ascii: ".")),
            (millis, 3, UInt8(ascii: "Z")),
        ]
        for (value, width, separator) in fields {
            JSONText.appendInteger(value, width: width, to: &out)
            out.append(separator)
        }
    }
}

extension Int64 {
    /// Division rounding toward negative infinity (instants before 1970 too).
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
