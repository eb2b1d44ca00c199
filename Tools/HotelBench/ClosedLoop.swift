// CONCURRENCY callers, each making one call after the other for SECONDS: how many succeeded, how
// many did not, and the latency of each success.

import Foundation

enum ClosedLoop {
    struct Outcome {
        var ok = 0
        var failed = 0
        var latencies: [Double] = []

        func line(_ what: String, seconds: Int) -> String {
            String(format: "%@=%d failed=%d per_s=%.0f p50_ms=%.2f p99_ms=%.2f", what, ok, failed, Double(ok) / Double(seconds),
                   OutboxHarness.percentile(latencies, 0.5), OutboxHarness.percentile(latencies, 0.99))
        }
    }

    /// `call(worker, index)` is true when the call succeeded.
    static func run(concurrency: Int, seconds: Int, _ call: @escaping @Sendable (Int, Int) async -> Bool) async -> Outcome {
        let clock = ContinuousClock()
        let end = clock.now + .seconds(seconds)
        return await withTaskGroup(of: Outcome.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var outcome = Outcome()
                    var index = 0
                    while clock.now < end {
                        let started = clock.now
                        if await call(worker, index) {
                            outcome.ok += 1
                            outcome.latencies.append(started.duration(to: clock.now).seconds * 1000)
                        } else {
                            outcome.failed += 1
                        }
                        index += 1
                    }
                    return outcome
                }
            }
            return await group.reduce(into: Outcome()) {
                $0.ok += $1.ok
                $0.failed += $1.failed
                $0.latencies += $1.latencies
            }
        }
    }
}
