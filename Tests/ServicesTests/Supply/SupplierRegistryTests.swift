// The supplier registry: operators register and change suppliers; credentials are sealed at rest
// and never shown again.

import Foundation
import HTTPTypes
import HummingbirdTesting
@testable import Shared
@testable import SupplierAdapter
@testable import SupplierSim
import Testing
import TestSupport

@Suite(.serialized) struct SupplierRegistryTests {
    @Test func credentialsAreSealedAtRestAndNeverShown() async throws {
        try await SupplyHarness().run { simulator, client in
            let code = try await client.register("globebeds", on: simulator)
            let path = "/api/v1/admin/suppliers/\(code)"
            let (status, json) = try await client.call(path, .get, headers: client.operatorHeaders(.get, path))
            let view = try #require(json as? [String: Any])
            #expect(status == .ok && view["has_secret"] as? Bool == true && view["api_key"] as? String == "globebeds-key")
            #expect(view["secret"] == nil && view["credentials"] == nil, "the secret never leaves: \(view)")

            let env = EnvironmentVariables(ServiceEnvironment.all)
            let pool = PostgresPool(settings: try PostgresSettings(env, applicationName: "test"), logger: .init(label: "test"))
            let stored = try await pool.query("SELECT credentials FROM supplier.suppliers WHERE code = $1", [code]).first!.string("credentials")
            let secret = simulator.credentials.secret("globebeds")
            #expect(!stored.contains(secret) && !stored.contains("globebeds-key"), "sealed, not plain: \(stored)")
            let repository = SupplierRepository(pool: pool, secrets: SecretBox(secret: ServiceEnvironment.secrets["ENCRYPTION_SECRET"]!))
            #expect(try await repository.find(code)?.credentials == SupplierCredentials(key: "globebeds-key", secret: secret), "opens to what went in")
            let otherKey = SupplierRepository(pool: pool, secrets: SecretBox(secret: "another-encryption-secret-0123456789"))
            await #expect(throws: (any Error).self) { try await otherKey.find(code) }
            try await pool.shutdown()
        }
    }

    @Test func rotatingCredentialsTakesEffectAtOnce() async throws {
        try await SupplyHarness().run { simulator, client in
            let code = try await client.register("globebeds", on: simulator, secret: "wrong-secret")
            let (checkIn, checkOut) = client.stay()
            let query: [String: Any] = ["check_in": checkIn, "check_out": checkOut, "occupancy": ["adults": 2], "hotel_codes": ["100000"]]
            let refused = try await client.call("/suppliers/\(code)/availability", .post, body: query)
            #expect(refused.status == .badGateway && (refused.json as? [String: Any])?["code"] as? String == "supplier_authentication_failed")
            let path = "/api/v1/admin/suppliers/\(code)"
            let patched = try await client.call(path, .patch, body: ["credentials": ["key": "globebeds-key", "secret": simulator.credentials.secret("globebeds")]],
                                                headers: client.operatorHeaders(.patch, path))
            #expect(patched.status == .ok)
            #expect(try await client.call("/suppliers/\(code)/availability", .post, body: query).status == .ok)
        }
    }

    @Test func badRegistrationsAreRefusedWithTheFieldToFix() async throws {
        try await SupplyHarness().run { simulator, client in
            let path = "/api/v1/admin/suppliers"
            let cases: [([String: Any], String)] = [
                (["code": "Bad Code", "name": "x", "protocol": "bedbank_json", "base_url": "http://x", "credentials": ["key": "k", "secret": "s"]], "code"),
                (["code": "okcode", "name": "x", "protocol": "soap", "base_url": "http://x", "credentials": ["key": "k", "secret": "s"]], "protocol"),
                (["code": "okcode", "name": "x", "protocol": "bedbank_json", "base_url": "ftp://x", "credentials": ["key": "k", "secret": "s"]], "base_url"),
                (["code": "okcode", "name": "x", "protocol": "bedbank_json", "base_url": "http://x", "credentials": ["key": "k", "secret": "s"], "pool_size": 0], "pool_size"),
                (["code": "okcode", "name": "x", "protocol": "bedbank_json", "base_url": "http://x"], "credentials"),
                (["code": "okcode", "name": "a\u{0007}b", "protocol": "bedbank_json", "base_url": "http://x", "credentials": ["key": "k", "secret": "s"]], "name"),
                (["code": "okcode", "name": "x", "protocol": "bedbank_json", "base_url": "http://x", "credentials": ["key": "k", "secret": String(repeating: "s", count: 501)]], "credentials.secret"),
            ]
            for (body, field) in cases {
                let (status, json) = try await client.call(path, .post, body: body, headers: client.operatorHeaders(.post, path))
                let detail = ((json as? [String: Any])?["detail"] as? String) ?? ""
                #expect(status == .badRequest && detail.contains(field), "\(field): \(status) \(detail)")
            }
            let code = try await client.register("globebeds", on: simulator)
            let again = try await client.call(path, .post, body: ["code": code, "name": "x", "protocol": "bedbank_json", "base_url": "http://x", "credentials": ["key": "k", "secret": "s"]],
                                              headers: client.operatorHeaders(.post, path))
            #expect(again.status == .conflict)
            #expect(try await client.call(path, .get).status == .unauthorized, "only through the gateway")
        }
    }

