// Services take the caller's identity only from headers the gateway signed.

import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Shared
import Testing

@Suite struct GatewayIdentityTests {
    static let secret = "gateway-identity-secret-for-tests-0123"
    let signer = GatewayIdentity(secret: Self.secret)
    let caller = CallerIdentity(tenantId: "7d6e5635-eaa0-40bf-826f-e879688f6cfd", role: "distributor")

    @Test func signatureCoversIdentityRequestAndTime() {
        let now = 1_795_256_957
        let header = signer.sign(caller, method: "GET", path: "/orders/1", requestId: "r1", now: now)
        #expect(signer.verify(header, identity: caller, method: "GET", path: "/orders/1", requestId: "r1", now: now + 299))
        let other = CallerIdentity(tenantId: "00000000-0000-4000-8000-000000000002", role: "distributor")
        #expect(!signer.verify(header, identity: other, method: "GET", path: "/orders/1", requestId: "r1", now: now), "another tenant")
        #expect(!signer.verify(header, identity: CallerIdentity(tenantId: caller.tenantId, role: "admin"), method: "GET", path: "/orders/1", requestId: "r1", now: now), "another role")
        #expect(!signer.verify(header, identity: caller, method: "DELETE", path: "/orders/1", requestId: "r1", now: now))
        #expect(!signer.verify(header, identity: caller, method: "GET", path: "/orders/2", requestId: "r1", now: now))
        #expect(!signer.verify(header, identity: caller, method: "GET", path: "/orders/1", requestId: "r2", now: now))
        #expect(!signer.verify(header, identity: caller, method: "GET", path: "/orders/1", requestId: "r1", now: now + 301), "stale")
        #expect(!GatewayIdentity(secret: "another-secret-entirely-0123456789abc").verify(header, identity: caller, method: "GET", path: "/orders/1", requestId: "r1", now: now))
        #expect(!signer.verify("garbage", identity: caller, method: "GET", path: "/orders/1", requestId: "r1", now: now))
    }

    @Test func servicesAcceptOnlyTheGatewaysSignedIdentity() async throws {
        let app = try TestService.application(environment: ["GATEWAY_IDENTITY_SECRET": Self.secret])
        try await app.test(.router) { client in
            let now = Int(Date().timeIntervalSince1970)
            let signed = signer.sign(caller, method: "GET", path: "/whoami", requestId: "req-1", now: now)
            var headers: HTTPFields = [.tenantId: caller.tenantId, .role: caller.role, .requestId: "req-1", .gatewaySignature: signed]
            try await client.execute(uri: "/whoami", method: .get, headers: headers) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "\(caller.tenantId) as distributor")
            }
            headers[.role] = "admin"
            try await client.execute(uri: "/whoami", method: .get, headers: headers) { response in
                #expect(response.status == .unauthorized, "a role the gateway did not sign")
                #expect((try? json(response.body))?["code"] as? String == "untrusted_identity")
            }
            try await client.execute(uri: "/whoami", method: .get, headers: [.tenantId: caller.tenantId, .role: "admin"]) { response in
                #expect(response.status == .unauthorized, "spoofed headers without a signature")
                #expect((try? json(response.body))?["code"] as? String == "untrusted_identity")
            }
            try await client.execute(uri: "/whoami", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect((try? json(response.body))?["code"] as? String == "missing_identity")
            }
            try await client.execute(uri: "/hotels/1", method: .get) { #expect($0.status == .ok, "routes without identity are unaffected") }
        }
    }

    @Test func withoutTheSecretAServiceTrustsNoIdentity() async throws {
        let app = try TestService.application()
        try await app.test(.router) { client in
            let signed = signer.sign(caller, method: "GET", path: "/whoami", requestId: "req-1", now: Int(Date().timeIntervalSince1970))
            try await client.execute(
                uri: "/whoami", method: .get, headers: [.tenantId: caller.tenantId, .role: caller.role, .requestId: "req-1", .gatewaySignature: signed]
            ) { #expect($0.status == .unauthorized) }
        }
    }
}
