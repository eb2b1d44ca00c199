// One JSON object per line on stdout, with the seed's fields:
// timestamp, level, service, traceId, spanId, message, context.

import FoundationEssentials
import Glibc
import Logging
import NIOConcurrencyHelpers

public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let service: String
    let sink: LogSink

    public init(service: String, level: Logger.Level, sink: LogSink = .standardOutput) {
        self.service = service
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(
        level: Logger.Level,
        message: Logger.Message,
        metadata explicit: Logger.Metadata?,
        source: String,
        file: String,
        function: String,
        line: UInt
    ) {
        write(level: level, message: message.description, fields: explicit.map { $0.map { ($0.key, LogValue.metadata($0.value)) } } ?? [])
    }

    /// A line with `fields` beside (and over) the handler's metadata, without merging dictionaries:
    /// the access log writes one per request this way.
    func write(level: Logger.Level, message: String, fields: [(key: String, value: LogValue)]) {
        guard level >= logLevel else { return }
        sink.write(Self.render(service: service, level: level, message: message, metadata: metadata, fields: fields))
    }

    /// Metadata keys lifted to the top level; the rest goes under `context`.
    static let traceKeys = ["traceId", "spanId"]
    /// The key Hummingbird sets that repeats what `requestId` already says.
    static let droppedKey = "hb.request.id"

    /// The line as bytes (what stdout gets; the capturing sink of tests decodes it). A key in
    /// `fields` wins over the same key in `metadata`.
    static func render(
        service: String, level: Logger.Level, message: String, metadata: Logger.Metadata, fields: [(key: String, value: LogValue)] = [],
        at date: Date = Date()
    ) -> [UInt8] {
        var context: [(key: String, value: LogValue)] = []
        context.reserveCapacity(fields.count + metadata.count)
        var trace: [LogValue?] = [nil, nil]
        func take(_ key: String, _ value: LogValue) {
            if let index = traceKeys.firstIndex(of: key) { trace[index] = value } else if key != droppedKey { context.append((key, value)) }
        }
        for field in fields { take(field.key, field.value) }
        for entry in metadata where !fields.contains(where: { $0.key == entry.key }) { take(entry.key, .metadata(entry.value)) }
        context.sort { $0.key < $1.key }
        var out: [UInt8] = []
        out.reserveCapacity(512)
        out.append(contentsOf: #"{"timestamp":""#.utf8)
        Timestamp.appendISO8601Milliseconds(date, to: &out)
        out.append(contentsOf: #"","level":""#.utf8)
        out.append(contentsOf: level.jsonName.utf8)
        out.append(contentsOf: #"","service":"#.utf8)
        JSONText.appendString(service, to: &out)
        for (key, value) in zip(traceKeys, trace) {
            out.append(contentsOf: #",""#.utf8)
            out.append(contentsOf: key.utf8)
            out.append(contentsOf: #"":"#.utf8)
            switch value {
            case .string(let value)?, .metadata(.string(let value))?: JSONText.appendString(value, to: &out)
            case .metadata(let value)?: JSONText.appendString("\(value)", to: &out)
            case let value?: JSONText.append(value, to: &out)
            case nil: out.append(contentsOf: #""""#.utf8)
            }
        }
        out.append(contentsOf: #","message":"#.utf8)
        JSONText.appendString(message, to: &out)
        if !context.isEmpty {
            out.append(contentsOf: #","context":"#.utf8)
            JSONText.appendObject(context, to: &out)
        }
        out.append(contentsOf: "}\n".utf8)
        return out
    }
}

extension Logger.Level {
    /// Upper-case names as in the seed's log example (`INFO`).
    var jsonName: String {
        switch self {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info: "INFO"
        case .notice: "NOTICE"
        case .warning: "WARN"
        case .error: "ERROR"
        case .critical: "CRITICAL"
        }
    }
}

/// Where log lines go: stdout in services, a buffer in tests. Lines never interleave.
public final class LogSink: Sendable {
    private let lines: NIOLockedValueBox<[String]>?
    private let output: StandardOutputWriter?

    private init(capturing: Bool) {
        self.lines = capturing ? NIOLockedValueBox([]) : nil
        self.output = capturing ? nil : StandardOutputWriter()
    }

    public static let standardOutput = LogSink(capturing: false)
    public static func capturing() -> LogSink { LogSink(capturing: true) }

    public var captured: [String] { lines?.withLockedValue { $0 } ?? [] }

    func write(_ line: [UInt8]) {
        lines?.withLockedValue { $0.append(String(decoding: line, as: UTF8.self)) }
        output?.append(line)
    }

    /// Waits until every line written so far is on stdout (the runner calls it before exiting).
    public func flush() { output?.flush() }
}
