// On shutdown the server drains: a request in flight finishes, a new connection is refused.

import Foundation
import Hummingbird
import Logging
import Shared
import ServiceLifecycle
import Testing
import TestSupport

@Suite struct GracefulShutdownTests {
    @Test func inFlightRequestFinishesAndNewOnesAreRefused() async throws {
        let sink = LogSink.capturing()
        let app = try TestService.application(environment: ["HOST": "127.0.0.1", "PORT": "0"], sink: sink)
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await listeningPort { sink.captured }

            let client = HTTP1Client()
            let slow = Task { try await client.execute(.get, "http://127.0.0.1:\(port)/slow", timeout: .seconds(10)) }
            try await Task.sleep(for: .milliseconds(300))
            await group.triggerGracefulShutdown()

            let response = try await slow.value
            #expect(response.status == .ok)
            #expect(String(buffer: response.body) == "done")
            await client.shutdown()

            let late = HTTP1Client()
            await #expect(throws: (any Error).self) {
                _ = try await late.execute(.get, "http://127.0.0.1:\(port)/health", timeout: .seconds(2))
            }
            await late.shutdown()
            try await tasks.waitForAll()
        }
    }
}
