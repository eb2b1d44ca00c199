// Shuts the gateway's HTTP clients down with the service group.

import AsyncHTTPClient
import ServiceLifecycle
import Shared

struct HTTPClientService: Service {
    let clients: [HTTPClient]
    let internalClient: HTTP1Client

    func run() async throws {
        try? await gracefulShutdown()
        for client in clients { try await client.shutdown() }
        await internalClient.shutdown()
    }
}
