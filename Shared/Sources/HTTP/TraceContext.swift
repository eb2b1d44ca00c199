// W3C Trace Context (`traceparent`): continue the caller's trace or start a new one.

import FoundationEssentials
import Glibc

public struct TraceContext: Sendable, Equatable {
    /// 32 lowercase hex digits.
    public let traceId: String
    /// This service's span: 16 lowercase hex digits.
    public let spanId: String
    /// The caller's span, when the trace came from upstream.
    public let parentSpanId: String?
    public let flags: String

    /// A new trace, for a request that brought none.
    public static func root() -> TraceContext {
        TraceContext(traceId: RandomHex.make(bytes: 16), spanId: RandomHex.make(bytes: 8), parentSpanId: nil, flags: "01")
    }

    /// Continue the caller's trace in a new span; nil when the header is absent or malformed.
    public static func continuing(_ header: String?) -> TraceContext? {
        guard let header else { return nil }
        let parts = header.trimmed.lowercased().split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 2, parts[0] != "ff",
            parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isHexDigit) }),
            parts[1] != String(repeating: "0", count: 32), parts[2] != String(repeating: "0", count: 16)
        else { return nil }
        return TraceContext(traceId: String(parts[1]), spanId: RandomHex.make(bytes: 8), parentSpanId: String(parts[2]), flags: String(parts[3]))
    }

    /// The header to send downstream and to echo: our span is the parent of whatever comes next.
    public var traceparent: String { "00-\(traceId)-\(spanId)-\(flags)" }
}

enum RandomHex {
    /// `bytes` random bytes as lower-case hex, from OpenSSL's generator (no system call per id).
    static func make(bytes count: Int) -> String {
        Digest.hex(Digest.randomBytes(count))
    }
}
