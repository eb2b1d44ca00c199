// Every /api/v1 route but the public ones needs a bearer token this gateway signed, for a key that
// is not revoked, of a tenant that is not suspended. Admin routes additionally need the admin role.

import FoundationEssentials
import Hummingbird
import NIOConcurrencyHelpers
import Shared

struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = PlatformRequestContext
    let authenticator: Authenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.identity = try authenticator.caller(authorization: request.headers.first(.authorization))
        return try await next(request, context)
    }
}

/// Who sends a request, from its Authorization header: the middleware's and the fast lane's check.
struct Authenticator: Sendable {
    let signer: AccessTokenSigner
    let revocations: RevocationList
    let verified = VerifiedTokens()

    func caller(authorization header: String?) throws(Problem) -> CallerIdentity {
        guard let header else {
            throw Problem(.unauthorized, code: "missing_token", detail: "Send Authorization: Bearer <token>; get a token from POST /api/v1/auth/token.")
        }
        // On the bytes: counting a 300-byte token's Characters cost more than the rest of the check.
        guard header.utf8.count > 7, header.utf8.prefix(7).elementsEqual("bearer ".utf8, by: { $0 | 0x20 == $1 }) else {
            throw Problem(.unauthorized, code: "invalid_token", detail: "The Authorization header must be 'Bearer <token>'.")
        }
        let claims: AccessClaims
        do {
            claims = try verified.claims(of: header.dropFirst(7).trimmed, signer: signer, now: Int(Date().timeIntervalSince1970))
        } catch {
            throw Problem(.unauthorized, code: error == .expired ? "token_expired" : "invalid_token", detail: error.description)
        }
        guard !revocations.isRevoked(keyId: claims.keyId, tenantId: claims.tenantId) else {
            throw Problem(.unauthorized, code: "token_revoked", detail: "The API key behind this token was revoked or its tenant suspended.")
        }
        return CallerIdentity(tenantId: claims.tenantId, role: claims.role.rawValue, keyId: claims.keyId)
    }
}

/// Tokens whose signature was already checked, with their claims: a client sends the same token on
/// every request, and checking it once is enough (expiry and revocation are still checked each
/// time). Bounded: emptied when full.
final class VerifiedTokens: Sendable {
    static let capacity = 4096
    private let entries = NIOLockedValueBox<[String: AccessClaims]>([:])

    func claims(of token: String, signer: AccessTokenSigner, now: Int) throws(TokenRejection) -> AccessClaims {
        if let claims = entries.withLockedValue({ $0[token] }) {
            guard claims.expiresAt > now else { throw .expired }
            return claims
        }
        let claims = try signer.verify(token, now: now)
        entries.withLockedValue { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = claims
        }
        return claims
    }
}

/// Admin routes: 403 for distributors.
struct AdminOnlyMiddleware: RouterMiddleware {
    typealias Context = PlatformRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try Self.requireAdmin(context)
        return try await next(request, context)
    }

    static func requireAdmin(_ context: Context) throws {
        guard context.identity?.role == Role.admin.rawValue else {
            throw Problem(.forbidden, code: "admin_only", detail: "This route is for platform operators; your token has the distributor role.")
        }
    }
}
