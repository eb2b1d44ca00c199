// GET /health (the process is alive), /ready (it takes traffic: its required dependencies answer),
// /metrics (Prometheus text).

import FoundationEssentials
import Glibc
import Hummingbird
import Prometheus

struct OperationalRoutes {
    let service: String
    let version: String
    let probe: ReadinessProbe
    let registry: PrometheusCollectorRegistry
    let startedAt = Date()

    struct Health: ResponseEncodable {
        let status: String
        let service: String
        let version: String
        let uptimeSeconds: Int

        enum CodingKeys: String, CodingKey { case status, service, version, uptimeSeconds = "uptime_seconds" }
    }

    struct Readiness: ResponseEncodable {
        let status: String
        let service: String
        let checks: [ReadinessProbe.Outcome]?
    }

    /// Everything, for the platform's own network: versions, dependencies, metrics.
    func add(to router: Router<PlatformRequestContext>) {
        router.get("/health") { _, _ in
            Health(status: "ok", service: service, version: version, uptimeSeconds: Int(Date().timeIntervalSince(startedAt)))
        }
        router.get("/ready") { _, _ in try await readiness(detailed: true) }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
    }

    /// What a load balancer on the public entry needs, and nothing an attacker could use: whether
    /// the process lives and takes traffic, without versions, dependencies or metrics.
    func addPublic(to router: Router<PlatformRequestContext>) {
        struct Liveness: ResponseEncodable { let status: String }
        router.get("/health") { _, _ in Liveness(status: "ok") }
        router.get("/ready") { _, _ in try await readiness(detailed: false) }
    }

    /// 200 when ready or degraded (an optional dependency down: the service still serves), 503 when
    /// a required dependency is down.
    private func readiness(detailed: Bool) async throws -> Readiness {
        let outcomes = await probe.run()
        let verdict = ReadinessProbe.Verdict(outcomes)
        guard verdict != .notReady else {
            let down = outcomes.filter { $0.required && !$0.isUp }
            throw Problem(
                .serviceUnavailable, code: "not_ready",
                detail: detailed ? "Not ready: " + down.map { "\($0.name) (\($0.error ?? "down"))" }.joined(separator: "; ") : "Not ready.",
                // The same list as when ready, so readers parse one shape.
                extensions: detailed ? ["checks": .array(outcomes.map(\.asExtension))] : [:]
            )
        }
        return Readiness(status: verdict.rawValue, service: service, checks: detailed ? outcomes : nil)
    }
}

extension ReadinessProbe.Outcome {
    var asExtension: ProblemExtension {
        var fields: [String: ProblemExtension] = [
            "name": .string(name), "status": .string(status), "required": .bool(required), "latency_ms": .number(latencyMs),
        ]
        if let version { fields["version"] = .string(version) }
        if let error { fields["error"] = .string(error) }
        return .object(fields)
    }
}
