// Zero loss: events written through the outbox while the broker stops and restarts all arrive.
// Run after the other suites by scripts/test.sh.

import Foundation
import Shared
import Testing
import TestSupport

@Suite(.serialized) struct OutboxFaultTests {
    @Test func tenThousandEventsSurviveABrokerRestart() async throws {
        try await withPool(try TestInfrastructure.postgresSettings(poolSize: 6)) { pool in
            let pipeline = try await OutboxPipeline(pool: pool)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await pipeline.relay.run() }
                group.addTask { try await pipeline.consumer.run() }
                try await pipeline.write(3000)
                try TestInfrastructure.server("stop", "rabbitmq")
                try await pipeline.write(4000)
                try TestInfrastructure.server("start", "rabbitmq")
                try await pipeline.write(3000)
                let complete = try await eventually(within: .seconds(120)) { try await pipeline.consumed() >= 10_000 }
                let consumed = try await pipeline.consumed()
                #expect(complete, "consumed \(consumed) of 10000")
                try await Task.sleep(for: .milliseconds(500))
                #expect(try await pipeline.consumed() == 10_000, "exactly 10,000 distinct events")
                #expect(try await pipeline.unsent() == 0)
                group.cancelAll()
            }
            try await pipeline.publisher.shutdown()
            try await pool.execute("DROP SCHEMA \(pipeline.schema) CASCADE")
        }
    }
}
