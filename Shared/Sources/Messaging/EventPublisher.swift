// Publishes with publisher confirms on one connection owned by one thread: a publish returns only
// once the broker has confirmed every message, and fails loudly otherwise. Between publishes the owner
// wakes to answer heartbeats.

import FoundationEssentials
import Glibc
import Logging
import NIOPosix
import ServiceLifecycle

public final class EventPublisher: Service, Sendable {
    let settings: AMQPSettings
    let logger: Logger
    private let connection: AMQPConnection
    private let owner = NIOThreadPool(numberOfThreads: 1)

    public init(settings: AMQPSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
        self.connection = AMQPConnection(settings: settings)
        owner.start()
    }

    /// Confirmed publish of a batch. After a failure the next call reconnects.
    public func publish(_ messages: [OutgoingMessage]) async throws {
        guard !messages.isEmpty else { return }
        let connection = connection
        try await owner.runIfActive {
            if !connection.isOpen {
                try connection.open()
                try EventTopology.declareExchanges(on: connection)
            }
            try connection.publishConfirmed(messages)
        }
    }

    /// `persistent: false` for events that may be lost with the broker: it keeps them in memory, not on disk.
    public func publish(_ events: [EventEnvelope], persistent: Bool = true) async throws {
        try await publish(events.map { event in
            var message = try event.message()
            message.persistent = persistent
            return message
        })
    }

    public func run() async throws {
        let connection = connection
        let period = Duration.seconds(max(1, settings.heartbeatSeconds / 3))
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: period) }
            _ = try? await owner.runIfActive { if connection.isOpen { try connection.serviceHeartbeats() } }
        }
        try await shutdown()
    }

    public func shutdown() async throws {
        let connection = connection
        _ = try? await owner.runIfActive { connection.close() }
        try await owner.shutdownGracefully()
    }
}
