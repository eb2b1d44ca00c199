// Risk without Redis: an order is still assessed (its counts are this order alone), within a
// moment. Stops the shared Redis, so scripts/test.sh runs it with the other fault suites, after the rest.

import Foundation
@testable import Risk
@testable import Shared
import Testing
import TestSupport

@Suite(.serialized) struct RiskFaultTests {
    @Test func ordersAreAssessedWhileRedisIsDown() async throws {
        try await CreditTests.run { stack in
            let tenant = CreditTests.unique("t-noredis")
            try await stack.open(tenant, balance: "100.00")
            try TestServers.run("stop", "redis")
            do {
                for _ in 0..<7 {
                    let started = ContinuousClock.now
                    let answer = try await stack.call(.post, "/assessments", AssessmentTests.request(tenant, guest: "Noor \(UUID().uuidString.prefix(6))"))
                    #expect(answer.status == 201, "\(answer.json)")
                    #expect(AssessmentTests.codes(answer.json) == ["new_tenant"], "no counts without Redis: \(answer.json)")
                    #expect(started.duration(to: .now) < .seconds(3), "Redis down costs an assessment no more than its reconnect window")
                }
            }
            try TestServers.run("start", "redis")
        }
    }
}
