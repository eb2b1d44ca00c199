// A date of stay: a day in the hotel's calendar (`2026-12-01`), never an instant.

import FoundationEssentials
import Glibc

public struct CalendarDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible, PostgresBindable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Nil unless `year-month-day` exists in the Gregorian calendar.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), (1...CalendarDate.days(in: month, of: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// `YYYY-MM-DD` exactly, read byte by byte (splitting the text had been a fifth of a price batch).
    public init?(_ text: some StringProtocol) {
        var year = 0, month = 0, day = 0, count = 0
        for byte in text.utf8 {
            switch (count, byte) {
            case (4, UInt8(ascii: "-")), (7, UInt8(ascii: "-")): break
            case (0..<4, UInt8(ascii: "0")...UInt8(ascii: "9")): year = year * 10 + Int(byte - UInt8(ascii: "0"))
            case (5..<7, UInt8(ascii: "0")...UInt8(ascii: "9")): month = month * 10 + Int(byte - UInt8(ascii: "0"))
            case (8..<10, UInt8(ascii: "0")...UInt8(ascii: "9")): day = day * 10 + Int(byte - UInt8(ascii: "0"))
            default: return nil
            }
            count += 1
        }
        guard count == 10 else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// `YYYY-MM-DD`, written digit by digit (ten bytes: a small string, nothing allocated).
    public var description: String {
        String(unsafeUninitializedCapacity: 10) { text in
            func digits(_ value: Int, _ width: Int, at end: Int) {
                var rest = value
                for index in stride(from: end - 1, through: end - width, by: -1) {
                    text[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            digits(year, 4, at: 4)
            text[4] = UInt8(ascii: "-")
            digits(month, 2, at: 7)
            text[7] = UInt8(ascii: "-")
            digits(day, 2, at: 10)
            return 10
        }
    }
    public var postgresText: String { description }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CalendarDate(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a date like 2026-12-01, got '\(text)'")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func days(in month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
