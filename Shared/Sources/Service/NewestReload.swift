// A value rebuilt by reloads that may overlap (a periodic one, and one after each change made
// here): each reload takes a ticket when it starts, and one that finishes after a later-started one
// is dropped, so a state read before a change never replaces one read after it.

import NIOConcurrencyHelpers

public final class NewestReload<Value: Sendable>: Sendable {
    private let state: NIOLockedValueBox<(value: Value, ticket: Int)>
    private let issued = NIOLockedValueBox(0)

    public init(_ initial: Value) {
        state = NIOLockedValueBox((initial, 0))
    }

    public var value: Value { state.withLockedValue { $0.value } }

    /// Called before the reload reads anything.
    public func begin() -> Int {
        issued.withLockedValue { issued in
            issued += 1
            return issued
        }
    }

    /// Publishes what the reload with `ticket` built from the current value, unless a reload that
    /// started later has published (or confirmed) already; true when it was published.
    @discardableResult
    public func publish(_ ticket: Int, _ build: (Value) -> Value) -> Bool {
        state.withLockedValue { state in
            guard ticket > state.ticket else { return false }
            state = (build(state.value), ticket)
            return true
        }
    }

    /// The reload with `ticket` found the current value still right: older reloads may not replace it.
    public func confirm(_ ticket: Int) {
        state.withLockedValue { $0.ticket = max($0.ticket, ticket) }
    }
}
