// Minimal JSON writing for log metadata: strings escaped per RFC 8259.

import Logging

enum JSONText {
    static func appendString(_ value: String, to out: inout String) {
        out.append("\"")
        // Most values (ids, routes, methods) need no escaping: append them whole.
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(value)
            out.append("\"")
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case _ where scalar.value < 0x20:
                out.append("\\u00")
                out.append(hexDigits[Int(scalar.value >> 4)])
                out.append(hexDigits[Int(scalar.value & 0xF)])
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.append("\"")
    }

    static func append(_ value: Logger.MetadataValue, to out: inout String) {
        switch value {
        case .string(let string): appendString(string, to: &out)
        case .stringConvertible(let convertible): appendConvertible(convertible, to: &out)
        case .array(let items):
            out.append("[")
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(",") }
                append(item, to: &out)
            }
            out.append("]")
        case .dictionary(let entries):
            out.append("{")
            for (index, key) in entries.keys.sorted().enumerated() {
                if index > 0 { out.append(",") }
                appendString(key, to: &out)
                out.append(":")
                append(entries[key]!, to: &out)
            }
            out.append("}")
        }
    }

    /// Numbers and booleans stay JSON numbers and booleans; anything else becomes a string.
    private static func appendConvertible(_ value: any CustomStringConvertible & Sendable, to out: inout String) {
        switch value {
        case let number as Int: out.append(String(number))
        case let number as Double where number.isFinite: out.append(String(number))
        case let flag as Bool: out.append(flag ? "true" : "false")
        default: appendString(value.description, to: &out)
        }
    }

    private static let hexDigits: [Character] = Array("0123456789abcdef")
}
