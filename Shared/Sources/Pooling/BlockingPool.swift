// A fixed set of blocking C-library connections, each lent to one caller at a time and used only on
// the pool's own threads (one per connection), never on the cooperative pool or an event loop.
// Callers beyond the pool's size wait their turn, first come first served.

import DequeModule
import NIOConcurrencyHelpers
import NIOPosix

final class BlockingPool<Resource: Sendable>: Sendable {
    let threads: NIOThreadPool
    private let state: NIOLockedValueBox<State>

    private struct State {
        var idle: [Resource]
        var waiters: Deque<CheckedContinuation<Resource, any Error>> = []
        var closed = false
    }

    struct Closed: Error, CustomStringConvertible {
        var description: String { "the connection pool is shut down" }
    }

    init(_ resources: [Resource]) {
        threads = NIOThreadPool(numberOfThreads: max(1, resources.count))
        threads.start()
        state = NIOLockedValueBox(State(idle: resources))
    }

    /// Runs `body` on a pool thread with a resource no one else holds meanwhile.
    func with<T: Sendable>(_ body: @escaping @Sendable (Resource) throws -> T) async throws -> T {
        let resource = try await checkout()
        defer { checkin(resource) }
        return try await threads.runIfActive { try body(resource) }
    }

    /// Holds one resource across several steps that may await in between (each step on a pool thread).
    func lease<T: Sendable>(_ body: (Resource) async throws -> T) async throws -> T {
        let resource = try await checkout()
        defer { checkin(resource) }
        return try await body(resource)
    }

    private func checkout() async throws -> Resource {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Resource, any Error>? = state.withLockedValue { state in
                if state.closed { return .failure(Closed()) }
                if let resource = state.idle.popLast() { return .success(resource) }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    private func checkin(_ resource: Resource) {
        let waiter: CheckedContinuation<Resource, any Error>? = state.withLockedValue { state in
            if let waiter = state.waiters.popFirst() { return waiter }
            state.idle.append(resource)
            return nil
        }
        waiter?.resume(returning: resource)
    }

    /// Refuses new work, fails the waiters, hands back the idle resources to close, and stops the threads.
    func shutdown(closing close: (Resource) -> Void) async throws {
        let (idle, waiters) = state.withLockedValue { state in
            state.closed = true
            defer { state.idle = []; state.waiters = [] }
            return (state.idle, state.waiters)
        }
        waiters.forEach { $0.resume(throwing: Closed()) }
        idle.forEach(close)
        try await threads.shutdownGracefully()
    }
}
