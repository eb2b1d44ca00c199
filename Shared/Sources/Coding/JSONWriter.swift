// JSON written straight into bytes, the counterpart of `JSONReader` for the same hot documents: the
// platform's conventions (snake_case keys as given, money as strings, dates `YYYY-MM-DD`, instants
// ISO 8601 with milliseconds, absent optionals left out).

import FoundationEssentials

/// A type written as JSON by hand (see `JSONWriter`).
public protocol JSONWritable {
    func write(json: inout JSONWriter)
}

public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// Nothing written yet in the innermost object or array (no comma before the next member).
    private var first = true

    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    public static func bytes(of value: some JSONWritable, capacity: Int = 1024) -> [UInt8] {
        var writer = JSONWriter(capacity: capacity)
        value.write(json: &writer)
        return writer.bytes
    }

    // MARK: Containers

    public mutating func object(_ members: (inout JSONWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        first = true
        members(&self)
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    public mutating func array<S: Sequence>(_ elements: S, _ element: (inout JSONWriter, S.Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        first = true
        for value in elements {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            element(&self, value)
        }
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    /// The key of the next member; its value follows.
    public mutating func key(_ name: StaticString) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// A key known only at run time (a free-form document's), escaped as a string.
    public mutating func key(_ name: String) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        JSONText.appendString(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    // MARK: Values

    public mutating func string(_ value: String) { JSONText.appendString(value, to: &bytes) }
    public mutating func int(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }
    public mutating func bool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    public mutating func null() { bytes.append(contentsOf: "null".utf8) }
    public mutating func double(_ value: Double) { bytes.append(contentsOf: "\(value)".utf8) }
    public mutating func amount(_ value: Amount) {
        bytes.append(UInt8(ascii: "\""))
        value.appendText(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }
    public mutating func calendarDate(_ value: CalendarDate) { string(value.description) }

    public mutating func timestamp(_ value: Date) {
        bytes.append(UInt8(ascii: "\""))
        Timestamp.appendISO8601Milliseconds(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func value(_ value: some JSONWritable) { value.write(json: &self) }

    // MARK: Members (an optional left out when nil)

    public mutating func field(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    public mutating func field(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        key(name)
        int(value)
    }

    public mutating func field(_ name: StaticString, _ value: Int64?) {
        guard let value else { return }
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    public mutating func field<Code: RawRepresentable<String>>(_ name: StaticString, code value: Code?) {
        guard let value else { return }
        key(name)
        string(value.rawValue)
    }

    public mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    public mutating func field(_ name: StaticString, _ value: Amount?) {
        guard let value else { return }
        key(name)
        amount(value)
    }

    public mutating func field(_ name: StaticString, _ value: CalendarDate?) {
        guard let value else { return }
        key(name)
        calendarDate(value)
    }

    public mutating func field(_ name: StaticString, _ value: (some JSONWritable)?) {
        guard let value else { return }
        key(name)
        value.write(json: &self)
    }
}
