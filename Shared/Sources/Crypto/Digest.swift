// SHA-256, HMAC-SHA256, constant-time comparison and secure random bytes, over OpenSSL.

import COpenSSL
import FoundationEssentials
import Glibc

public enum Digest {
    public static func sha256(_ data: some DataProtocol) -> [UInt8] { digest(data, EVP_sha256(), size: 32) }

    /// SHA-1, only where a protocol names it (Redis script ids); never for security.
    public static func sha1(_ data: some DataProtocol) -> [UInt8] { digest(data, EVP_sha1(), size: 20) }

    private static func digest(_ data: some DataProtocol, _ algorithm: OpaquePointer?, size: Int) -> [UInt8] {
        let input = Array(data)
        var out = [UInt8](repeating: 0, count: size)
        var length: UInt32 = 0
        let ok = input.withUnsafeBytes { EVP_Digest($0.baseAddress, $0.count, &out, &length, algorithm, nil) }
        precondition(ok == 1 && length == size, "EVP_Digest failed")
        return out
    }

    public static func hmacSHA256(key: some DataProtocol, message: some DataProtocol) -> [UInt8] {
        HMACKey(Array(key)).authenticate(Array(message))
    }

    /// Equal contents, in time that depends only on the length: for comparing signatures and hashes.
    public static func constantTimeEquals(_ a: some DataProtocol, _ b: some DataProtocol) -> Bool {
        let a = Array(a), b = Array(b)
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, x.count) == 0 } }
    }

    /// Bytes from OpenSSL's CSPRNG.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        guard count > 0 else { return out }
        precondition(RAND_bytes(&out, Int32(count)) == 1, "RAND_bytes failed")
        return out
    }

    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        String(decoding: hexBytes(bytes), as: UTF8.self)
    }

    /// The same as ASCII bytes.
    public static func hexBytes(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0xF)])
        }
        return out
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
