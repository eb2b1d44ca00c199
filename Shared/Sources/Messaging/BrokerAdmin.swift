// Short-lived administrative work on the broker: declaring a consumer's queues ahead of its first
// start, counting and purging messages (operators, tests, benchmarks).

import NIOPosix

public struct BrokerAdmin: Sendable {
    let settings: AMQPSettings

    public init(settings: AMQPSettings) {
        self.settings = settings
    }

    public func declare(_ spec: ConsumerSpec) async throws {
        try await withConnection { try EventTopology.declare(spec, on: $0) }
    }

    public func messageCount(queue: String) async throws -> Int {
        try await withConnection { try $0.messageCount(queue: queue) }
    }

    public func purge(queue: String) async throws {
        try await withConnection { try $0.purge(queue: queue) }
    }

    private func withConnection<T: Sendable>(_ body: @escaping @Sendable (AMQPConnection) throws -> T) async throws -> T {
        let settings = settings
        return try await NIOThreadPool.singleton.runIfActive {
            let connection = AMQPConnection(settings: settings)
            try connection.open()
            defer { connection.close() }
            return try body(connection)
        }
    }
}
