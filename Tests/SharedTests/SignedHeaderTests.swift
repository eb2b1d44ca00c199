// `t=<unix>,v1=<hex>` headers (webhooks both ways, the gateway's identity): what passes and why the rest fails.

import Shared
import Testing

@Suite struct SignedHeaderTests {
    static let key: [UInt8] = Array("a secret of the right kind".utf8)
    static func mac(_ timestamp: Int) -> [UInt8] { Digest.hmacSHA256(key: key, message: Array("\(timestamp).body".utf8)) }
    static let now = 1_800_000_000
    static let good = Digest.hex(mac(now))

    @Test func acceptsTheSignatureWrittenForTheSameTime() throws {
        let header = SignedHeader.make(timestamp: Self.now, mac: Self.mac(Self.now))
        #expect(try SignedHeader.verify(header, now: Self.now + 10, tolerance: 300, mac: Self.mac) == Self.now)
        #expect(try SignedHeader.verify(" t = \(Self.now) , v1 = \(Self.good.uppercased()) ", now: Self.now, tolerance: 300, mac: Self.mac) == Self.now,
            "spaces around parts and upper-case hex are accepted")
        #expect(try SignedHeader.verify("t=\(Self.now),v1=\(String(repeating: "0", count: 64)),v1=\(Self.good)", now: Self.now, tolerance: 300, mac: Self.mac) == Self.now,
            "while a secret rotates, any one of several v1 values may match")
    }

    @Test(arguments: [
        ("", SignedHeader.Rejection.malformed), ("garbage", .malformed), ("t=\(now)", .malformed), ("v1=\(good)", .malformed),
        ("t=,v1=\(good)", .malformed), ("t=\(now),v1=", .malformed), ("=\(now),v1=\(good)", .malformed), ("t=soon,v1=\(good)", .malformed),
        ("t=\(now - 301),v1=\(good)", .stale), ("t=\(now + 301),v1=\(good)", .stale),
        ("t=\(now),v1=\(good.dropLast())", .mismatch), ("t=\(now),v1=\(String(good.reversed()))", .mismatch), ("t=\(now + 1),v1=\(good)", .mismatch),
    ])
    func refuses(_ header: String, _ reason: SignedHeader.Rejection) {
        #expect(throws: reason) { try SignedHeader.verify(header, now: Self.now, tolerance: 300, mac: Self.mac) }
    }
}
