// Trivial queries through the pool from many tasks at once, for comparison with pgbench.

import Foundation
import Logging
import NIOConcurrencyHelpers
import Shared

enum PoolBench {
    static func run(_ env: EnvironmentVariables, seconds: Int, connections: Int, concurrency: Int) async throws {
        var settings = try PostgresSettings(env, applicationName: "hotel-bench")
        settings.poolSize = connections
        let pool = PostgresPool(settings: settings, logger: Logger(label: "bench"))
        let deadline = ContinuousClock.now + .seconds(seconds)
        let count = NIOLockedValueBox(0)
        _ = try await pool.query("SELECT 1")
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var local = 0
                    while ContinuousClock.now < deadline {
                        _ = try await pool.query("SELECT 1")
                        local += 1
                    }
                    count.withLockedValue { $0 += local }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = start.duration(to: .now)
        let total = count.withLockedValue { $0 }
        print(String(format: "pool_qps=%.0f queries=%d seconds=%.2f", Double(total) / elapsed.seconds, total, elapsed.seconds))
        try await pool.shutdown()
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
