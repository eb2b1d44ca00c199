// /health, /ready and /metrics of the kit, with dependencies that answer and ones that do not.

import Foundation
import Hummingbird
import HummingbirdTesting
import Shared
import Testing

@Suite struct OperationalRoutesTests {
    @Test func healthAnswersWithoutDependencies() async throws {
        let app = try TestService.application()
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect((try? json(response.body))?["status"] as? String == "ok")
            }
        }
    }

    @Test func readyIs503NamingTheDependencyThatIsDown() async throws {
        let env = ProcessInfo.processInfo.environment
        let app = try TestService.application(
            dependencies: [.postgres, .redis],
            environment: [
                "DATABASE_URL": try #require(env["DATABASE_URL"], "scripts/test.sh exports DATABASE_URL"),
                "REDIS_URL": "redis://127.0.0.1:1/0",
            ]
        )
        try await app.test(.router) { client in
            let asked = ContinuousClock.now
            try await client.execute(uri: "/ready", method: .get) { response in
                // The probe's 2 s deadline holds although the Redis client keeps retrying for 10 s
                // (under a loaded test run it answers in 2-4 s; without the deadline, about 10).
                #expect(ContinuousClock.now - asked < .seconds(6))
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try json(response.body)
                #expect(problem["code"] as? String == "not_ready")
                let list = try #require(problem["checks"] as? [[String: Any]], "the same list as when ready")
                let checks = Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as! String, $0) })
                #expect(checks["redis"]?["status"] as? String == "down")
                #expect(checks["postgres"]?["status"] as? String == "up")
                #expect((problem["detail"] as? String)?.contains("redis") == true)
            }
        }
    }

    @Test func metricsCountRequestsByRouteTemplate() async throws {
        let app = try TestService.application()
        try await app.test(.router) { client in
            for id in 1...3 { try await client.execute(uri: "/hotels/\(id)", method: .get) { _ in } }
            for _ in 1...2 { try await client.execute(uri: "/no-such-route", method: .get) { _ in } }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                let text = String(buffer: response.body)
                #expect(text.contains(#"http_requests_total{service="kit-test",route="/hotels/{id}",method="GET",status="200"} 3"#))
                #expect(text.contains(#"http_requests_total{service="kit-test",route="NotFound",method="GET",status="404"} 2"#), "each label set counts apart")
                #expect(text.contains("# TYPE http_request_duration_seconds histogram"))
                #expect(text.contains(#"http_request_duration_seconds_bucket{service="kit-test",route="/hotels/{id}",method="GET",status="200",le="+Inf"} 3"#))
            }
        }
    }
}
