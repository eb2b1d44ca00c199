// GET /health (the process is alive), /ready (its dependencies answer), /metrics (Prometheus text).

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
        let checks: [ReadinessProbe.Outcome]
    }

    func add(to router: Router<PlatformRequestContext>) {
        router.get("/health") { _, _ in
            Health(status: "ok", service: service, version: version, uptimeSeconds: Int(Date().timeIntervalSince(startedAt)))
        }
        router.get("/ready") { _, _ -> Readiness in
            let outcomes = await probe.run()
            let down = outcomes.filter { !$0.isUp }
            guard down.isEmpty else {
                throw Problem(
                    .serviceUnavailable, code: "not_ready",
                    detail: "Not ready: " + down.map { "\($0.name) (\($0.error ?? "down"))" }.joined(separator: "; "),
                    // The same list as when ready, so readers parse one shape.
                    extensions: ["checks": .array(outcomes.map(\.asExtension))]
                )
            }
            return Readiness(status: "ready", service: service, checks: outcomes)
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
    }
}

extension ReadinessProbe.Outcome {
    var asExtension: ProblemExtension {
        var fields: [String: ProblemExtension] = ["name": .string(name), "status": .string(status), "latency_ms": .number(latencyMs)]
        if let version { fields["version"] = .string(version) }
        if let error { fields["error"] = .string(error) }
        return .object(fields)
    }
}
