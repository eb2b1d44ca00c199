// A wake-up that can be waited for with a timeout. A signal while no one waits is remembered once;
// a wait ends at a signal, at its timeout, or when its task is cancelled.

import NIOConcurrencyHelpers

public final class WakeSignal: Sendable {
    public init() {}

    private struct State {
        var pending = false
        var waiter: (id: Int, continuation: CheckedContinuation<Void, Never>)?
        var expired: Int?
        var nextId = 0
    }

    private let state = NIOLockedValueBox(State())

    public func signal() {
        let waiter = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    public func wait(timeout: Duration) async {
        let id = state.withLockedValue { state in
            state.nextId += 1
            return state.nextId
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let now = self.state.withLockedValue { state -> Bool in
                        if state.pending || state.expired == id {
                            state.pending = false
                            return true
                        }
                        state.waiter = (id, continuation)
                        return false
                    }
                    if now { continuation.resume() }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                self.expire(id)
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// Ends wait `id` if it is still waiting, or makes it end at once if it has not begun.
    private func expire(_ id: Int) {
        let waiter = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter, waiter.id == id else {
                state.expired = id
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }
}
