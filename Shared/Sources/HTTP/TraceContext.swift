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
        guard var header else { return nil }
        // On the bytes, without copies: every request the gateway forwards carries one.
        guard let (traceId, parent, flags) = header.withUTF8(parse) else { return nil }
        return TraceContext(traceId: traceId, spanId: RandomHex.make(bytes: 8), parentSpanId: parent, flags: flags)
    }

    /// `version-traceid-parentid-flags` (2, 32, 16 and 2 hex digits; a later version may add
    /// fields after another dash), spaces around it, hex digits in either case: the ids in lower case.
    private static func parse(_ raw: UnsafeBufferPointer<UInt8>) -> (String, String, String)? {
        var start = 0, end = raw.count
        while start < end, raw[start] == 0x20 || raw[start] == 0x09 { start += 1 }
        while end > start, raw[end - 1] == 0x20 || raw[end - 1] == 0x09 { end -= 1 }
        let bytes = UnsafeBufferPointer(rebasing: raw[start..<end]), dash = UInt8(ascii: "-")
        guard bytes.count >= 55, bytes[2] == dash, bytes[35] == dash, bytes[52] == dash, bytes.count == 55 || bytes[55] == dash else { return nil }
        for (index, byte) in bytes.enumerated() where index != 2 && index != 35 && index != 52 {
            guard isHexDigit(lowercased(byte)) || (index >= 55 && byte == dash) else { return nil }
        }
        let zero = UInt8(ascii: "0")
        guard !(lowercased(bytes[0]) == UInt8(ascii: "f") && lowercased(bytes[1]) == UInt8(ascii: "f")),
            !bytes[3..<35].allSatisfy({ $0 == zero }), !bytes[36..<52].allSatisfy({ $0 == zero })
        else { return nil }
        func text(_ range: Range<Int>) -> String {
            String(unsafeUninitializedCapacity: range.count) { out in
                for (offset, index) in range.enumerated() { out[offset] = lowercased(bytes[index]) }
                return range.count
            }
        }
        return (text(3..<35), text(36..<52), text(53..<55))
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte) ? byte + 0x20 : byte
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
