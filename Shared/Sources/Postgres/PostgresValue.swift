// Values bound as query parameters, sent in PostgreSQL's text format.

import FoundationEssentials
import Glibc

/// Something that can be a bound parameter. nil (SQL NULL) is written as `Optional.none`.
public protocol PostgresBindable: Sendable {
    var postgresText: String { get }
    /// The text sent to the server, nil for SQL NULL.
    var postgresValue: String? { get }
}

extension PostgresBindable {
    public var postgresValue: String? { postgresText }
}

extension String: PostgresBindable { public var postgresText: String { self } }
extension Substring: PostgresBindable { public var postgresText: String { String(self) } }
extension Int: PostgresBindable { public var postgresText: String { String(self) } }
extension Int32: PostgresBindable { public var postgresText: String { String(self) } }
extension Int64: PostgresBindable { public var postgresText: String { String(self) } }
extension Double: PostgresBindable { public var postgresText: String { String(self) } }
extension Bool: PostgresBindable { public var postgresText: String { self ? "t" : "f" } }
extension Decimal: PostgresBindable { public var postgresText: String { description } }
extension UUID: PostgresBindable { public var postgresText: String { uuidString.lowercased() } }
extension Date: PostgresBindable { public var postgresText: String { Timestamp.iso8601Milliseconds(self) } }

extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    public var postgresText: String { self?.postgresText ?? "" }
    public var postgresValue: String? { self?.postgresValue }
}

/// A JSON document bound to a `jsonb` parameter.
public struct PostgresJSON: PostgresBindable {
    public let postgresText: String
    public init(_ value: some Encodable) throws {
        postgresText = String(decoding: try PlatformJSON.encoder.encode(value), as: UTF8.self)
    }
    public init(raw: String) { postgresText = raw }
}

/// A one-dimensional array literal (`{a,"b c"}`) for `text[]`, `int[]`, `uuid[]` parameters.
public struct PostgresArray: PostgresBindable {
    public let postgresText: String
    public init(_ elements: [some PostgresBindable]) {
        postgresText = "{" + elements.map { Self.quote($0.postgresText) }.joined(separator: ",") + "}"
    }

    static func quote(_ element: String) -> String {
        // Most elements (ids, codes) need no escaping: checked by bytes, not searched twice.
        guard element.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") }) else { return "\"" + element + "\"" }
        // The rest (an event's JSON body) escaped in one pass over the bytes.
        var quoted: [UInt8] = [UInt8(ascii: "\"")]
        quoted.reserveCapacity(element.utf8.count + element.utf8.count / 8 + 2)
        for byte in element.utf8 {
            if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\"") { quoted.append(UInt8(ascii: "\\")) }
            quoted.append(byte)
        }
        quoted.append(UInt8(ascii: "\""))
        return String(decoding: quoted, as: UTF8.self)
    }
}

/// The parameter list as libpq wants it: nil for SQL NULL.
func postgresParameters(_ values: [(any PostgresBindable)?]) -> [String?] {
    values.map { $0?.postgresValue }
}
