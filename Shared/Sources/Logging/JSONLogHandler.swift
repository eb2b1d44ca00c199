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
        var merged = self.metadata
        if let explicit { merged.merge(explicit) { _, new in new } }
        sink.write(Self.render(service: service, level: level, message: message.description, metadata: merged))
    }

    /// Metadata keys lifted to the top level; the rest goes under `context`.
    static let traceKeys = ["traceId", "spanId"]
    /// Keys Hummingbird sets that repeat what `requestId` already says.
    static let droppedKeys: Set<String> = ["hb.request.id"]

    /// The line as bytes (what stdout gets; the capturing sink of tests decodes it).
    static func render(service: String, level: Logger.Level, message: String, metadata: Logger.Metadata, at date: Date = Date()) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        out.append(contentsOf: #"{"timestamp":""#.utf8)
        Timestamp.appendISO8601Milliseconds(date, to: &out)
        out.append(contentsOf: #"","level":""#.utf8)
        out.append(contentsOf: level.jsonName.utf8)
        out.append(contentsOf: #"","service":"#.utf8)
        JSONText.appendString(service, to: &out)
        for key in traceKeys {
            out.append(contentsOf: #",""#.utf8)
            out.append(contentsOf: key.utf8)
            out.append(contentsOf: #"":"#.utf8)
            switch metadata[key] {
            case .string(let value)?: JSONText.appendString(value, to: &out)
            case let value?: JSONText.appendString("\(value)", to: &out)
            case nil: out.append(contentsOf: #""""#.utf8)
            }
        }
        out.append(contentsOf: #","message":"#.utf8)
        JSONText.appendString(message, to: &out)
        let contextKeys = metadata.keys.filter { !traceKeys.contains($0) && !droppedKeys.contains($0) }.sorted()
        if !contextKeys.isEmpty {
            out.append(contentsOf: #","context":"#.utf8)
            JSONText.appendObject(metadata, keys: contextKeys, to: &out)
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
