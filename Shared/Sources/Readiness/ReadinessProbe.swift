// Asks every declared dependency at once, each within a deadline, and reports who answered and how
// fast. A required dependency down makes the service not ready (no traffic should reach it); an
// optional one down leaves it ready but degraded. Each dependency's state goes to the metric
// `dependency_up`, and a change of state to the log, once.

import FoundationEssentials
import Glibc
import Logging
import NIOConcurrencyHelpers
import Prometheus

public final class ReadinessProbe: Sendable {
    public let checks: [any DependencyCheck]
    public let timeout: Duration
    let logger: Logger?
    private let gauges: [String: Gauge]
    /// Each dependency's last state, to log changes only.
    private let lastUp = NIOLockedValueBox<[String: Bool]>([:])

    public init(checks: [any DependencyCheck], timeout: Duration = .seconds(2), registry: PrometheusCollectorRegistry? = nil, logger: Logger? = nil) {
        self.checks = checks
        self.timeout = timeout
        self.logger = logger
        gauges = Dictionary(uniqueKeysWithValues: checks.compactMap { check in
            registry.map { (check.name, $0.makeGauge(name: "dependency_up", labels: [("dependency", check.name)])) }
        })
    }

    public struct Outcome: Sendable, Codable, Equatable {
        public let name: String
        public let status: String
        /// Whether the service is ready only while it answers (false: the service degrades without it).
        public let required: Bool
        public let latencyMs: Double
        /// The server's version, when it answered.
        public let version: String?
        public let error: String?

        public var isUp: Bool { status == "up" }

        public init(name: String, status: String, required: Bool = true, latencyMs: Double, version: String?, error: String?) {
            self.name = name
            self.status = status
            self.required = required
            self.latencyMs = latencyMs
            self.version = version
            self.error = error
        }

        enum CodingKeys: String, CodingKey { case name, status, required, latencyMs = "latency_ms", version, error }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            status = try container.decode(String.self, forKey: .status)
            required = try container.decodeIfPresent(Bool.self, forKey: .required) ?? true
            latencyMs = try container.decode(Double.self, forKey: .latencyMs)
            version = try container.decodeIfPresent(String.self, forKey: .version)
            error = try container.decodeIfPresent(String.self, forKey: .error)
        }
    }

    /// What the outcomes mean for traffic.
    public enum Verdict: String, Sendable {
        /// Everything answers.
        case ready
        /// Serving, without an optional dependency.
        case degraded
        /// A required dependency is down: route no traffic here.
        case notReady = "not_ready"

        public init(_ outcomes: [Outcome]) {
            if outcomes.contains(where: { $0.required && !$0.isUp }) {
                self = .notReady
            } else {
                self = outcomes.allSatisfy(\.isUp) ? .ready : .degraded
            }
        }
    }

    /// The latest outcomes, asked anew at most once a second: concurrent callers (an orchestrator's
    /// probes, anyone hammering the public `/ready`) share one round of checks.
    public func run() async -> [Outcome] {
        let round = latest.withLockedValue { latest -> Task<[Outcome], Never> in
            if let (task, started) = latest, ContinuousClock.now - started < .seconds(1) { return task }
            let task = Task { await self.check() }
            latest = (task, .now)
            return task
        }
        return await round.value
    }

    private let latest = NIOLockedValueBox<(Task<[Outcome], Never>, ContinuousClock.Instant)?>(nil)

    private func check() async -> [Outcome] {
        let outcomes = await withTaskGroup(of: Outcome.self) { group in
            for check in checks {
                group.addTask { await Self.measure(check, timeout: self.timeout) }
            }
            var outcomes: [Outcome] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes.sorted { $0.name < $1.name }
        }
        record(outcomes)
        return outcomes
    }

    private func record(_ outcomes: [Outcome]) {
        for outcome in outcomes { gauges[outcome.name]?.set(to: outcome.isUp ? 1.0 : 0.0) }
        let changed = lastUp.withLockedValue { last in
            outcomes.filter { outcome in
                defer { last[outcome.name] = outcome.isUp }
                return last[outcome.name].map { $0 != outcome.isUp } ?? !outcome.isUp
            }
        }
        for outcome in changed {
            let fields: Logger.Metadata = ["dependency": .string(outcome.name), "required": .stringConvertible(outcome.required)]
            if outcome.isUp {
                logger?.info("dependency answers again", metadata: fields)
            } else {
                logger?.warning("dependency down", metadata: fields.merging(["error": .string(outcome.error ?? "down")]) { $1 })
            }
        }
    }

    static func measure(_ check: any DependencyCheck, timeout: Duration) async -> Outcome {
        let start = ContinuousClock.now
        do {
            let version = try await withDeadline(timeout) { try await check.check(timeout: timeout) }
            return Outcome(name: check.name, status: "up", required: check.isRequired, latencyMs: start.duration(to: .now).milliseconds, version: version, error: nil)
        } catch {
            return Outcome(
                name: check.name, status: "down", required: check.isRequired, latencyMs: start.duration(to: .now).milliseconds, version: nil, error: "\(error)")
        }
    }
}