    @Test func operatorsSetTheSimulatorsFaultPlansAndSeeTheBreakerOpen() async throws {
        try await SupplyHarness(["BREAKER_FAILURES": "2"]).run { simulator, client in
            let code = try await client.register("globebeds", on: simulator)
            let faults = "/api/v1/admin/suppliers/\(code)/simulator-faults"
            func call(_ method: HTTPRequest.Method, _ path: String, _ body: Any? = nil) async throws -> (status: HTTPResponse.Status, json: [String: Any]) {
                let (status, json) = try await client.call(path, method, body: body, headers: client.operatorHeaders(method, path))
                return (status, json as? [String: Any] ?? [:])
            }
            #expect(try await call(.get, faults).json.isEmpty, "no plan: the simulator answers faithfully")
            #expect(try await call(.put, faults, ["error_rate": 1]).status == .ok)
            #expect(try await call(.get, faults).json["error_rate"] as? Double == 1)
            let refused = try await call(.put, faults, ["error_rate": 2])
            #expect(refused.status == .badRequest && "\(refused.json)".contains("error_rate"), "the simulator's refusal comes through: \(refused)")

            let view = "/api/v1/admin/suppliers/\(code)"
            #expect(try await call(.get, view).json["breaker"] as? String == "closed")
            let (checkIn, checkOut) = client.stay()
            let query: [String: Any] = ["check_in": checkIn, "check_out": checkOut, "occupancy": ["adults": 2], "hotel_codes": ["100000"]]
            for _ in 0..<3 { _ = try await client.call("/suppliers/\(code)/availability", .post, body: query) }
            #expect(try await call(.get, view).json["breaker"] as? String == "open", "every call failed: the breaker opened")

            #expect(try await call(.delete, faults).status == .noContent)
            #expect(try await call(.get, faults).json.isEmpty)
            #expect(try await call(.get, "/api/v1/admin/suppliers/nobody/simulator-faults").status == .notFound)
            let real = "real-\(UUID().uuidString.prefix(8).lowercased())"
            let registered = try await call(.post, "/api/v1/admin/suppliers", [
                "code": real, "name": "A real one", "protocol": "bedbank_json", "base_url": "https://api.supplier.example", "credentials": ["key": "k", "secret": "s"],
            ])
            #expect(registered.status == .created)
            let notSimulated = try await call(.put, "/api/v1/admin/suppliers/\(real)/simulator-faults", ["error_rate": 1])
            #expect(notSimulated.status == .conflict && notSimulated.json["code"] as? String == "not_simulated")
            #expect(try await client.call(faults, .get).status == .unauthorized, "operators only")
        }
        try await SupplyHarness(["SUPPLIER_SIMULATOR_URL": ""]).run { simulator, client in
            let code = try await client.register("globebeds", on: simulator)
            let path = "/api/v1/admin/suppliers/\(code)/simulator-faults"
            let (status, json) = try await client.call(path, .get, headers: client.operatorHeaders(.get, path))
            #expect(status == .notFound && (json as? [String: Any])?["code"] as? String == "simulator_not_configured", "not in staging or production")
        }
    }

    @Test func supplierPushesArrivingThroughTheGatewayAreApplied() async throws {
        try await SupplyHarness().run { simulator, client in
            let code = try await client.register("globebeds", on: simulator)
            let env = EnvironmentVariables(ServiceEnvironment.all)
            let publisher = EventPublisher(settings: try AMQPSettings(env), logger: .init(label: "test"))
            func push(_ body: String) async throws {
                let event = try EventEnvelope(
                    type: SupplierWebhookEvent.type, producer: "gateway", tenantId: nil, trace: nil,
                    payload: SupplierWebhookEvent(supplierCode: code, webhookId: UUID().uuidString, receivedAt: Date(),
                                                  body: try PlatformJSON.decoder.decode(JSONValue.self, from: Data(body.utf8))))
                try await publisher.publish([event])
            }
            try await push(#"{"type": "supplier.status", "status": "suspended"}"#)
            let path = "/api/v1/admin/suppliers/\(code)"
            #expect(try await eventually(within: .seconds(15)) {
                (try await client.call(path, .get, headers: client.operatorHeaders(.get, path)).json as? [String: Any])?["status"] as? String == "suspended"
            })
            let (checkIn, checkOut) = client.stay()
            let query: [String: Any] = ["check_in": checkIn, "check_out": checkOut, "occupancy": ["adults": 2], "hotel_codes": ["100000"]]
            #expect(try await eventually(within: .seconds(15)) {
                (try await client.call("/suppliers/\(code)/availability", .post, body: query).json as? [String: Any])?["code"] as? String == "supplier_disabled"
            }, "a suspended supplier is not called")

            try await push(#"{"type": "hotels.updated", "hotel_codes": ["100000", "100003"]}"#)
            let pool = PostgresPool(settings: try PostgresSettings(env, applicationName: "test"), logger: .init(label: "test"))
            #expect(try await eventually(within: .seconds(15)) {
                try await pool.query("SELECT count(*) AS n FROM supplier.outbox WHERE event_type = 'supplier.hotels.updated' AND body LIKE $1", ["%\"\(code)\"%"])
                    .first!.int("n") == 1
            }, "becomes supplier.hotels.updated for matching")
            try await pool.shutdown()
            try await publisher.shutdown()
        }
    }
}
