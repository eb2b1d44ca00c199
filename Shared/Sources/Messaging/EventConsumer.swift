// A consumer loop that owns its connection: prefetch, batches handed to the handler, manual ack
// only after the handler succeeds. A failing message goes to the retry queue (it comes back after
// the delay) and, after `maxAttempts`, to the dead-letter queue. Reconnects with backoff.

import FoundationEssentials
import Glibc
import Logging
import NIOConcurrencyHelpers
import NIOPosix
import ServiceLifecycle

public final class EventConsumer: Service, Sendable {
    public typealias Handler = @Sendable ([Delivery]) async throws -> Void

    public let spec: ConsumerSpec
    let settings: AMQPSettings
    let logger: Logger
    let handler: Handler
    private let stopped = NIOLockedValueBox(false)

    public init(settings: AMQPSettings, spec: ConsumerSpec, logger: Logger, handler: @escaping Handler) {
        self.settings = settings
        self.spec = spec
        self.logger = logger
        self.handler = handler
    }

    public func run() async throws {
        let owner = NIOThreadPool(numberOfThreads: 1)
        owner.start()
        let connection = AMQPConnection(settings: settings)
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await loop(connection, owner)
            } onGracefulShutdown: {
                self.stopped.withLockedValue { $0 = true }
            }
        } onCancel: {
            self.stopped.withLockedValue { $0 = true }
        }
        _ = try? await owner.runIfActive { connection.close() }
        try? await owner.shutdownGracefully()
    }

    private var isStopped: Bool { stopped.withLockedValue { $0 } }

    private func loop(_ connection: AMQPConnection, _ owner: NIOThreadPool) async {
        var backoff = Duration.milliseconds(100)
        let spec = spec
        while !isStopped {
            do {
                try await owner.runIfActive {
                    try connection.open()
                    try EventTopology.declare(spec, on: connection)
                    try connection.consume(queue: spec.queue, prefetch: spec.prefetch)
                }
                backoff = .milliseconds(100)
                while !isStopped {
                    let batch = try await owner.runIfActive { try connection.nextDeliveries(limit: spec.batchSize, wait: .milliseconds(250), gather: spec.gather) }
                    guard let last = batch.last else { continue }
                    do {
                        try await handler(batch)
                        try await owner.runIfActive { try connection.ack(last.tag, multiple: true) }
                    } catch {
                        try await handleOneByOne(batch, connection, owner)
                    }
                }
            } catch {
                logger.warning("consumer lost its connection", metadata: ["queue": .string(spec.queue), "error": .string("\(error)")])
                _ = try? await owner.runIfActive { connection.abandon() }
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
    }

    /// After a batch failed: each message on its own, so one bad message does not hold back the rest.
    private func handleOneByOne(_ batch: [Delivery], _ connection: AMQPConnection, _ owner: NIOThreadPool) async throws {
        for delivery in batch {
            do {
                try await handler([delivery])
            } catch {
                let copy = retryCopy(of: delivery, error: error)
                logger.warning(
                    "event handling failed",
                    metadata: ["queue": .string(spec.queue), "messageId": .string(delivery.messageId),
                               "attempt": .stringConvertible(delivery.attempt), "to": .string(copy.routingKey), "error": .string("\(error)")])
                try await owner.runIfActive { try connection.publishUnconfirmed(copy) }
            }
            try await owner.runIfActive { try connection.ack(delivery.tag, multiple: false) }
        }
    }

    /// The same message for the retry queue, or for the dead-letter queue once attempts are used up.
    func retryCopy(of delivery: Delivery, error: any Error) -> OutgoingMessage {
        var headers = delivery.headers
        headers["x-original-routing-key"] = headers["x-original-routing-key"] ?? delivery.routingKey
        headers["x-last-error"] = String("\(error)".prefix(500))
        let exhausted = delivery.attempt >= spec.maxAttempts
        headers[Delivery.attemptHeader] = String(delivery.attempt + 1)
        return OutgoingMessage(
            exchange: exhausted ? EventTopology.deadLetterExchange : "",
            routingKey: exhausted ? spec.queue : spec.retryQueue,
            body: delivery.body, messageId: delivery.messageId, type: delivery.type, headers: headers)
    }
}
