// Asks every declared dependency at once, each within a deadline, and reports who answered and how fast.

import FoundationEssentials
import Glibc
import NIOConcurrencyHelpers

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

/// Runs `body`, failing with a timeout error if it has not finished within `limit`. Returns at the
/// deadline even when `body` cannot be cancelled (a blocking call on a connection thread): it is
/// left to finish on its own, and its result is dropped.
func withDeadline<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let outcome = NIOLockedValueBox<CheckedContinuation<T, any Error>?>(nil)
    let finish: @Sendable (Result<T, any Error>) -> Void = { result in
        outcome.withLockedValue { continuation in
            continuation?.resume(with: result)
            continuation = nil
        }
    }
    return try await withCheckedThrowingContinuation { continuation in
        outcome.withLockedValue { $0 = continuation }
        let work = Task {
            do { finish(.success(try await body())) } catch { finish(.failure(error)) }
        }
        Task {
            try? await Task.sleep(for: limit)
            finish(.failure(DependencyFailure("no answer within \(limit)")))
            work.cancel()
        }
    }
}
