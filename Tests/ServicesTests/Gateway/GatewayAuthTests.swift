// Tokens: issued only for a valid key and secret; refused when tampered, unsigned, expired or revoked;
// admin routes closed to distributors; identity headers from the token, never from the client.

import Foundation
@testable import Gateway
import Hummingbird
import HummingbirdTesting
@testable import Shared
import Testing

@Suite(.serialized) struct GatewayAuthTests {
    @Test func refusesUnknownKeyAndWrongSecret() async throws {
        try await GatewayHarness().run { client in
            for (key, secret) in [("hk_nobody", "whatever-secret"), (GatewayHarness.admin.key, "wrong-secret-0123456789")] {
                let body = try JSONSerialization.data(withJSONObject: ["api_key": key, "api_secret": secret])
                try await client.execute(uri: "/api/v1/auth/token", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body)) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.contentType] == "application/problem+json")
                    #expect(String(buffer: response.body).contains(#""code":"invalid_credentials""#))
                }
            }
        }
    }

    @Test func bootstrapOperatorFromTheEnvironmentCanSignIn() async throws {
        try await GatewayHarness().run { client in
            let token = try await client.token(key: GatewayHarness.adminKey, secret: GatewayHarness.adminSecret)
            try await client.json("/api/v1/admin/tenants", .get, token: token, expect: .ok)
        }
    }

    @Test func refusesTamperedUnsignedAndExpiredTokens() async throws {
        try await GatewayHarness().run { client in
            let admin = try await client.adminToken()
            try await client.json("/api/v1/admin/tenants", .get, token: admin, expect: .ok)

            var parts = admin.split(separator: ".").map(String.init)
            let claims = try #require(Base64URL.decode(parts[1]))
            var json = try #require(try JSONSerialization.jsonObject(with: Data(claims)) as? [String: Any])
            json["tenant_id"] = UUID().uuidString.lowercased()
            parts[1] = Base64URL.encode(try JSONSerialization.data(withJSONObject: json))
            try await client.json("/api/v1/admin/tenants", .get, token: parts.joined(separator: "."), expect: .unauthorized)

            let none = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8)) + "." + parts[1] + "."
            let problem = try await client.json("/api/v1/admin/tenants", .get, token: none, expect: .unauthorized)
            #expect(problem["code"] as? String == "invalid_token")

            let signer = AccessTokenSigner(secret: ServiceEnvironment.secrets["JWT_SECRET"]!)
            let now = Int(Date().timeIntervalSince1970)
            let expired = try signer.sign(AccessClaims(
                tenantId: BootstrapOperator.tenantId, role: .admin, keyId: GatewayHarness.admin.key,
                issuedAt: now - 7200, expiresAt: now - 3600, tokenId: "t1"))
            let late = try await client.json("/api/v1/admin/tenants", .get, token: expired, expect: .unauthorized)
            #expect(late["code"] as? String == "token_expired")

            try await client.json("/api/v1/admin/tenants", .get, token: "not-a-jwt", expect: .unauthorized)
            try await client.execute(uri: "/api/v1/admin/tenants", method: .get) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func revokedKeyStopsAtOnceAndDistributorsGet403OnAdminRoutes() async throws {
        try await GatewayHarness().run { client in
            let admin = try await client.adminToken()
            let distributor = try await client.newDistributor(admin: admin)
            let token = try await client.token(key: distributor.key, secret: distributor.secret)

            let forbidden = try await client.json("/api/v1/admin/tenants", .get, token: token, expect: .forbidden)
            #expect(forbidden["code"] as? String == "admin_only")
            try await client.json("/api/v1/admin/suppliers", .get, token: token, expect: .forbidden)
            // A distributor route whose service is not built yet.
            let planned = try await client.json(GatewayHarness.plannedRoute, .get, token: token, expect: .notImplemented)
            #expect(planned["upstream"] as? String == "bi")

            try await client.json("/api/v1/admin/tenants/\(distributor.tenant)/keys/\(distributor.key)", .delete, token: admin, expect: .ok)
            let revoked = try await client.json("/api/v1/orders", .get, token: token, expect: .unauthorized)
            #expect(revoked["code"] as? String == "token_revoked")
            let body = try JSONSerialization.data(withJSONObject: ["api_key": distributor.key, "api_secret": distributor.secret])
            try await client.execute(uri: "/api/v1/auth/token", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body)) {
                #expect($0.status == .unauthorized)
            }
        }
    }

    @Test func rotationReplacesTheKeyAndSuspensionStopsTheTenant() async throws {
        try await GatewayHarness().run { client in
            let admin = try await client.adminToken()
            let distributor = try await client.newDistributor(admin: admin)
            let oldToken = try await client.token(key: distributor.key, secret: distributor.secret)
            let rotated = try await client.json(
                "/api/v1/admin/tenants/\(distributor.tenant)/keys/\(distributor.key)/rotate", .post, token: admin, expect: .created)
            let newKey = try #require(rotated["api_key"] as? String)
            #expect(newKey != distributor.key)
            try await client.json(GatewayHarness.plannedRoute, .get, token: oldToken, expect: .unauthorized)
            let newToken = try await client.token(key: newKey, secret: try #require(rotated["api_secret"] as? String))
            try await client.json(GatewayHarness.plannedRoute, .get, token: newToken, expect: .notImplemented)

            try await client.json("/api/v1/admin/tenants/\(distributor.tenant)", .patch, token: admin, body: ["status": "suspended"], expect: .ok)
            let suspended = try await client.json(GatewayHarness.plannedRoute, .get, token: newToken, expect: .unauthorized)
            #expect(suspended["code"] as? String == "token_revoked")
        }
    }

    @Test func upstreamSeesTheTokensTenantNotTheClientsHeader() async throws {
        let upstream = StandInUpstream()
        try await upstream.start()
        defer { Task { await upstream.stop() } }
        try await GatewayHarness(["ORDER_URL": upstream.url]).run { client in
            let admin = try await client.adminToken()
            let distributor = try await client.newDistributor(admin: admin)
            let token = try await client.token(key: distributor.key, secret: distributor.secret)
            let seen = try await client.json(
                "/api/v1/services/order/health", .get, token: token,
                headers: [.tenantId: "00000000-0000-0000-0000-000000000bad", .role: "admin", .requestId: "req-spoof-1"], expect: .ok)
            #expect(seen["tenant"] as? String == distributor.tenant)
            #expect(seen["role"] as? String == "distributor")
            #expect(seen["request_id"] as? String == "req-spoof-1")
            #expect(seen["authorization"] as? String == "", "the client's token stays at the gateway")
            let identity = GatewayIdentity(secret: try #require(ServiceEnvironment.secrets["GATEWAY_IDENTITY_SECRET"]))
            #expect(identity.verify(
                try #require(seen["signature"] as? String), identity: CallerIdentity(tenantId: distributor.tenant, role: "distributor"),
                method: "GET", path: try #require(seen["path"] as? String), requestId: "req-spoof-1", now: Int(Date().timeIntervalSince1970)),
                "the service can check that the gateway vouches for this identity")
        }
        await upstream.stop()
    }
}
