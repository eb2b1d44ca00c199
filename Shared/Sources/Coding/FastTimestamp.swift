// Parses `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM|±HHMM)` without a formatter: every event and log timestamp
// goes through here, and creating ISO8601DateFormatters dominated decoding.

import FoundationEssentials
import Glibc

enum FastTimestamp {
    static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            let year = number(b, 0, 4), let month = number(b, 5, 2), let day = number(b, 8, 2),
            let hour = number(b, 11, 2), let minute = number(b, 14, 2), let second = number(b, 17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        // The fraction as an integer over 10^digits (digits beyond nanoseconds are ignored).
        var fraction: Int64 = 0, digits = 0
        if index < b.count, b[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < b.count, let digit = digit(b[index]) {
                if digits < 9 {
                    fraction = fraction * 10 + Int64(digit)
                    digits += 1
                }
                index += 1
            }
            if index == start { return nil }
        }
        var offset = 0
        guard index < b.count else { return nil }
        switch b[index] {
        case UInt8(ascii: "Z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            // ±HH:MM or ±HHMM
            let colon = index + 6 == b.count && b[index + 3] == UInt8(ascii: ":")
            guard colon || index + 5 == b.count, let hours = number(b, index + 1, 2),
                let minutes = number(b, index + (colon ? 4 : 3), 2), hours < 24, minutes < 60
            else { return nil }
            offset = (hours * 3600 + minutes * 60) * (b[index] == UInt8(ascii: "-") ? -1 : 1)
            index = b.count
        default:
            return nil
        }
        guard index == b.count else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = Int64(timegm(&parts)) - Int64(offset)
        // Up to milliseconds, the same Date as every other path to that millisecond.
        if digits <= 3 {
            var millis = fraction
            for _ in digits..<3 { millis *= 10 }
            return Timestamp.date(milliseconds: seconds * 1000 + millis)
        }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        return Date(timeIntervalSince1970: Double(seconds) + Double(fraction) / scale)
    }

    private static func digit(_ byte: UInt8) -> Int? {
        byte >= 48 && byte <= 57 ? Int(byte - 48) : nil
    }

    private static func number(_ bytes: [UInt8], _ start: Int, _ length: Int) -> Int? {
        var value = 0
        for i in start..<(start + length) {
            guard let d = digit(bytes[i]) else { return nil }
            value = value * 10 + d
        }
        return value
    }
}
