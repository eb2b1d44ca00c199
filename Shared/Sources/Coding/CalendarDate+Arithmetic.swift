// Counting days: nights of a stay, deadlines before check-in, today's date in UTC.

import FoundationEssentials

extension CalendarDate {
    /// Days since 1970-01-01 (negative before), by Howard Hinnant's civil-calendar algorithm.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)!
    }

    public func adding(days: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + days) }

    /// Nights from this date to `checkOut` (negative when it lies before).
    public func nights(until checkOut: CalendarDate) -> Int { checkOut.dayNumber - dayNumber }

    /// Each night of a stay from this date to `checkOut`.
    public func nightsUntil(_ checkOut: CalendarDate) -> [CalendarDate] {
        (0..<max(0, nights(until: checkOut))).map { adding(days: $0) }
    }

    /// `hour`:00 UTC on this date.
    public func instant(hour: Int = 0) -> Date {
        Date(timeIntervalSince1970: Double(dayNumber * 86_400 + hour * 3600))
    }

    /// The UTC date of `moment`.
    public init(utc moment: Date) {
        self.init(dayNumber: Int((moment.timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}
