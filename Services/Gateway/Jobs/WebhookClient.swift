// The HTTPS client for outbound webhooks: made at the first delivery (a gateway that sends none
// never sets up its TLS stack) and shut down with the service group.

import AsyncHTTPClient
import NIOConcurrencyHelpers
import ServiceLifecycle

final class WebhookClient: Service, Sendable {
    private let configuration: HTTPClient.Configuration
    private let made = NIOLockedValueBox<HTTPClient?>(nil)

    init(configuration: HTTPClient.Configuration) {
        self.configuration = configuration
    }

    var client: HTTPClient {
        made.withLockedValue { made in
            if let client = made { return client }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            made = client
            return client
        }
    }

    func run() async throws {
        try? await gracefulShutdown()
        try await made.withLockedValue { $0 }?.shutdown()
    }
}
