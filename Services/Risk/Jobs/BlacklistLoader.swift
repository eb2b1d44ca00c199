// Keeps the blacklist each replica checks in memory current: loaded at start, then every 5 s (an
// operator's change reloads the replica that made it at once; the others within 5 s).

import Logging
import ServiceLifecycle
import Shared

struct BlacklistLoader: Service {
    let signals: RiskSignalSource
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await signals.reloadBlacklist()
            } catch {
                logger.warning("blacklist not reloaded", metadata: ["error": .string("\(error)")])
            }
            await Task.pause(for: .seconds(5))
        }
    }
}
