// Minimal JSON writing for log lines, straight into bytes (one line per request: building it out
// of Strings cost more than anything else the kit does per request): strings escaped per RFC 8259.

import Logging

/// A value in a log line: what the kit itself writes (cheap to copy), or swift-log metadata.
enum LogValue {
    case string(String), integer(Int), decimal(Double), metadata(Logger.MetadataValue)

    /// As swift-log metadata, for a handler other than the platform's.
    var metadata: Logger.MetadataValue {
        switch self {
        case .string(let string): .string(string)
        case .integer(let number): .stringConvertible(number)
        case .decimal(let number): .stringConvertible(number)
        case .metadata(let value): value
        }
    }
}

enum JSONText {
    static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            // Runs that need no escaping (nearly every string) are copied whole.
            var start = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                appendEscaped(byte, to: &out)
                start = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))  // UTF-8 above ASCII passes through as it is
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ byte: UInt8, to out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
        case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
        case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
        case UInt8(ascii: "\r"): out.append(contentsOf: #"\r"#.utf8)
        case UInt8(ascii: "\t"): out.append(contentsOf: #"\t"#.utf8)
        default:
            out.append(contentsOf: #"\u00"#.utf8)
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0xF)])
        }
    }

    static func append(_ value: Logger.MetadataValue, to out: inout [UInt8]) {
        switch value {
        case .string(let string): appendString(string, to: &out)
        case .stringConvertible(let convertible): appendConvertible(convertible, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                append(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dictionary(let entries):
            appendObject(entries.sorted { $0.key < $1.key }.map { ($0.key, LogValue.metadata($0.value)) }, to: &out)
        }
    }

    /// `{"key":value,...}` in the order given.
    static func appendObject(_ entries: [(key: String, value: LogValue)], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for index in entries.indices {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(entries[index].key, to: &out)
            out.append(UInt8(ascii: ":"))
            append(entries[index].value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    static func append(_ value: LogValue, to out: inout [UInt8]) {
        switch value {
        case .string(let string): appendString(string, to: &out)
        case .integer(let number): appendInteger(number, to: &out)
        case .decimal(let number) where number.isFinite: out.append(contentsOf: String(number).utf8)
        case .decimal(let number): appendString(String(number), to: &out)
        case .metadata(let metadata): append(metadata, to: &out)
        }
    }

    /// Numbers and booleans stay JSON numbers and booleans; anything else becomes a string.
    private static func appendConvertible(_ value: any CustomStringConvertible & Sendable, to out: inout [UInt8]) {
        switch value {
        case let number as Int: appendInteger(number, to: &out)
        case let number as Double where number.isFinite: out.append(contentsOf: String(number).utf8)
        case let flag as Bool: out.append(contentsOf: (flag ? "true" : "false").utf8)
        default: appendString(value.description, to: &out)
        }
    }

    /// Decimal digits, at least `width` of them (zeros in front).
    static func appendInteger(_ value: Int, width: Int = 1, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        // The digits from the right in a buffer on the stack (String(value) cost ~400 instructions:
        // a log line's timestamp alone has seven numbers).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var rest = value.magnitude, start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            let count = digits.count - start
            if count < width { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - count)) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
