// The operator's one-page view (seed 002): every service and dependency green, yellow or red, by
// rules kept here, apart from how they are probed.

import FoundationEssentials
import Shared

enum HealthColour: String, Codable, Sendable, Comparable {
    case green, yellow, red

    static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
    private var rank: Int { self == .green ? 0 : self == .yellow ? 1 : 2 }
}

/// What one service answered on /health and /ready.
struct ServiceProbe: Sendable {
    var name: String
    /// /health answered 200.
    var alive: Bool
    var latencyMs: Double?
    var version: String?
    var uptimeSeconds: Int?
    /// /ready answered 200.
    var ready: Bool
    /// Its dependencies, as its /ready reported them.
    var checks: [ReadinessProbe.Outcome]
    var error: String?
}

struct ServiceHealth: Codable, Equatable, Sendable {
    var name: String
    var status: HealthColour
    var latencyMs: Double?
    var version: String?
    var uptimeSeconds: Int?
    var detail: String?

    enum CodingKeys: String, CodingKey { case name, status, latencyMs = "latency_ms", version, uptimeSeconds = "uptime_seconds", detail }
}

struct DependencyHealth: Codable, Equatable, Sendable {
    var name: String
    var status: HealthColour
    /// The median of what the services measured.
    var latencyMs: Double?
    var version: String?
    var reportedBy: [String]
    var detail: String?

    enum CodingKeys: String, CodingKey { case name, status, latencyMs = "latency_ms", version, reportedBy = "reported_by", detail }
}

struct HealthReport: Codable, Equatable, Sendable {
    var status: HealthColour
    var checkedAt: Date
    var services: [ServiceHealth]
    var dependencies: [DependencyHealth]

    enum CodingKeys: String, CodingKey { case status, checkedAt = "checked_at", services, dependencies }
}

enum HealthRules {
    static let slowServiceMs = 500.0
    static let slowDependencyMs = 250.0

    /// Red: not alive. Yellow: alive but not ready, degraded (an optional dependency down), or slow.
    /// Green: ready and quick.
    static func service(_ probe: ServiceProbe) -> ServiceHealth {
        var health = ServiceHealth(name: probe.name, status: .green, latencyMs: probe.latencyMs, version: probe.version, uptimeSeconds: probe.uptimeSeconds)
        if !probe.alive {
            health.status = .red
            health.detail = probe.error ?? "does not answer"
        } else if !probe.ready {
            health.status = .yellow
            let down = probe.checks.filter { !$0.isUp }.map(\.name)
            health.detail = down.isEmpty ? "not ready" : "not ready: " + down.joined(separator: ", ") + " down"
        } else if case let down = probe.checks.filter({ !$0.isUp }).map(\.name), !down.isEmpty {
            health.status = .yellow
            health.detail = "degraded: " + down.joined(separator: ", ") + " down"
        } else if let latency = probe.latencyMs, latency > slowServiceMs {
            health.status = .yellow
            health.detail = "slow: \(Int(latency)) ms"
        }
        return health
    }

    /// From every service's own view of it. Red: every report says down. Yellow: some do, one is
    /// slow, or nobody could report. Green otherwise.
    static func dependency(_ name: String, from probes: [ServiceProbe]) -> DependencyHealth {
        let reports = probes.flatMap { probe in probe.checks.filter { $0.name == name }.map { (service: probe.name, outcome: $0) } }
        var health = DependencyHealth(name: name, status: .green, reportedBy: reports.map(\.service).sorted())
        guard !reports.isEmpty else {
            health.status = .yellow
            health.detail = "no running service reports on it"
            return health
        }
        let up = reports.filter { $0.outcome.isUp }
        let latencies = up.map(\.outcome.latencyMs).sorted()
        health.latencyMs = latencies.isEmpty ? nil : latencies[latencies.count / 2]
        health.version = up.compactMap(\.outcome.version).first
        if up.isEmpty {
            health.status = .red
            health.detail = reports.first?.outcome.error ?? "down"
        } else if up.count < reports.count {
            health.status = .yellow
            health.detail = "down for " + reports.filter { !$0.outcome.isUp }.map(\.service).sorted().joined(separator: ", ")
        } else if let slowest = latencies.last, slowest > slowDependencyMs {
            health.status = .yellow
            health.detail = "slow: up to \(Int(slowest)) ms"
        }
        return health
    }

    static func report(_ probes: [ServiceProbe], at now: Date) -> HealthReport {
        let services = probes.map(service)
        let dependencies = Dependency.allCases.map { dependency($0.rawValue, from: probes) }
        let worst = (services.map(\.status) + dependencies.map(\.status)).max() ?? .green
        return HealthReport(status: worst, checkedAt: now, services: services, dependencies: dependencies)
    }
}
