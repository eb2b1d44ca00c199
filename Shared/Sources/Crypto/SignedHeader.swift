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
        var timestamp: Int?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmed }
            guard pair.count == 2 else { throw .malformed }
            if pair[0] == "t" { timestamp = Int(pair[1]) }
            if pair[0] == "v1" { signatures.append(pair[1].lowercased()) }
        }
        guard let timestamp, !signatures.isEmpty else { throw .malformed }
        guard abs(now - timestamp) <= tolerance else { throw .stale }
        let expected = Array(Digest.hex(mac(timestamp)).utf8)
        guard signatures.contains(where: { Digest.constantTimeEquals(Array($0.utf8), expected) }) else { throw .mismatch }
        return timestamp
    }
}
