// ISO 8601 UTC timestamps with milliseconds, formatted without a DateFormatter on the hot path.

import FoundationEssentials
import Glibc

enum Timestamp {
    static func iso8601Milliseconds(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let millis = Int((interval - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let date = "\((Int(parts.tm_year) + 1900).zeroPadded(4))-\((Int(parts.tm_mon) + 1).zeroPadded(2))-\(Int(parts.tm_mday).zeroPadded(2))"
        let time = "\(Int(parts.tm_hour).zeroPadded(2)):\(Int(parts.tm_min).zeroPadded(2)):\(Int(parts.tm_sec).zeroPadded(2))"
        return date + "T" + time + "." + min(millis, 999).zeroPadded(3) + "Z"
    }
}
