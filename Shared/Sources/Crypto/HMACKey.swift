// HMAC-SHA256 (OpenSSL's EVP_MAC). A key used again and again (the gateway signs every request it
// forwards and every service checks it) is set up once and each message starts from a copy of that
// state: setting up looks the algorithm and the digest up and hashes the key, which cost more than
// the MAC itself. `Digest.hmacSHA256` is the one-off form.

import COpenSSL

public final class HMACKey: @unchecked Sendable {
    /// Set up with the key, never changed after init: only copied, which reads it.
    private let prepared: OpaquePointer

    public init(_ key: [UInt8]) {
        let mac = EVP_MAC_fetch(nil, "HMAC", nil)
        defer { EVP_MAC_free(mac) }
        prepared = EVP_MAC_CTX_new(mac)!
        let ok = "digest".withCString { name in
            "SHA256".withCString { digest in
                var params = [
                    OSSL_PARAM_construct_utf8_string(name, UnsafeMutablePointer(mutating: digest), 0), OSSL_PARAM_construct_end(),
                ]
                // A null key would mean "the key set before": an empty one still needs an address.
                return (key.isEmpty ? [0] : key).withUnsafeBufferPointer { EVP_MAC_init(prepared, $0.baseAddress, key.count, &params) }
            }
        }
        precondition(ok == 1, "HMAC-SHA256 set-up failed")
    }

    deinit { EVP_MAC_CTX_free(prepared) }

    public func authenticate(_ message: some Collection<UInt8>) -> [UInt8] {
        let context = EVP_MAC_CTX_dup(prepared)!
        defer { EVP_MAC_CTX_free(context) }
        var out = [UInt8](repeating: 0, count: 32)
        var length = 0
        let updated =
            message.withContiguousStorageIfAvailable { EVP_MAC_update(context, $0.baseAddress, $0.count) }
            ?? Array(message).withUnsafeBufferPointer { EVP_MAC_update(context, $0.baseAddress, $0.count) }
        let finished = EVP_MAC_final(context, &out, &length, 32)
        precondition(updated == 1 && finished == 1 && length == 32, "HMAC-SHA256 failed")
        return out
    }
}
