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
        let total = wholeMilliseconds(date)
        var seconds = time_t(total.floorDivided(by: 1000))
        let millis = Int(total - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let date = "\((Int(parts.tm_year) + 1900).zeroPadded(4))-\((Int(parts.tm_mon) + 1).zeroPadded(2))-\(Int(parts.tm_mday).zeroPadded(2))"
        let time = "\(Int(parts.tm_hour).zeroPadded(2)):\(Int(parts.tm_min).zeroPadded(2)):\(Int(parts.tm_sec).zeroPadded(2))"
        return date + "T" + time + "." + millis.zeroPadded(3) + "Z"
    }
}

extension Int64 {
    /// Division rounding toward negative infinity (instants before 1970 too).
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
