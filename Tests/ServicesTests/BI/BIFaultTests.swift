// bi while ClickHouse is down: events wait in RabbitMQ, /ready says ClickHouse is down, and once it
// is back every event is stored, once. Stops the shared ClickHouse, so scripts/test.sh runs it with
// the other fault suites, after the rest.

import Foundation
@testable import BI
import HTTPTypes
@testable import Shared
import Testing
import TestSupport

@Suite(.serialized) struct BIFaultTests {
    @Test func eventsWaitWhileClickHouseIsDownAndNoneIsLost() async throws {
        try await BIStack.run { stack in
            let script = try BITests.scripted(orders: 300, searches: 200, calls: 0)
            try TestServers.run("stop", "clickhouse")
            do {
                try await BIStack.publish(script.events + script.events.prefix(50))
                var ready: (status: Int, body: String, headers: HTTPFields) = (0, "", [:])
                #expect(try await eventually(within: .seconds(20)) {
                    ready = try await stack.service.exchange(.get, "/ready", body: nil)
                    return ready.status == 503
                }, "not ready without ClickHouse: \(ready.body.prefix(300))")
                #expect(ready.body.contains("clickhouse"))
                try await Task.sleep(for: .seconds(3))
            }
            try TestServers.run("start", "clickhouse")
            var stored = 0
            #expect(try await eventually(within: .seconds(60)) {
                stored = (try? await stack.stored(tenants: script.tenants)) ?? 0
                return stored == script.events.count
            }, "every event stored once after ClickHouse came back: \(stored) of \(script.events.count)")
            #expect(try await stack.service.exchange(.get, "/ready", body: nil).status == 200)
        }
    }
}
