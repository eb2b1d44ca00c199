// Webhook signatures, both directions: `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`.
// Pure: the caller supplies the time.

import Shared

enum WebhookSignature {
    /// How old a signed inbound webhook may be.
    static let tolerance = 300

    static func header(secret: String, timestamp: Int, body: [UInt8]) -> String {
        SignedHeader.make(timestamp: timestamp, mac: mac(secret: secret, timestamp: timestamp, body: body))
    }

    typealias Rejection = SignedHeader.Rejection

    /// Checks a header against the body; returns the signed timestamp.
    @discardableResult
    static func verify(_ header: String, secret: String, body: [UInt8], now: Int) throws(Rejection) -> Int {
        try SignedHeader.verify(header, now: now, tolerance: tolerance) { mac(secret: secret, timestamp: $0, body: body) }
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
