// LISTEN/NOTIFY on a dedicated connection with its own thread. It waits on the socket with a timeout
// (so shutdown is prompt), and after losing the server reconnects with backoff, listens again and
// yields `.reconnected` so consumers can catch up on what they may have missed.

import FoundationEssentials
import Glibc
import Logging
import NIOConcurrencyHelpers
import NIOPosix
import ServiceLifecycle

public final class PostgresListener: Service, Sendable {
    public enum Event: Sendable, Equatable {
        case notification(PostgresNotification)
        /// (Re)connected and listening: anything sent while disconnected was lost.
        case listening
    }

    let settings: PostgresSettings
    let channels: [String]
    let logger: Logger
    public let events: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation
    private let stopped = NIOLockedValueBox(false)

    public init(settings: PostgresSettings, channels: [String], logger: Logger) {
        self.settings = settings
        self.channels = channels
        self.logger = logger
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(10_000))
    }

    public func run() async throws {
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        defer { continuation.finish() }
        // The loop runs on its own thread, outside the task: stop it on shutdown and on cancellation.
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                _ = try? await thread.runIfActive { self.loop() }
            } onGracefulShutdown: {
                self.stop()
            }
        } onCancel: {
            self.stop()
        }
        try? await thread.shutdownGracefully()
    }

    private func stop() { stopped.withLockedValue { $0 = true } }

    private var isStopped: Bool { stopped.withLockedValue { $0 } }

    private func loop() {
        let connection = PostgresConnection(settings: settings)
        defer { connection.close() }
        var backoff = Duration.milliseconds(100)
        while !isStopped {
            do {
                try connection.ensureConnected()
                for channel in channels { try connection.execute("LISTEN \"\(channel.replacing("\"", with: "\"\""))\"") }
                continuation.yield(.listening)
                backoff = .milliseconds(100)
                while !isStopped {
                    if try wait(on: connection.socket, milliseconds: 250) {
                        for notice in try connection.drainNotifications() { continuation.yield(.notification(notice)) }
                    }
                }
            } catch {
                connection.close()
                logger.warning("notification listener lost its connection", metadata: ["error": .string("\(error)")])
                OSThread.sleep(backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
    }

    /// True when the socket has data; throws when it is closed or broken.
    private func wait(on socket: Int32, milliseconds: Int32) throws -> Bool {
        guard socket >= 0 else { throw PostgresError(sqlState: nil, message: "no socket") }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, milliseconds)
        if ready < 0 && errno != EINTR { throw PostgresError(sqlState: nil, message: "poll failed: \(errno)") }
        return ready > 0
    }
}
