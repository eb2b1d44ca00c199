// W3C Trace Context (`traceparent`): continue the caller's trace or start a new one.

import FoundationEssentials
import Glibc
import NIOConcurrencyHelpers

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
        // version-traceid-parentid-flags, hex digits, on the bytes (every request from the gateway has one).
        let parts = header.trimmed.lowercased().utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 2, !parts[0].elementsEqual("ff".utf8),
            parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
            parts.allSatisfy({ $0.allSatisfy(isHexDigit) }),
            !parts[1].allSatisfy({ $0 == UInt8(ascii: "0") }), !parts[2].allSatisfy({ $0 == UInt8(ascii: "0") })
        else { return nil }
        return TraceContext(
            traceId: String(decoding: parts[1], as: UTF8.self), spanId: RandomHex.make(bytes: 8),
            parentSpanId: String(decoding: parts[2], as: UTF8.self), flags: String(decoding: parts[3], as: UTF8.self))
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    /// The header to send downstream and to echo: our span is the parent of whatever comes next.
    public var traceparent: String { "00-\(traceId)-\(spanId)-\(flags)" }
}

enum RandomHex {
    /// `bytes` random bytes as lower-case hex, from OpenSSL's generator, drawn in bulk: ids are made
    /// on every request, and one call to the generator per id cost more than the rest of the id.
    static func make(bytes count: Int) -> String {
        Digest.hex(pool.withLockedValue { $0.take(count) })
    }

    private static let pool = NIOLockedValueBox(RandomPool())

    struct RandomPool {
        static let size = 4096
        private var bytes: [UInt8] = []
        private var next = 0

        /// `count` bytes not handed out before; refilled from OpenSSL when used up.
        mutating func take(_ count: Int) -> ArraySlice<UInt8> {
            if next + count > bytes.count {
                bytes = Digest.randomBytes(max(Self.size, count))
                next = 0
            }
            defer { next += count }
            return bytes[next..<(next + count)]
        }
    }
}
