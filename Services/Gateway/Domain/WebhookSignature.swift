// Webhook signatures, both directions: `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`.
// Pure: the caller supplies the time.

import Shared

enum WebhookSignature {
    /// How old a signed inbound webhook may be.
    static let tolerance = 300

    static func header(secret: String, timestamp: Int, body: [UInt8]) -> String {
        "t=\(timestamp),v1=\(Digest.hex(mac(secret: secret, timestamp: timestamp, body: body)))"
    }

    enum Rejection: Error, Equatable {
        case malformed, stale, mismatch
    }

    /// Checks a header against the body; any of several `v1` values may match (secret rotation).
    /// Returns the signed timestamp.
    @discardableResult
    static func verify(_ header: String, secret: String, body: [UInt8], now: Int) throws(Rejection) -> Int {
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
        let expected = Digest.hex(mac(secret: secret, timestamp: timestamp, body: body))
        guard signatures.contains(where: { Digest.constantTimeEquals(Array($0.utf8), Array(expected.utf8)) }) else { throw .mismatch }
        return timestamp
    }

    /// What identifies one signed message whatever the header's formatting: a digest of the signed
    /// timestamp and body. Seen twice, it is a replay.
    static func messageKey(timestamp: Int, body: [UInt8]) -> String {
        Digest.hex(Digest.sha256(Array("\(timestamp).".utf8) + body))
    }

    private static func mac(secret: String, timestamp: Int, body: [UInt8]) -> [UInt8] {
        Digest.hmacSHA256(key: Array(secret.utf8), message: Array("\(timestamp).".utf8) + body)
    }
}

/// When a failed outbound delivery is tried again: exponential backoff (each delay scaled by a random half to whole), for up to
/// `giveUpAfter` since the event was first attempted; after that it is dead-lettered.
struct DeliverySchedule: Sendable {
    var base: Duration = .seconds(10)
    var cap: Duration = .hours(1)
    var giveUpAfter: Duration = .hours(24)

    /// The delay before attempt `attempt + 1`, or nil when the delivery is out of time.
    func delay(afterAttempt attempt: Int, age: Duration, jitter: Double) -> Duration? {
        let exponential = base * (1 << min(max(attempt - 1, 0), 30))
        let delay = min(exponential, cap) * max(0.5, min(jitter, 1))
        return age + delay > giveUpAfter ? nil : delay
    }
}

extension Duration {
    static func hours(_ hours: Int) -> Duration { .seconds(hours * 3600) }
}
