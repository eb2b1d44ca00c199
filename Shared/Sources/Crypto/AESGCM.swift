// AES-256-GCM authenticated encryption over OpenSSL: supplier credentials at rest.

import COpenSSL
import FoundationEssentials
import Glibc

public enum AESGCM {
    public static let keySize = 32
    public static let nonceSize = 12
    public static let tagSize = 16

    public enum Failure: Error, Equatable {
        case badKey, badNonce, authenticationFailed, malformed
    }

    public struct Sealed: Equatable, Sendable {
        public let nonce: [UInt8]
        public let ciphertext: [UInt8]
        public let tag: [UInt8]

        public init(nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
            self.nonce = nonce
            self.ciphertext = ciphertext
            self.tag = tag
        }
    }

    public static func seal(_ plaintext: some DataProtocol, key: [UInt8], nonce: [UInt8] = Digest.randomBytes(nonceSize), aad: [UInt8] = []) throws -> Sealed {
        guard key.count == keySize else { throw Failure.badKey }
        guard nonce.count == nonceSize else { throw Failure.badNonce }
        let input = Array(plaintext)
        guard let ctx = EVP_CIPHER_CTX_new() else { throw Failure.malformed }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: input.count + 16)
        var tag = [UInt8](repeating: 0, count: tagSize)
        var length: Int32 = 0, total: Int32 = 0
        guard EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nil, nil, nil) == 1,
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, Int32(nonceSize), nil) == 1,
            EVP_EncryptInit_ex(ctx, nil, nil, key, nonce) == 1,
            aad.isEmpty || EVP_EncryptUpdate(ctx, nil, &length, aad, Int32(aad.count)) == 1,
            EVP_EncryptUpdate(ctx, &out, &length, input, Int32(input.count)) == 1
        else { throw Failure.malformed }
        total = length
        let finished = out.withUnsafeMutableBufferPointer { EVP_EncryptFinal_ex(ctx, $0.baseAddress! + Int(total), &length) }
        guard finished == 1, EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, Int32(tagSize), &tag) == 1 else { throw Failure.malformed }
        total += length
        return Sealed(nonce: nonce, ciphertext: Array(out.prefix(Int(total))), tag: tag)
    }

    public static func open(_ sealed: Sealed, key: [UInt8], aad: [UInt8] = []) throws -> [UInt8] {
        guard key.count == keySize else { throw Failure.badKey }
        guard sealed.nonce.count == nonceSize else { throw Failure.badNonce }
        guard sealed.tag.count == tagSize else { throw Failure.authenticationFailed }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw Failure.malformed }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: sealed.ciphertext.count + 16)
        var tag = sealed.tag
        var length: Int32 = 0, total: Int32 = 0
        guard EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nil, nil, nil) == 1,
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, Int32(nonceSize), nil) == 1,
            EVP_DecryptInit_ex(ctx, nil, nil, key, sealed.nonce) == 1,
            aad.isEmpty || EVP_DecryptUpdate(ctx, nil, &length, aad, Int32(aad.count)) == 1,
            EVP_DecryptUpdate(ctx, &out, &length, sealed.ciphertext, Int32(sealed.ciphertext.count)) == 1,
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, Int32(tagSize), &tag) == 1
        else { throw Failure.authenticationFailed }
        total = length
        let verified = out.withUnsafeMutableBufferPointer { EVP_DecryptFinal_ex(ctx, $0.baseAddress! + Int(total), &length) }
        guard verified == 1 else { throw Failure.authenticationFailed }
        total += length
        return Array(out.prefix(Int(total)))
    }
}
