// Encrypts short secrets (supplier credentials) under a key derived from ENCRYPTION_SECRET, into one
// self-describing string: "v1." + base64url(nonce || ciphertext || tag).

import FoundationEssentials
import Glibc

public struct SecretBox: Sendable {
    private let key: [UInt8]

    /// The AES key is HMAC-SHA256(secret, purpose): a domain-separated 32-byte key from any long secret.
    public init(secret: String, purpose: String = "hotel-platform/secret-box/v1") {
        self.key = Digest.hmacSHA256(key: Array(secret.utf8), message: Array(purpose.utf8))
    }

    /// `context` (e.g. the supplier code) is authenticated but not stored: a value moved to another row fails to open.
    public func seal(_ plaintext: String, context: String = "") throws -> String {
        let sealed = try AESGCM.seal(Array(plaintext.utf8), key: key, aad: Array(context.utf8))
        return "v1." + Base64URL.encode(sealed.nonce + sealed.ciphertext + sealed.tag)
    }

    public func open(_ box: String, context: String = "") throws -> String {
        guard box.hasPrefix("v1."), let bytes = Base64URL.decode(box.dropFirst(3)), bytes.count >= AESGCM.nonceSize + AESGCM.tagSize else {
            throw AESGCM.Failure.malformed
        }
        let sealed = AESGCM.Sealed(
            nonce: Array(bytes.prefix(AESGCM.nonceSize)),
            ciphertext: Array(bytes.dropFirst(AESGCM.nonceSize).dropLast(AESGCM.tagSize)),
            tag: Array(bytes.suffix(AESGCM.tagSize))
        )
        return String(decoding: try AESGCM.open(sealed, key: key, aad: Array(context.utf8)), as: UTF8.self)
    }
}
