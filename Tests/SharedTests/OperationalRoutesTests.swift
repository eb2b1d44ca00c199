// /health, /ready and /metrics of the kit, with dependencies that answer and ones that do not.

import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import HummingbirdTesting
import Shared
import Testing
import TestSupport

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

    @Test func publicEntryKeepsVersionsAndMetricsOnItsInternalPort() async throws {
        let internalPort = freePort()
        let definition = ServiceDefinition(name: "entry-test", dependencies: [], isPublicEntry: true)
        let app = try ServiceRunner.makeApplication(definition, environment: EnvironmentVariables(["INTERNAL_PORT": "\(internalPort)"]), logSink: .capturing())
        try await app.test(.live) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect(body.keys.sorted() == ["status"], "no version on the public port")
            }
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect(body["checks"] == nil)
            }
            try await client.execute(uri: "/metrics", method: .get) { #expect($0.status == .notFound) }
            let inside = HTTP1Client()
            #expect(try await eventually {
                (try? await inside.execute(.get, "http://127.0.0.1:\(internalPort)/health", timeout: .seconds(2)))?.status == .ok
            })
            let health = try await inside.execute(.get, "http://127.0.0.1:\(internalPort)/health", timeout: .seconds(5))
            let version = try json(health.body)["version"] as? String
            #expect(version == CommonSettings.sourceVersion)
            let metrics = try await inside.execute(.get, "http://127.0.0.1:\(internalPort)/metrics", timeout: .seconds(5))
            #expect(String(buffer: metrics.body).contains(#"route="NotFound",method="GET",status="404"} 1"#), "the public port's requests count there")
            await inside.shutdown()
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

@Suite struct ReadinessProbeTests {
    final class CountingCheck: DependencyCheck, @unchecked Sendable {
        let name = "postgres"
        let calls = NIOLockedValueBox(0)
        func check(timeout: Duration) async throws -> String? {
            calls.withLockedValue { $0 += 1 }
            try await Task.sleep(for: .milliseconds(50))
            return "15"
        }
    }

    @Test func concurrentCallersShareOneRoundOfChecksASecond() async throws {
        let check = CountingCheck()
        let probe = ReadinessProbe(checks: [check])
        let rounds = await withTaskGroup(of: [ReadinessProbe.Outcome].self) { group in
            for _ in 0..<50 { group.addTask { await probe.run() } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(rounds.count == 50 && rounds.allSatisfy { $0.first?.isUp == true })
        #expect(check.calls.withLockedValue { $0 } == 1, "fifty callers, one round")
        try await Task.sleep(for: .milliseconds(1100))
        _ = await probe.run()
        #expect(check.calls.withLockedValue { $0 } == 2, "asked anew after a second")
    }
}

/// /ready with a dependency down, answered within the probe's deadline: timings, so they run in
/// scripts/test.sh's quiet phase with the other fault suites, not under the whole suite's load.
@Suite struct ReadinessFaultTests {
    @Test func readyIs503NamingTheRequiredDependencyThatIsDown() async throws {
        let env = ProcessInfo.processInfo.environment
        let sink = LogSink.capturing()
        let app = try TestService.application(
            dependencies: [.postgres, .redis],
            environment: ["DATABASE_URL": "postgresql://hotel:hotel_pass@127.0.0.1:1/hotel_db", "REDIS_URL": try #require(env["REDIS_URL"], "scripts/test.sh exports REDIS_URL")],
            sink: sink)
        try await app.test(.router) { client in
            for _ in 0..<3 {
                let asked = ContinuousClock.now
                try await client.execute(uri: "/ready", method: .get) { response in
                    #expect(ContinuousClock.now - asked < .seconds(6))
                    #expect(response.status == .serviceUnavailable)
                    #expect(response.headers[.contentType] == "application/problem+json")
                    let problem = try json(response.body)
                    #expect(problem["code"] as? String == "not_ready")
                    let list = try #require(problem["checks"] as? [[String: Any]], "the same list as when ready")
                    let checks = Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as! String, $0) })
                    #expect(checks["postgres"]?["status"] as? String == "down")
                    #expect(checks["postgres"]?["required"] as? Bool == true)
                    #expect(checks["redis"]?["status"] as? String == "up")
                    #expect((problem["detail"] as? String)?.contains("postgres") == true)
                }
            }
        }
        let lines = try sink.captured.map(json(line:))
        #expect(!lines.contains { ["ERROR", "CRITICAL"].contains($0["level"] as? String) }, "failing probes write no error line")
        #expect(lines.filter { $0["message"] as? String == "dependency down" }.count == 1, "the outage is said once")
    }

    @Test func readyIsDegradedNot503WhenAnOptionalDependencyIsDown() async throws {
        let env = ProcessInfo.processInfo.environment
        let app = try TestService.application(
            dependencies: [.postgres, .redis, .rabbitmq],
            environment: [
                "DATABASE_URL": try #require(env["DATABASE_URL"], "scripts/test.sh exports DATABASE_URL"),
                "REDIS_URL": "redis://127.0.0.1:1/0", "RABBITMQ_URL": "amqp://guest:guest@127.0.0.1:1",
            ]
        )
        try await app.test(.router) { client in
            let asked = ContinuousClock.now
            try await client.execute(uri: "/ready", method: .get) { response in
                // The probe's 2 s deadline holds although the Redis client keeps retrying for 10 s.
                #expect(ContinuousClock.now - asked < .seconds(6))
                #expect(response.status == .ok, "route traffic here: it serves without them")
                let body = try json(response.body)
                #expect(body["status"] as? String == "degraded")
                let list = try #require(body["checks"] as? [[String: Any]])
                let checks = Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as! String, $0) })
                #expect(checks["redis"]?["status"] as? String == "down")
                #expect(checks["redis"]?["required"] as? Bool == false)
                #expect(checks["rabbitmq"]?["status"] as? String == "down")
                #expect(checks["postgres"]?["status"] as? String == "up")
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"dependency_up{dependency="redis"} 0"#))
                #expect(text.contains(#"dependency_up{dependency="postgres"} 1"#))
            }
        }
    }
}
