// POST /api/v1/auth/token: an API key and secret for a JWT.

import FoundationEssentials
import Hummingbird
import NIOPosix
import Shared

struct AuthController {
    let repository: TenantRepository
    let signer: AccessTokenSigner
    let limiter: RateLimiter
    let expiry: Duration

    struct TokenRequest: Decodable {
        var apiKey: String
        var apiSecret: String
        enum CodingKeys: String, CodingKey { case apiKey = "api_key", apiSecret = "api_secret" }
    }

    struct TokenResponse: Encodable, ResponseEncodable {
        var accessToken: String
        var tokenType = "Bearer"
        var expiresIn: Int
        var tenantId: String
        var role: Role
        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token", tokenType = "token_type", expiresIn = "expires_in", tenantId = "tenant_id", role
        }
    }

    /// Guessing secrets costs a slow hash each; this bounds the guesses per key id.
    static let attempts = RateLimit(max: 20, window: .seconds(60))
    /// Verified against when the key does not exist, so both cases take as long.
    static let decoyHash = PasswordHash.make("decoy")

    func add(to router: RouterGroup<PlatformRequestContext>) {
        router.post("/auth/token") { request, context in try await token(request, context) }
    }

    func token(_ request: Request, _ context: PlatformRequestContext) async throws -> TokenResponse {
        let body = try await request.decode(as: TokenRequest.self, context: context)
        guard !body.apiKey.isEmpty, body.apiKey.count <= 100, !body.apiSecret.isEmpty, body.apiSecret.count <= 200 else {
            throw Problem(.badRequest, code: "invalid_body", detail: "api_key and api_secret are required.")
        }
        guard await limiter.admit("token:" + body.apiKey, limit: Self.attempts).allowed else {
            throw Problem(.tooManyRequests, code: "rate_limited", detail: "Too many token requests for this key; wait a minute.", headers: [.retryAfter: "60"])
        }
        let credential = try await repository.credential(body.apiKey)
        let stored = credential?.secretHash ?? Self.decoyHash
        let matches = try await NIOThreadPool.singleton.runIfActive { PasswordHash.verify(body.apiSecret, against: stored) }
        guard let credential, matches, credential.key.status == .active, credential.tenantStatus == .active else {
            throw Problem(.unauthorized, code: "invalid_credentials", detail: "Unknown API key, wrong secret, or the key was revoked.")
        }
        let now = Int(Date().timeIntervalSince1970)
        let lifetime = Int(expiry.components.seconds)
        let claims = AccessClaims(
            tenantId: credential.key.tenantId, role: credential.key.role, keyId: credential.key.keyId,
            issuedAt: now, expiresAt: now + lifetime, tokenId: UUID().uuidString.lowercased())
        return TokenResponse(accessToken: try signer.sign(claims), expiresIn: lifetime, tenantId: claims.tenantId, role: claims.role)
    }
}
