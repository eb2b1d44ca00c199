// At most so many open connections from one client address (the public entry's guard against one
// client holding every connection); a connection over the limit is closed at once.

import NIOConcurrencyHelpers
import NIOCore

public final class ClientConnectionLimit: Sendable {
    public let maxPerClient: Int
    private let open = NIOLockedValueBox<[String: Int]>([:])

    public init(maxPerClient: Int) {
        self.maxPerClient = maxPerClient
    }

    /// Counts `channel` against its client's address until it closes; false (and nothing counted)
    /// when that client already holds `maxPerClient` connections.
    func admit(_ channel: any Channel) -> Bool {
        guard let client = channel.remoteAddress?.ipAddress else { return true }
        let admitted = open.withLockedValue { counts in
            guard counts[client, default: 0] < maxPerClient else { return false }
            counts[client, default: 0] += 1
            return true
        }
        if admitted {
            channel.closeFuture.whenComplete { [open] _ in
                open.withLockedValue { counts in
                    let left = counts[client, default: 1] - 1
                    counts[client] = left > 0 ? left : nil
                }
            }
        }
        return admitted
    }

    /// Connections open from `client` now.
    public func openConnections(from client: String) -> Int { open.withLockedValue { $0[client] ?? 0 } }
}
