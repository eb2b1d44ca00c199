// Search without Redis: still answered (from the replica's memory, or asked anew), and query-engine
// stays ready (degraded). Stops the shared Redis, so scripts/test.sh runs it with the other fault
// suites, after the rest.

import Foundation
@testable import Shared
import Testing
import TestSupport

extension SupplyChainTests {
    @Suite(.serialized) struct SearchFaultTests {
        @Test func searchesAnswerWhileRedisIsDown() async throws {
            try await SearchHarness.run { stack in
                #expect(try await stack.search(SearchTests.paris(100)).status == 200)
                try TestServers.run("stop", "redis")
                do {
                    // What this replica holds in memory is still served; what it has not seen is asked anew.
                    // (Stopping Redis can take longer than the freshness period: held answers may be stale by then.)
                    for (daysAhead, outcomes) in [(100, ["cached", "stale"]), (101, ["ok"]), (101, ["cached"])] {
                        let started = ContinuousClock.now
                        let answer = try await stack.search(SearchTests.paris(daysAhead))
                        #expect(answer.status == 200, "\(answer.text.prefix(300))")
                        let seen = SearchTests.outcomes(answer.json)
                        #expect(seen.count == 3 && seen.allSatisfy(outcomes.contains), "\(daysAhead) days ahead: \(seen)")
                        #expect(started.duration(to: .now) < .seconds(3), "Redis down costs a search no more than its short deadline")
                    }
                    let ready = try await stack.http.execute(.get, stack.queryEngine + "/ready", timeout: .seconds(10))
                    #expect(ready.status == .ok && String(buffer: ready.body).contains(#""status":"degraded""#), "\(String(buffer: ready.body))")
                }
                try TestServers.run("start", "redis")
            }
        }
    }
}
