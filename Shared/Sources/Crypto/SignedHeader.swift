// `t=<unix seconds>,v1=<hex HMAC-SHA256>`: the signature header of webhooks (both directions) and
// of the identity the gateway passes to the services. Written and checked here; what is signed is
// the caller's business.

public enum SignedHeader {
    public enum Rejection: Error, Equatable {
        case malformed, stale, mismatch
    }

    public static func make(timestamp: Int, mac: [UInt8]) -> String {
        "t=\(timestamp),v1=\(Digest.hex(mac))"
    }

    /// Checks a header: its time within `tolerance` seconds of `now`, and one of its `v1` values
    /// (several while a secret rotates) equal, in constant time, to `mac(timestamp)`. Returns the
    /// signed timestamp.
    @discardableResult
    public static func verify(_ header: String, now: Int, tolerance: Int, mac: (Int) -> [UInt8]) throws(Rejection) -> Int {
        // On the bytes: every request the gateway forwards carries one.
        var timestamp: Int?
        var signatures: [[UInt8]] = []
        for part in header.utf8.split(separator: UInt8(ascii: ",")) {
            guard let equals = part.firstIndex(of: UInt8(ascii: "=")) else { throw .malformed }
            let name = trimmed(part[..<equals]), value = trimmed(part[part.index(after: equals)...])
            guard !name.isEmpty, !value.isEmpty else { throw .malformed }
            if name.elementsEqual("t".utf8) { timestamp = Int(String(decoding: value, as: UTF8.self)) }
            if name.elementsEqual("v1".utf8) { signatures.append(value.map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }) }
        }
        guard let timestamp, !signatures.isEmpty else { throw .malformed }
        guard abs(now - timestamp) <= tolerance else { throw .stale }
        let expected = Array(Digest.hex(mac(timestamp)).utf8)
        guard signatures.contains(where: { Digest.constantTimeEquals($0, expected) }) else { throw .mismatch }
        return timestamp
    }

    private static func trimmed(_ bytes: Substring.UTF8View.SubSequence) -> Substring.UTF8View.SubSequence {
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return bytes[bytes.endIndex...] }
        return bytes[first...last]
    }
}
