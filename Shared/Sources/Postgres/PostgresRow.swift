// Rows copied out of a libpq result (text format), with typed accessors that say which column failed.

import FoundationEssentials
import Glibc

public struct PostgresRows: Sendable, Sequence {
    public let columns: [String]
    let values: [[String?]]
    /// Rows changed by INSERT/UPDATE/DELETE.
    public let affected: Int

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }
    public var first: PostgresRow? { values.first.map { PostgresRow(columns: columnIndex, values: $0) } }
    public subscript(index: Int) -> PostgresRow { PostgresRow(columns: columnIndex, values: values[index]) }

    private var columnIndex: [String: Int] { Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first }) }

    public func makeIterator() -> AnyIterator<PostgresRow> {
        let index = columnIndex
        var iterator = values.makeIterator()
        return AnyIterator { iterator.next().map { PostgresRow(columns: index, values: $0) } }
    }
}

public struct PostgresRow: Sendable {
    let columns: [String: Int]
    let values: [String?]

    public struct DecodingFailure: Error, CustomStringConvertible {
        public let column: String
        public let problem: String
        public var description: String { "column \(column): \(problem)" }
    }

    public func isNull(_ column: String) throws -> Bool { try raw(column) == nil }

    public func optionalString(_ column: String) throws -> String? { try raw(column) }

    public func string(_ column: String) throws -> String { try required(column) }

    public func int(_ column: String) throws -> Int { try parse(column, "an integer") { Int($0) } }
    public func optionalInt(_ column: String) throws -> Int? { try raw(column) == nil ? nil : int(column) }

    public func double(_ column: String) throws -> Double { try parse(column, "a number") { Double($0) } }

    public func decimal(_ column: String) throws -> Decimal {
        try parse(column, "a decimal") { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }
    }
    public func optionalDecimal(_ column: String) throws -> Decimal? { try raw(column) == nil ? nil : decimal(column) }

    /// `numeric` as money: read by Amount's own parser, so it keeps its digits (and prints without
    /// Decimal's long division).
    public func amount(_ column: String) throws -> Amount { try parse(column, "an amount") { Amount($0) } }
    public func optionalAmount(_ column: String) throws -> Amount? { try raw(column) == nil ? nil : amount(column) }

    public func bool(_ column: String) throws -> Bool {
        try parse(column, "a boolean") { $0 == "t" ? true : $0 == "f" ? false : nil }
    }

    public func uuid(_ column: String) throws -> UUID { try parse(column, "a UUID") { UUID(uuidString: $0) } }
    public func optionalUUID(_ column: String) throws -> UUID? { try raw(column) == nil ? nil : uuid(column) }

    /// `timestamptz` as the server prints it (`2026-11-21 10:29:17.123+00`), with the session in UTC.
    public func date(_ column: String) throws -> Date { try parse(column, "a timestamp") { PostgresTimestamp.parse($0) } }
    public func optionalDate(_ column: String) throws -> Date? { try raw(column) == nil ? nil : date(column) }

    /// `date` columns: a day, not an instant.
    public func calendarDate(_ column: String) throws -> CalendarDate { try parse(column, "a date") { CalendarDate($0) } }

    /// `json`/`jsonb` decoded with the platform's conventions.
    public func json<T: Decodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        let text = try required(column)
        do {
            return try PlatformJSON.decoder.decode(T.self, from: Data(text.utf8))
        } catch {
            throw DecodingFailure(column: column, problem: "not the expected JSON: \(error)")
        }
    }

    /// A one-dimensional text array (`{a,"b c",NULL}`); NULL elements are dropped.
    public func stringArray(_ column: String) throws -> [String] {
        guard let text = try raw(column) else { return [] }
        guard let elements = PostgresArrayText.parse(text) else { throw DecodingFailure(column: column, problem: "not an array: \(text)") }
        return elements.compactMap { $0 }
    }

    func raw(_ column: String) throws -> String? {
        guard let index = columns[column] else { throw DecodingFailure(column: column, problem: "not in the result") }
        return values[index]
    }

    func required(_ column: String) throws -> String {
        guard let value = try raw(column) else { throw DecodingFailure(column: column, problem: "is NULL") }
        return value
    }

    func parse<T>(_ column: String, _ what: String, _ convert: (String) -> T?) throws -> T {
        let text = try required(column)
        guard let value = convert(text) else { throw DecodingFailure(column: column, problem: "'\(text)' is not \(what)") }
        return value
    }
}

enum PostgresTimestamp {
    /// `YYYY-MM-DD HH:MM:SS[.ffffff]+HH[:MM]` (the server's output with DateStyle ISO).
    static func parse(_ text: String) -> Date? {
        var iso = text.replacing(" ", with: "T")
        if let sign = iso.lastIndex(where: { $0 == "+" || $0 == "-" }), sign > iso.index(iso.startIndex, offsetBy: 10) {
            let offset = iso[iso.index(after: sign)...]
            if offset.count == 2 { iso += ":00" }
        }
        return PlatformJSON.parseTimestamp(iso)
    }
}

enum PostgresArrayText {
    /// Parses PostgreSQL's one-dimensional array output.
    static func parse(_ text: String) -> [String?]? {
        guard text.hasPrefix("{"), text.hasSuffix("}") else { return nil }
        let body = Array(text.dropFirst().dropLast())
        if body.isEmpty { return [] }
        var elements: [String?] = []
        var current = "", quoted = false, inQuotes = false, escaped = false
        for ch in body {
            if escaped { current.append(ch); escaped = false; continue }
            switch ch {
            case "\\" where inQuotes: escaped = true
            case "\"": inQuotes.toggle(); quoted = true
            case "," where !inQuotes:
                elements.append(!quoted && current == "NULL" ? nil : current)
                current = ""; quoted = false
            default: current.append(ch)
            }
        }
        elements.append(!quoted && current == "NULL" ? nil : current)
        return elements
    }
}
