// A server on a real port for a test (a stand-in upstream, a webhook receiver, a real service):
// started, waited for until it answers, and stopped.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import NIOConcurrencyHelpers
import Testing
import TestSupport

final class LocalServer: Sendable {
    let port: Int
    private let task = NIOLockedValueBox<Task<Void, any Error>?>(nil)

    init(port: Int = freePort()) {
        self.port = port
    }

    var base: String { "http://127.0.0.1:\(port)" }

    /// Runs `app` and returns once `probe` answers (any status); up to 5 s on a busy machine. An app
    /// that could not listen (the port taken after all) is an issue, not a silent stand-in.
    func start<App: ApplicationProtocol & Sendable>(_ app: App, probe: String = "/health") async throws {
        let ended = NIOLockedValueBox(false)
        task.withLockedValue {
            $0 = Task {
                defer { ended.withLockedValue { $0 = true } }
                try await app.runService(gracefulShutdownSignals: [])
            }
        }
        for _ in 0..<250 {
            let answered = (try? await URLSession.shared.data(from: URL(string: base + probe)!)) != nil
            if ended.withLockedValue({ $0 }) { break }
            if answered { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("the test server did not start on \(port)")
    }

    /// A plain Hummingbird app on this port.
    func start(_ router: Router<BasicRequestContext>, probe: String = "/health") async throws {
        try await start(Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: .init(label: "test-server")), probe: probe)
    }

    func stop() async {
        let running = task.withLockedValue { $0 }
        running?.cancel()
        _ = await running?.result
    }
}
