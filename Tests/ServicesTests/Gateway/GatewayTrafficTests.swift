// Rate limits exact under concurrency and per tenant; circuit breakers and timeouts per upstream.

import Foundation
@testable import Gateway
import Hummingbird
import HummingbirdTesting
@testable import Shared
import Testing

@Suite(.serialized) struct GatewayTrafficTests {
    @Test func exactlyTheLimitPassesUnderConcurrencyAndOtherTenantsAreUnaffected() async throws {
        let limit = 25
        // GCRA admits one more every window / limit (24 s here): the burst ends long before that.
        try await GatewayHarness(["RATE_LIMIT_MAX": String(limit), "RATE_LIMIT_WINDOW_MS": "600000"]).run { client in
            let admin = try await client.adminToken()
            let first = try await client.newDistributor(admin: admin)
            let second = try await client.newDistributor(admin: admin)
            let busy = try await client.token(key: first.key, secret: first.secret)
            let calm = try await client.token(key: second.key, secret: second.secret)

            let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for _ in 0..<(limit + 50) {
                    group.addTask {
                        try await client.execute(uri: GatewayHarness.plannedRoute, method: .get, headers: [.authorization: "Bearer \(busy)"]) {
                            ($0.status.code, $0.headers[.retryAfter])
                        }
                    }
                }
                return try await group.reduce(into: [(Int, String?)]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0.0 != 429 }.count == limit)
            #expect(statuses.filter { $0.0 == 429 }.allSatisfy { $0.1 != nil }, "every 429 says when to retry")

            try await client.execute(uri: GatewayHarness.plannedRoute, method: .get, headers: [.authorization: "Bearer \(calm)"]) { response in
                #expect(response.status == .notImplemented)
                #expect(response.headers[.rateLimitLimit] == String(limit))
                #expect(response.headers[.rateLimitRemaining] == String(limit - 1))
                #expect(response.headers[.rateLimitReset] != nil)
            }
        }
    }

    @Test func perTenantOverrideComesFromTheConfigCenter() async throws {
        try await GatewayHarness(["RATE_LIMIT_MAX": "1000"]).run { client in
            let admin = try await client.adminToken()
            let tenant = try await client.newDistributor(admin: admin)
            let token = try await client.token(key: tenant.key, secret: tenant.secret)
            try await client.json(
                "/api/v1/admin/config/gateway.rate_limits", .put, token: admin,
                body: ["value": [tenant.tenant: ["max": 7, "window_ms": 60000]]], expect: .ok)
            var limitSeen: String?
            for _ in 0..<50 where limitSeen != "7" {
                limitSeen = try await client.execute(uri: GatewayHarness.plannedRoute, method: .get, headers: [.authorization: "Bearer \(token)"]) {
                    $0.headers[.rateLimitLimit]
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(limitSeen == "7", "the override reached the gateway through NOTIFY")
        }
    }

    @Test func breakerOpensOnADeadUpstreamAndClosesWhenItReturns() async throws {
        let upstream = StandInUpstream()
        try await GatewayHarness(["ORDER_URL": upstream.url, "BREAKER_FAILURES": "3", "BREAKER_OPEN_MS": "300"]).run { client in
            let token = try await client.adminToken()
            for _ in 0..<3 {
                let down = try await client.json("/api/v1/services/order/health", .get, token: token, expect: .badGateway)
                #expect(down["code"] as? String == "upstream_unavailable")
                #expect(down["upstream"] as? String == "order")
            }
            let open = try await client.json("/api/v1/services/order/health", .get, token: token, expect: .serviceUnavailable)
            #expect(open["code"] as? String == "upstream_circuit_open")
            #expect(try await GatewayHarness.metrics().contains(#"circuit_breaker_state{upstream="order"} 2"#))

            try await upstream.start()
            try await Task.sleep(for: .milliseconds(350))
            try await client.json("/api/v1/services/order/health", .get, token: token, expect: .ok)
            try await client.json("/api/v1/services/order/health", .get, token: token, expect: .ok)
        }
        await upstream.stop()
    }

    @Test func slowUpstreamGives504() async throws {
        let upstream = StandInUpstream()
        try await upstream.start()
        upstream.behaviour.withLockedValue { $0.delay = .seconds(2) }
        try await GatewayHarness(["ORDER_URL": upstream.url, "ORDER_TIMEOUT_MS": "300"]).run { client in
            let token = try await client.adminToken()
            let started = ContinuousClock.now
            let late = try await client.json("/api/v1/services/order/health", .get, token: token, expect: .gatewayTimeout)
            #expect(late["code"] as? String == "upstream_timeout")
            #expect(ContinuousClock.now - started < .seconds(2))
        }
        await upstream.stop()
    }
}

/// Rate limits with Redis unreachable, timed against Redis's reconnect window: in scripts/test.sh's
/// quiet phase with the fault suites (under the whole suite's load one request alone can near 2 s).
@Suite struct GatewayRateLimitFaultTests {
    @Test func withRedisDownRequestsAreLimitedLocallyWithoutWaiting() async throws {
        try await GatewayHarness(["REDIS_URL": "redis://127.0.0.1:1/0", "RATE_LIMIT_MAX": "3"]).run { client in
            let admin = try await client.adminToken()
            let tenant = try await client.newDistributor(admin: admin)
            let token = try await client.token(key: tenant.key, secret: tenant.secret)
            var statuses: [Int] = [], slowest = Duration.zero
            for _ in 0..<5 {
                let started = ContinuousClock.now
                statuses.append(try await client.execute(uri: GatewayHarness.plannedRoute, method: .get, headers: [.authorization: "Bearer \(token)"]) { $0.status.code })
                slowest = max(slowest, ContinuousClock.now - started)
            }
            #expect(statuses == [501, 501, 501, 429, 429])
            // Waiting for Redis would take its 2 s reconnect window.
            #expect(slowest < .milliseconds(1900), "no request waits for Redis to come back: the slowest took \(slowest)")
            #expect(try await GatewayHarness.metrics().contains("rate_limit_fallback_total"))
        }
    }
}
