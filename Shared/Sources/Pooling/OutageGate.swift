// Failing fast while a server is down. The first callers to find it unreachable wait out a short
// window (a restart takes well under a second); once the window has passed without a connection,
// the server is known to be down and every caller fails at once, except one a second that tries
// to connect again. A connection made by anyone ends the outage.

import NIOConcurrencyHelpers

public final class OutageGate: Sendable {
    public let probeInterval: Duration
    private let state = NIOLockedValueBox<(down: Bool, nextProbe: ContinuousClock.Instant)>((false, .now))

    public init(probeInterval: Duration = .seconds(1)) {
        self.probeInterval = probeInterval
    }

    public var isDown: Bool { state.withLockedValue { $0.down } }

    /// Connects with `connect`: riding out `window` while the server is not known to be down, one
    /// attempt when this caller is the second's probe, none (throwing `unavailable`) otherwise.
    func connect(window: Duration, unavailable: @autoclosure () -> any Error, _ connect: () throws -> Void) throws {
        let attempt = state.withLockedValue { state -> Duration? in
            guard state.down else { return window }
            guard ContinuousClock.now >= state.nextProbe else { return nil }
            state.nextProbe = .now + probeInterval
            return .zero
        }
        guard let attempt else { throw unavailable() }
        do {
            try Reconnect.retrying(for: attempt) { try connect() }
        } catch {
            state.withLockedValue { state in
                if !state.down { state = (true, .now + probeInterval) }
            }
            throw error
        }
        state.withLockedValue { $0.down = false }
    }
}
