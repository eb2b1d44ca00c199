// Minimal JSON writing for log lines, straight into bytes (one line per request: building it out
// of Strings cost more than anything else the kit does per request): strings escaped per RFC 8259.

import Logging

enum JSONText {
    static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: #"\t"#.utf8)
            case ..<0x20:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0xF)])
            default: out.append(byte)  // UTF-8 above ASCII passes through as it is
            }
        }
        out.append(UInt8(ascii: "\""))
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
            appendObject(entries, keys: entries.keys.sorted(), to: &out)
        }
    }

    /// `{"key":value,...}` for `keys` (in that order) of `entries`.
    static func appendObject(_ entries: Logger.Metadata, keys: [String], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (index, key) in keys.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            append(entries[key]!, to: &out)
        }
        out.append(UInt8(ascii: "}"))
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
        let digits = String(value.magnitude).utf8  // a small string: no allocation
        if value < 0 { out.append(UInt8(ascii: "-")) }
        if digits.count < width { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count)) }
        out.append(contentsOf: digits)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
