// Operators change the config center and flags through the gateway; each change is audited and
// reaches a running service's ConfigClient.

import Foundation
@testable import Gateway
import Hummingbird
import HummingbirdTesting
@testable import Shared
import Testing
import TestSupport

@Suite struct GatewayConfigTests {
    @Test func configChangesAreAuditedAndReachRunningServices() async throws {
        let harness = GatewayHarness()
        try await harness.run { client in
            let admin = try await client.adminToken()
            let key = "test.config.\(UUID().uuidString.prefix(8).lowercased())"
            let flag = "test.flag.\(UUID().uuidString.prefix(8).lowercased())"
            try await harness.withConfigClient { config in
                let saved = try await client.json("/api/v1/admin/config/\(key)", .put, token: admin, body: ["value": ["limit": 5], "description": "a test"], expect: .ok)
                #expect(saved["updated_by"] as? String == "\(GatewayHarness.admin.key) (tenant \(try #require(GatewayHarness.admin.tenant)))")
                try await client.json("/api/v1/admin/config/\(key)", .put, token: admin, body: ["value": ["limit": 9]], expect: .ok)
                #expect(try await eventually { config.value(key) == .object(["limit": .integer(9)]) }, "the change reached another service")
                let read = try await client.json("/api/v1/admin/config/\(key)", .get, token: admin, expect: .ok)
                #expect(read["description"] as? String == "a test", "a PUT without description keeps it")

                try await client.json("/api/v1/admin/flags/\(flag)", .put, token: admin, body: ["enabled": true, "rollout_pct": 0, "whitelist": ["t-1"]], expect: .ok)
                #expect(try await eventually { config.isEnabled(flag, tenant: "t-1") })
                #expect(!config.isEnabled(flag, tenant: "t-2"), "0 % rollout: only the whitelist")
                let patched = try await client.json("/api/v1/admin/flags/\(flag)", .patch, token: admin, body: ["enabled": false], expect: .ok)
                #expect(patched["whitelist"] as? [String] == ["t-1"], "PATCH changes only what it names")
                #expect(try await eventually { !config.isEnabled(flag, tenant: "t-1") })

                try await client.execute(uri: "/api/v1/admin/config/\(key)", method: .delete, headers: [.authorization: "Bearer \(admin)"]) {
                    #expect($0.status == .noContent)
                }
                #expect(try await eventually { config.value(key) == nil })
            }
            try await client.json("/api/v1/admin/config/\(key)", .get, token: admin, expect: .notFound)

            let configLog = try await client.json("/api/v1/admin/config-changes?kind=config&name=\(key)", .get, token: admin, expect: .ok)
            let changes = try #require(configLog["changes"] as? [[String: Any]])
            #expect(changes.count == 3)
            #expect(changes.map { $0["new_value"] as? NSObject } == [NSNull(), ["limit": 9] as NSDictionary, ["limit": 5] as NSDictionary])
            #expect(changes.map { $0["old_value"] as? NSObject } == [["limit": 9] as NSDictionary, ["limit": 5] as NSDictionary, nil])
            #expect(changes.allSatisfy { ($0["changed_by"] as? String)?.hasPrefix(GatewayHarness.admin.key) == true && $0["changed_at"] != nil })

            let flagLog = try await client.json("/api/v1/admin/config-changes?kind=flag&name=\(flag)", .get, token: admin, expect: .ok)
            let flagChanges = try #require(flagLog["changes"] as? [[String: Any]])
            #expect(flagChanges.compactMap { ($0["new_value"] as? [String: Any])?["enabled"] as? Bool } == [false, true])
            #expect(flagChanges.last?["old_value"] == nil, "the flag was created")
            try await harness.cleanUp(flag: flag)
        }
    }

    @Test func badChangesAreRefusedWithTheReason() async throws {
        try await GatewayHarness().run { client in
            let admin = try await client.adminToken()
            let weights = #"{"price_weight": 0.5, "rating_weight": 0.3, "availability_weight": 0.2, "supplier_reliability_weight": 0.1}"#
            let refused: [(path: String, method: HTTPRequest.Method, body: String, code: String)] = [
                ("config/gateway.rate_limits", .put, #"{"value": {"some-tenant": {"max": 0, "window_ms": 1000}}}"#, "invalid_config"),
                ("config/gateway.rate_limits", .put, #"{"value": [1, 2]}"#, "invalid_config"),
                ("config/matching.algorithm.weights", .put, #"{"value": \#(weights)}"#, "invalid_config"),
                ("config/pricing.min_margin", .put, #"{"value": {"percent": 3}}"#, "invalid_config"),
                ("config/pricing.min_margin", .put, #"{"value": {"percent": "101"}}"#, "invalid_config"),
                ("config/test.key", .put, "{}", "invalid_config"),
                ("config/test.key", .put, #"{"value": null}"#, "invalid_config"),
                ("config/test.key", .put, #"{"value": 1, "env": "Prod!"}"#, "invalid_config"),
                ("config/Not%20A%20Key", .put, #"{"value": 1}"#, "invalid_config_key"),
                ("flags/test.flag", .put, #"{"rollout_pct": 10}"#, "invalid_flag"),
                ("flags/test.flag", .put, #"{"enabled": true, "rollout_pct": 101}"#, "invalid_flag"),
                ("flags/test.flag", .put, #"{"enabled": "yes"}"#, "invalid_body"),
            ]
            for refusal in refused {
                let body = try #require(JSONSerialization.jsonObject(with: Data(refusal.body.utf8)) as? [String: Any])
                let problem = try await client.json("/api/v1/admin/" + refusal.path, refusal.method, token: admin, body: body, expect: .badRequest)
                #expect(problem["code"] as? String == refusal.code, "\(refusal.method) \(refusal.path) \(refusal.body)")
                #expect((problem["detail"] as? String)?.isEmpty == false)
            }
            try await client.json("/api/v1/admin/flags/no.such.flag", .patch, token: admin, body: ["enabled": true], expect: .notFound)
            let stored = try await client.json("/api/v1/admin/config/matching.algorithm.weights", .get, token: admin, expect: .ok)
            #expect((stored["value"] as? [String: Any])?["price_weight"] as? Double == 0.4, "a refused change leaves the value")

            let distributor = try await client.newDistributor(admin: admin)
            let token = try await client.token(key: distributor.key, secret: distributor.secret)
            try await client.json("/api/v1/admin/config", .get, token: token, expect: .forbidden)
            try await client.json("/api/v1/admin/flags/admin.v2", .patch, token: token, body: ["enabled": true], expect: .forbidden)
        }
    }
}

extension GatewayHarness {
    /// A ConfigClient of another service, running while `body` does.
    func withConfigClient(_ body: @escaping @Sendable (ConfigClient) async throws -> Void) async throws {
        let pool = PostgresPool(settings: try PostgresSettings(EnvironmentVariables(environment), applicationName: "test"), logger: .init(label: "test"))
        // A long poll interval: only NOTIFY can deliver the changes in time.
        let config = ConfigClient(pool: pool, pollInterval: .seconds(600), logger: .init(label: "test"))
        try await config.reload()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await config.run() }
            try await body(config)
            group.cancelAll()
        }
        try await pool.shutdown()
    }

    func cleanUp(flag: String) async throws {
        let pool = PostgresPool(settings: try PostgresSettings(EnvironmentVariables(environment), applicationName: "test"), logger: .init(label: "test"))
        try await pool.execute("DELETE FROM platform.feature_flags WHERE name = $1", [flag])
        try await pool.shutdown()
    }
}
