// Salted slow hashing of API secrets: PBKDF2-HMAC-SHA256 with its parameters stored beside the hash,
// "pbkdf2-sha256$<iterations>$<salt>$<hash>" (base64url), so the cost can be raised without breaking old hashes.

import COpenSSL
import FoundationEssentials
import Glibc

public enum PasswordHash {
    /// OWASP's 2023 figure for PBKDF2-HMAC-SHA256 is 600,000; API secrets are 256-bit random, so a
    /// lower cost keeps the token endpoint cheap without making the secret guessable.
    public static let defaultIterations = 210_000

    public static func make(_ secret: String, iterations: Int = defaultIterations) -> String {
        let salt = Digest.randomBytes(16)
        let hash = derive(secret, salt: salt, iterations: iterations)
        return "pbkdf2-sha256$\(iterations)$\(Base64URL.encode(salt))$\(Base64URL.encode(hash))"
    }

    /// False for a wrong secret and for a stored value that is not a hash we wrote.
    public static func verify(_ secret: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$")
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let iterations = Int(parts[1]), (1...10_000_000).contains(iterations),
            let salt = Base64URL.decode(parts[2]), let expected = Base64URL.decode(parts[3]), expected.count == 32
        else { return false }
        return Digest.constantTimeEquals(derive(secret, salt: salt, iterations: iterations), expected)
    }

    public static func derive(_ secret: String, salt: [UInt8], iterations: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        let password = Array(secret.utf8)
        let ok = password.withUnsafeBufferPointer { p in
            PKCS5_PBKDF2_HMAC(
                UnsafeRawPointer(p.baseAddress)?.assumingMemoryBound(to: CChar.self), Int32(p.count),
                salt, Int32(salt.count), Int32(iterations), EVP_sha256(), 32, &out)
        }
        precondition(ok == 1, "PKCS5_PBKDF2_HMAC failed")
        return out
    }
}
