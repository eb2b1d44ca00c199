// `t=<unix seconds>,v1=<hex HMAC-SHA256>`: the signature header of webhooks (both directions) and
// of the identity the gateway passes to the services. Written and checked here; what is signed is
// the caller's business.

public enum SignedHeader {
    public enum Rejection: Error, Equatable {
        case malformed, stale, mismatch
    }

    public static func make(timestamp: Int, mac: [UInt8]) -> String {
        "t=" + String(timestamp) + ",v1=" + Digest.hex(mac)
    }

    /// Checks a header: its time within `tolerance` seconds of `now`, and one of its `v1` values
    /// (several while a secret rotates) equal, in constant time, to `mac(timestamp)`. Returns the
    /// signed timestamp.
    @discardableResult
    public static func verify(_ header: String, now: Int, tolerance: Int, mac: (Int) -> [UInt8]) throws(Rejection) -> Int {
        // On the bytes, without copies: every request the gateway forwards carries one.
        var header = header
        guard let (timestamp, signatures) = header.withUTF8(parse), let timestamp, !signatures.isEmpty else { throw .malformed }
        guard abs(now - timestamp) <= tolerance else { throw .stale }
        let expected = Digest.hexBytes(mac(timestamp))
        guard signatures.contains(where: { Digest.constantTimeEquals($0, expected) }) else { throw .mismatch }
        return timestamp
    }

    /// `name=value` parts between commas (empty parts skipped): the `t` and every `v1` (in lower
    /// case); nil when a part is not `name=value`.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> (timestamp: Int?, signatures: [[UInt8]])? {
        var timestamp: Int?, signatures: [[UInt8]] = []
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: ",") { end += 1 }
            defer { start = end + 1 }
            guard end > start else { continue }
            let part = bytes[start..<end]
            guard let equals = part.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            let name = trimmed(part[..<equals]), value = trimmed(part[(equals + 1)...])
            guard !name.isEmpty, !value.isEmpty else { return nil }
            if name.elementsEqual("t".utf8) { timestamp = Int(String(decoding: value, as: UTF8.self)) }
            if name.elementsEqual("v1".utf8) { signatures.append(value.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }) }
        }
        return (timestamp, signatures)
    }

    private static func trimmed(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>> {
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return bytes[bytes.endIndex...] }
        return bytes[first...last]
    }
}
