// Background work done in rounds: `round` every `interval` until the service group shuts down. A
// failed round is logged as `failure` and tried again at the next one; the pause ends early on
// shutdown (Task.pause).

import Logging
import ServiceLifecycle

public struct PeriodicJob: Service {
    public let failure: String
    public let interval: Duration
    public let logger: Logger
    public let round: @Sendable () async throws -> Void

    public init(failure: String, every interval: Duration, logger: Logger, round: @escaping @Sendable () async throws -> Void) {
        (self.failure, self.interval, self.logger, self.round) = (failure, interval, logger, round)
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await round()
            } catch {
                logger.warning("\(failure)", metadata: ["error": .string("\(error)")])
            }
            await Task.pause(for: interval)
        }
    }
}
