// Keeping an in-memory copy of some tables current: reload at start, whenever a change is announced
// by NOTIFY (or the listener reconnects, when announcements may have been missed), and every
// `interval` as a fallback. Used by the config client and the gateway's revocation list.

import Logging
import ServiceLifecycle

extension PostgresListener {
    /// Runs until the task is cancelled or the service group shuts down.
    public static func reloading(
        settings: PostgresSettings, channels: [String], every interval: Duration, logger: Logger,
        _ reload: @escaping @Sendable () async -> Void
    ) async throws {
        let listener = PostgresListener(settings: settings, channels: channels, logger: logger)
        let wake = WakeSignal()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await listener.run() }
            group.addTask {
                for await _ in listener.events { wake.signal() }
            }
            group.addTask {
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    await reload()
                    await wake.wait(timeout: interval)
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }
}
