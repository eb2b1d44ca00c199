// Probes every service behind the gateway (GET /health within 2 s, then /ready within 3 s; all services at once) and the
// gateway's own dependencies, for the operator health page. A report is reused for 2 s, so many
// open pages cost the services no more than one.

import FoundationEssentials
import NIOConcurrencyHelpers
import NIOCore
import Shared

final class HealthBoard: Sendable {
    let client: HTTP1Client
    let targets: [Upstream: UpstreamTarget]
    let own: ReadinessProbe
    let version: String
    let startedAt = Date()
    let timeout = Duration.seconds(2)
    /// /ready answers within the services' own 2 s probe deadline; a little more for the trip.
    let readinessTimeout = Duration.seconds(3)
    private let cached = NIOLockedValueBox<(report: HealthReport, at: ContinuousClock.Instant)?>(nil)

    init(client: HTTP1Client, targets: [Upstream: UpstreamTarget], own: ReadinessProbe, version: String) {
        self.client = client
        self.targets = targets
        self.own = own
        self.version = version
    }

    func report() async -> HealthReport {
        if let recent = cached.withLockedValue({ $0 }), ContinuousClock.now - recent.at < .seconds(2) { return recent.report }
        let probes = await withTaskGroup(of: ServiceProbe.self) { group in
            group.addTask { await self.probeSelf() }
            for upstream in Upstream.upstreams {
                guard let target = targets[upstream] else { continue }
                group.addTask { await self.probe(upstream.rawValue, at: target.baseURL) }
            }
            return await group.reduce(into: [ServiceProbe]()) { $0.append($1) }
        }
        let order = ["gateway"] + Upstream.upstreams.map(\.rawValue)
        let report = HealthRules.report(probes.sorted { order.firstIndex(of: $0.name)! < order.firstIndex(of: $1.name)! }, at: Date())
        cached.withLockedValue { $0 = (report, .now) }
        return report
    }

    private func probeSelf() async -> ServiceProbe {
        let checks = await own.run()
        return ServiceProbe(
            name: "gateway", alive: true, latencyMs: 0, version: version, uptimeSeconds: Int(Date().timeIntervalSince(startedAt)),
            ready: ReadinessProbe.Verdict(checks) != .notReady, checks: checks)
    }

    /// /health first, alone, so its latency is the service's and not its dependencies'; then /ready.
    func probe(_ name: String, at baseURL: String) async -> ServiceProbe {
        var probe = ServiceProbe(name: name, alive: false, ready: false, checks: [])
        struct Health: Decodable {
            var version: String?
            var uptimeSeconds: Int?
            enum CodingKeys: String, CodingKey { case version, uptimeSeconds = "uptime_seconds" }
        }
        do {
            let (status, latency, health) = try await get(baseURL + "/health", as: Health.self, timeout: timeout)
            guard status == 200 else {
                probe.error = "GET /health answered \(status)"
                return probe
            }
            probe.alive = true
            probe.latencyMs = latency
            probe.version = health?.version
            probe.uptimeSeconds = health?.uptimeSeconds
        } catch HTTP1Client.Failure.timeout {
            probe.error = "no answer within \(timeout)"
            return probe
        } catch {
            probe.error = "unreachable (\(error))"
            return probe
        }
        // /ready lists its checks the same way whether ready (200) or not (503 problem).
        struct Readiness: Decodable { var checks: [ReadinessProbe.Outcome]? }
        if let (status, _, readiness) = try? await get(baseURL + "/ready", as: Readiness.self, timeout: readinessTimeout) {
            probe.ready = status == 200
            probe.checks = readiness?.checks ?? []
        }
        return probe
    }

    /// The status, the round trip in milliseconds, and the body when it decodes as `T`.
    private func get<T: Decodable>(_ url: String, as type: T.Type, timeout: Duration) async throws -> (Int, Double, T?) {
        let started = ContinuousClock.now
        let response = try await client.execute(.get, url, timeout: timeout)
        let latency = started.duration(to: .now).milliseconds
        return (Int(response.status.code), latency, try? PlatformJSON.decoder.decode(T.self, from: Data(buffer: response.body)))
    }
}
