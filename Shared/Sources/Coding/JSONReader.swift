// JSON read byte by byte, for the few documents on a hot path that Foundation's JSONDecoder makes
// too slow (a search's thousands of supplier offers and their prices: decoding through Decodable
// containers cost more than everything else a search does). The type being read walks the
// document itself (`object`, `array`, `string`, ...), so nothing is built that is not kept. Same
// rules as the platform's decoder: strict JSON, a NUL escape refused, unknown keys skipped.

import FoundationEssentials
import Glibc

/// A type read from JSON by hand (see `JSONReader`).
public protocol JSONReadable {
    init(json: inout JSONReader) throws
}

public struct JSONReader {
    /// What was wrong and where (a byte offset into the document).
    public struct Failure: Error, CustomStringConvertible {
        public var offset: Int
        public var expected: String
        public var description: String { "expected \(expected) at byte \(offset)" }
    }

    /// The document, valid while `reading` runs: the reader reads it through a pointer (no bounds
    /// checks beyond its own, no retain of the array for each key).
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// `body` with a reader at the start of `bytes`; the reader is valid only inside it.
    public static func reading<R>(_ bytes: [UInt8], _ body: (inout JSONReader) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(buffer)
            return try body(&reader)
        }
    }

    /// The whole document as `T`, nothing but whitespace after it.
    public static func read<T: JSONReadable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try bytes.withUnsafeBufferPointer { try read(T.self, fromBuffer: $0) }
    }

    /// The same from bytes that are only lent (a request body where it arrived, not copied out).
    public static func read<T: JSONReadable>(_ type: T.Type, fromBuffer bytes: UnsafeBufferPointer<UInt8>) throws -> T {
        var reader = JSONReader(bytes)
        let value = try T(json: &reader)
        reader.skipSpace()
        guard reader.index == reader.bytes.count else { throw reader.failure("the end of the document") }
        return value
    }

    // MARK: Containers

    /// Calls `member` with each key of an object, positioned at its value, which `member` must read
    /// (or `skip`). The key is compared with `switch key { case "id": ... }` or `key == "id"`
    /// without being made a String.
    public mutating func object(_ member: (inout JSONReader, JSONKey) throws -> Void) throws {
        try expect(UInt8(ascii: "{"), "an object")
        skipSpace()
        if peek == UInt8(ascii: "}") { index += 1; return }
        while true {
            skipSpace()
            let (start, end) = try stringBytes()
            if let end {
                try expect(UInt8(ascii: ":"), "':'")
                try member(&self, JSONKey(UnsafeBufferPointer(rebasing: bytes[start..<end])))
            } else {
                let unescaped = Array(try escapedString(from: start).utf8)
                try expect(UInt8(ascii: ":"), "':'")
                try unescaped.withUnsafeBufferPointer { try member(&self, JSONKey($0)) }
            }
            skipSpace()
            if peek == UInt8(ascii: ",") { index += 1; continue }
            try expect(UInt8(ascii: "}"), "',' or '}'")
            return
        }
    }

    /// Reads each element of an array with `element`.
    public mutating func array<T>(_ element: (inout JSONReader) throws -> T) throws -> [T] {
        try expect(UInt8(ascii: "["), "an array")
        skipSpace()
        var elements: [T] = []
        if peek == UInt8(ascii: "]") { index += 1; return elements }
        while true {
            elements.append(try element(&self))
            skipSpace()
            if peek == UInt8(ascii: ",") { index += 1; continue }
            try expect(UInt8(ascii: "]"), "',' or ']'")
            return elements
        }
    }

    public mutating func array<T: JSONReadable>(of: T.Type) throws -> [T] { try array { try T(json: &$0) } }

    // MARK: Values

    /// True (and consumed) when the next value is `null`.
    public mutating func null() -> Bool {
        skipSpace()
        guard index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
            bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l")
        else { return false }
        index += 4
        return true
    }

    public mutating func bool() throws -> Bool {
        skipSpace()
        if literal("true") { return true }
        if literal("false") { return false }
        throw failure("true or false")
    }

    /// A JSON number that is a whole number (no fraction or exponent).
    public mutating func int() throws -> Int {
        skipSpace()
        let start = index
        let negative = peek == UInt8(ascii: "-")
        if negative { index += 1 }
        var value = 0
        var digits = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(bytes[index] - UInt8(ascii: "0")))
            guard !overflow, !overflow2 else { index = start; throw failure("a whole number in range") }
            value = sum
            digits += 1
            index += 1
        }
        guard digits > 0, index >= bytes.count || !Self.isNumberTail(bytes[index]) else { index = start; throw failure("a whole number") }
        return negative ? -value : value
    }

    /// A number with a fraction or exponent (coordinates, distances; never money).
    public mutating func double() throws -> Double {
        skipSpace()
        let start = index
        while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
        guard index > start, let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)) else {
            index = start
            throw failure("a number")
        }
        return value
    }

    public mutating func string() throws -> String {
        let (start, end) = try stringBytes()
        guard let end else { return try escapedString(from: start) }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// A decimal written as a string ("123.45"), as money travels: read from the bytes, no String made.
    public mutating func amount() throws -> Amount {
        let at = index
        let (start, end) = try stringBytes()
        let amount = if let end {
            Amount(utf8: UnsafeBufferPointer(rebasing: bytes[start..<end]))
        } else {
            Amount(try escapedString(from: start))
        }
        guard let amount else {
            index = at
            throw failure("a decimal amount as a string like \"123.45\"")
        }
        return amount
    }

    public mutating func calendarDate() throws -> CalendarDate { try parsed("a date like 2027-06-01") { CalendarDate($0) } }

    public mutating func timestamp() throws -> Date { try parsed("an ISO 8601 timestamp like 2026-12-01T08:30:00.000Z", FastTimestamp.parse) }

    public mutating func code<T: RawRepresentable<String>>(_ type: T.Type) throws -> T { try parsed("one of the \(T.self) codes") { T(rawValue: $0) } }

    /// A string that `parse` makes into a value; the failure points at the string.
    private mutating func parsed<T>(_ expected: @autoclosure () -> String, _ parse: (String) -> T?) throws -> T {
        let start = index
        guard let value = parse(try string()) else {
            index = start
            throw failure(expected())
        }
        return value
    }

    /// The next value, whatever it is: numbers whole and in range as `integer`, others as `number`.
    public mutating func any() throws -> JSONValue {
        skipSpace()
        switch peek {
        case UInt8(ascii: "{"):
            var members: [String: JSONValue] = [:]
            try object { reader, key in members[key.string] = try reader.any() }
            return .object(members)
        case UInt8(ascii: "["): return .array(try array { try $0.any() })
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool(try bool())
        case UInt8(ascii: "n"):
            guard null() else { throw failure("a value") }
            return .null
        default:
            if let whole = try? int() { return .integer(whole) }
            let number = try double()
            guard number.isFinite else { throw failure("a number in range") }
            // As Foundation's decoder reads a number into an Int when it is one exactly (1.0, 1e3).
            if number.rounded() == number, abs(number) < 0x1p53 { return .integer(Int(number)) }
            return .number(number)
        }
    }

    /// Steps over the next value, whatever it is.
    public mutating func skip() throws {
        skipSpace()
        switch peek {
        case UInt8(ascii: "{"): try object { reader, _ in try reader.skip() }
        case UInt8(ascii: "["): _ = try array { try $0.skip() }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try bool()
        case UInt8(ascii: "n"): guard null() else { throw failure("a value") }
        default: _ = try double()
        }
    }

    public func failure(_ expected: String) -> Failure { Failure(offset: index, expected: expected) }

    // MARK: Bytes

    @inline(__always)
    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || isNumberTail(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
    }

    /// What may follow a number's whole digits: a fraction or an exponent.
    @inline(__always)
    private static func isNumberTail(_ byte: UInt8) -> Bool { byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") }

    private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Where the next string's characters start and, when it holds no escape, end (the reader past
    /// its closing quote); with an escape, no end (the reader at it, for `escapedString`).
    private mutating func stringBytes() throws -> (start: Int, end: Int?) {
        try expect(UInt8(ascii: "\""), "a string")
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 { index += 1 }
        switch peek {
        case UInt8(ascii: "\"")?:
            index += 1
            return (start, index - 1)
        case UInt8(ascii: "\\")?: return (start, nil)
        case nil: throw failure("the end of a string")
        default: throw failure("no control character in a string")
        }
    }

    @inline(__always)
    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        skipSpace()
        guard peek == byte else { throw failure(what) }
        index += 1
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { return false }
        index += count
        return true
    }

    /// The rest of a string that holds escapes, `start` at its first character.
    private mutating func escapedString(from start: Int) throws -> String {
        var text = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: text, as: UTF8.self)
            case 0..<0x20: index -= 1; throw failure("no control character in a string")
            case UInt8(ascii: "\\"):
                guard let escape = peek else { throw failure("an escape") }
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escape)
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "t"): text.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard literal("\\u") else { throw failure("the second half of a surrogate pair") }
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw failure("the second half of a surrogate pair") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard scalar != 0 else { index -= 6; throw failure("no NUL character (\\u0000): no text field accepts it") }
                    guard let character = Unicode.Scalar(scalar) else { throw failure("a Unicode scalar") }
                    text.append(contentsOf: Array(String(Character(character)).utf8))
                default: index -= 1; throw failure("a valid escape")
                }
            default: text.append(byte)
            }
        }
        throw failure("the end of a string")
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("a hex digit")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }
}

/// An object's key as it stands in the document, compared without a String being made of it. It
/// points into the document: valid only in the `object` member call it is given to.
public struct JSONKey: CustomStringConvertible {
    let bytes: UnsafeBufferPointer<UInt8>

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    public var string: String { String(decoding: bytes, as: UTF8.self) }
    public var description: String { string }

    public static func == (key: JSONKey, text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard key.bytes.count == count else { return false }
        return count == 0 || memcmp(key.bytes.baseAddress!, text.utf8Start, count) == 0
    }

    public static func ~= (pattern: StaticString, key: JSONKey) -> Bool { key == pattern }
}
