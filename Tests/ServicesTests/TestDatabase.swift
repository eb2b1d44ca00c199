// Clearing shared tables between tests. A consumer of the previous test's events (its queue is
// durable, so the next test's service drains it) may still be writing while TRUNCATE takes its
// locks table by table: PostgreSQL then breaks the deadlock by failing one side, sometimes ours.
// That side is simply tried again.

import Shared

extension PostgresPool {
    func truncate(_ tables: String) async throws {
        for attempt in 1... {
            do {
                try await execute("TRUNCATE " + tables)
                return
            } catch let error as PostgresError where error.sqlState == "40P01" && attempt < 5 {
                try await Task.sleep(for: .milliseconds(50 * attempt))
            }
        }
    }
}
