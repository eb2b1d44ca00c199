// Asks every declared dependency at once, each within a deadline, and reports who answered and how fast.

import FoundationEssentials
import Glibc

public struct ReadinessProbe: Sendable {
    public let checks: [any DependencyCheck]
    public let timeout: Duration

    public init(checks: [any DependencyCheck], timeout: Duration = .seconds(2)) {
        self.checks = checks
        self.timeout = timeout
    }

    public struct Outcome: Sendable, Codable, Equatable {
        public let name: String
        public let status: String
        public let latencyMs: Double
        /// The server's version, when it answered.
        public let version: String?
        public let error: String?

        public var isUp: Bool { status == "up" }

        public init(name: String, status: String, latencyMs: Double, version: String?, error: String?) {
            self.name = name
            self.status = status
            self.latencyMs = latencyMs
            self.version = version
            self.error = error
        }

        enum CodingKeys: String, CodingKey { case name, status, latencyMs = "latency_ms", version, error }
    }

    public func run() async -> [Outcome] {
        await withTaskGroup(of: Outcome.self) { group in
            for check in checks {
                group.addTask { await Self.measure(check, timeout: timeout) }
            }
            var outcomes: [Outcome] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes.sorted { $0.name < $1.name }
        }
    }

    static func measure(_ check: any DependencyCheck, timeout: Duration) async -> Outcome {
        let start = ContinuousClock.now
        do {
            let version = try await withDeadline(timeout) { try await check.check(timeout: timeout) }
            return Outcome(name: check.name, status: "up", latencyMs: start.duration(to: .now).milliseconds, version: version, error: nil)
        } catch {
            return Outcome(name: check.name, status: "down", latencyMs: start.duration(to: .now).milliseconds, version: nil, error: "\(error)")
        }
    }
}

/// Runs `body`, failing with a timeout error if it has not finished within `limit`.
func withDeadline<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw DependencyFailure("no answer within \(limit)")
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
