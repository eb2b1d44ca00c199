// HMAC-SHA256 for a key used again and again (the gateway signs every request it forwards and
// every service checks it; every token is checked with the JWT key): the key's inner and outer
// SHA-256 states are computed once (COpenSSL's shim), so a message costs only its own blocks.
// `Digest.hmacSHA256` is the one-off form (OpenSSL's EVP_MAC).

import COpenSSL

public final class HMACKey: @unchecked Sendable {
    /// Set up with the key, never changed after init: only copied, which reads it.
    private let prepared: UnsafeMutablePointer<cshims_hmac_sha256_key>

    public init(_ key: [UInt8]) {
        prepared = .allocate(capacity: 1)
        key.withUnsafeBufferPointer { cshims_hmac_sha256_prepare(prepared, $0.baseAddress, $0.count) }
    }

    deinit {
        OPENSSL_cleanse(prepared, MemoryLayout<cshims_hmac_sha256_key>.size)
        prepared.deallocate()
    }

    public func authenticate(_ message: some Collection<UInt8>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { out, count in
            let done: Void? = message.withContiguousStorageIfAvailable { cshims_hmac_sha256(prepared, $0.baseAddress, $0.count, out.baseAddress) }
            if done == nil { Array(message).withUnsafeBufferPointer { cshims_hmac_sha256(prepared, $0.baseAddress, $0.count, out.baseAddress) } }
            count = 32
        }
    }
}
