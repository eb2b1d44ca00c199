// Probes every service behind the gateway (GET /health, then /ready; 2 s each; all services at once) and the
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
            for upstream in Upstream.allCases {
                guard let target = targets[upstream] else { continue }
                group.addTask { await self.probe(upstream.rawValue, at: target.baseURL) }
            }
            return await group.reduce(into: [ServiceProbe]()) { $0.append($1) }
        }
        let order = ["gateway"] + Upstream.allCases.map(\.rawValue)
        let report = HealthRules.report(probes.sorted { order.firstIndex(of: $0.name)! < order.firstIndex(of: $1.name)! }, at: Date())
        cached.withLockedValue { $0 = (report, .now) }
        return report
    }

    private func probeSelf() async -> ServiceProbe {
        let checks = await own.run()
        return ServiceProbe(
            name: "gateway", alive: true, latencyMs: 0, version: version, uptimeSeconds: Int(Date().timeIntervalSince(startedAt)),
            ready: checks.allSatisfy(\.isUp), checks: checks)
    }

    /// /health first, alone, so its latency is the service's and not its dependencies'; then /ready.
    func probe(_ name: String, at baseURL: String) async -> ServiceProbe {
        var probe = ServiceProbe(name: name, alive: false, ready: false, checks: [])
        switch await get(baseURL + "/health") {
        case .success(let answer) where answer.status == 200:
            probe.alive = true
            probe.latencyMs = answer.latencyMs
            if case .object(let fields) = answer.body {
                if case .string(let version)? = fields["version"] { probe.version = version }
                if case .integer(let uptime)? = fields["uptime_seconds"] { probe.uptimeSeconds = uptime }
            }
        case .success(let answer): probe.error = "GET /health answered \(answer.status)"
        case .failure(let error): probe.error = error.description
        }
        guard probe.alive else { return probe }
        if case .success(let answer) = await get(baseURL + "/ready") {
            probe.ready = answer.status == 200
            probe.checks = Self.checks(in: answer.body)
        }
        return probe
    }

    /// /ready lists its checks as an array when ready, and as an object keyed by name in the 503 problem.
    static func checks(in body: JSONValue) -> [ReadinessProbe.Outcome] {
        guard case .object(let fields) = body else { return [] }
        switch fields["checks"] {
        case .array(let items)?:
            return items.compactMap { item in
                guard case .object(let check) = item, case .string(let name)? = check["name"] else { return nil }
                return outcome(name, check)
            }
        case .object(let named)?:
            return named.sorted { $0.key < $1.key }.compactMap { name, value in
                guard case .object(let check) = value else { return nil }
                return outcome(name, check)
            }
        default:
            return []
        }
    }

    private static func outcome(_ name: String, _ check: [String: JSONValue]) -> ReadinessProbe.Outcome {
        func text(_ key: String) -> String? { if case .string(let value)? = check[key] { value } else { nil } }
        let latency: Double = switch check["latency_ms"] {
        case .number(let value)?: value
        case .integer(let value)?: Double(value)
        default: 0
        }
        return ReadinessProbe.Outcome(name: name, status: text("status") ?? "down", latencyMs: latency, version: text("version"), error: text("error"))
    }

    struct Answer: Sendable {
        var status: Int
        var latencyMs: Double
        var body: JSONValue
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    private func get(_ url: String) async -> Result<Answer, Failure> {
        let started = ContinuousClock.now
        do {
            let response = try await client.execute(.get, url, timeout: timeout)
            let latency = started.duration(to: .now).milliseconds
            let json = (try? PlatformJSON.decoder.decode(JSONValue.self, from: Data(buffer: response.body))) ?? .null
            return .success(Answer(status: Int(response.status.code), latencyMs: latency, body: json))
        } catch HTTP1Client.Failure.timeout {
            return .failure(Failure(description: "no answer within \(timeout)"))
        } catch {
            return .failure(Failure(description: "unreachable (\(error))"))
        }
    }
}
