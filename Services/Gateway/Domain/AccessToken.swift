// JWT access tokens (HS256 only): issued for an API key, verified on every request. Pure: no I/O.

import FoundationEssentials
import Shared

enum Role: String, Codable, Sendable {
    case distributor, admin
}

/// What a verified token says about its bearer.
struct AccessClaims: Codable, Equatable, Sendable {
    var tenantId: String
    var role: Role
    /// The API key the token was issued for: revoking the key ends the token.
    var keyId: String
    var issuedAt: Int
    var expiresAt: Int
    var tokenId: String

    enum CodingKeys: String, CodingKey {
        case tenantId = "tenant_id", role, keyId = "key_id", issuedAt = "iat", expiresAt = "exp", tokenId = "jti"
    }
}

enum TokenRejection: Error, Equatable, CustomStringConvertible {
    case malformed, unsupportedAlgorithm(String), badSignature, expired, issuedInFuture

    var description: String {
        switch self {
        case .malformed: "the bearer token is not a JWT"
        case .unsupportedAlgorithm(let alg): "tokens signed with \(alg) are not accepted; use a token from POST /api/v1/auth/token"
        case .badSignature: "the token signature does not verify"
        case .expired: "the token has expired; exchange your API key for a new one"
        case .issuedInFuture: "the token is not valid yet"
        }
    }
}

struct AccessTokenSigner: Sendable {
    private let key: [UInt8]
    /// Clock skew tolerated on `iat` between gateway replicas.
    static let skewSeconds = 60
    private static let header = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
    // Made once: verification runs on every request.
    private static let decoder = JSONDecoder()
    private static let encoder = JSONEncoder()

    private struct Header: Decodable {
        var alg: String
    }

    init(secret: String) {
        key = Array(secret.utf8)
    }

    func sign(_ claims: AccessClaims) throws -> String {
        let input = Self.header + "." + Base64URL.encode(try Self.encoder.encode(claims))
        return input + "." + Base64URL.encode(Digest.hmacSHA256(key: key, message: Array(input.utf8)))
    }

    /// The claims of a token this gateway signed that has not expired at `now` (unix seconds).
    func verify(_ token: some StringProtocol, now: Int) throws(TokenRejection) -> AccessClaims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64URL.decode(parts[0]),
            let header = try? Self.decoder.decode(Header.self, from: Data(headerBytes))
        else { throw .malformed }
        // Only HS256: `none` and every other algorithm are refused before anything else is read.
        guard header.alg == "HS256" else { throw .unsupportedAlgorithm(header.alg) }
        guard let signature = Base64URL.decode(parts[2]) else { throw .malformed }
        let signed = token[parts[0].startIndex..<parts[1].endIndex]
        guard Digest.constantTimeEquals(Digest.hmacSHA256(key: key, message: Array(signed.utf8)), signature) else { throw .badSignature }
        guard let payload = Base64URL.decode(parts[1]), let claims = try? Self.decoder.decode(AccessClaims.self, from: Data(payload)) else {
            throw .malformed
        }
        guard claims.expiresAt > now else { throw .expired }
        guard claims.issuedAt <= now + Self.skewSeconds else { throw .issuedInFuture }
        return claims
    }
}
