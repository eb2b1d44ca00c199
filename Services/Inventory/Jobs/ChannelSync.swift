// The periodic sync: every SYNC_INTERVAL_MS, channel-manager messages queued while
// `supplier.realtime.sync` was off for their channel are applied, oldest first. Replicas may sync at
// once: each message is marked applied in the transaction that applies it, by one of them only.

import Logging
import ServiceLifecycle
import Shared

struct ChannelSync: Service {
    let desk: ChannelDesk
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await Task.pause(for: interval)
            // Woken by shutdown: not a sync due.
            guard !Task.isShuttingDownGracefully && !Task.isCancelled else { return }
            do {
                let applied = try await desk.drain()
                if applied > 0 { logger.info("queued channel messages applied", metadata: ["count": .stringConvertible(applied)]) }
            } catch {
                logger.warning("queued channel messages not applied", metadata: ["error": .string("\(error)")])
            }
        }
    }
}
