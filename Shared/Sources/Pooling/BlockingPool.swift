// A fixed set of blocking C-library connections, each owned by a thread of its own that takes jobs
// from one shared queue, first come first served. Blocking calls never run on the cooperative pool
// or an event loop, and a caller costs one hand-off to a connection thread and one back.

import DequeModule

final class BlockingPool<Resource: Sendable>: @unchecked Sendable {
    typealias Job = (Resource) -> Void

    private let condition = Condition()
    private var jobs = Deque<Job>()
    private var closed = false
    private var running: Int
    private var closer: ((Resource) -> Void)?
    private var drained: CheckedContinuation<Void, Never>?

    struct Closed: Error, CustomStringConvertible {
        var description: String { "the connection pool is shut down" }
    }

    init(_ resources: [Resource], name: String = "blocking-pool") {
        running = resources.count
        for (index, resource) in resources.enumerated() {
            // The threads keep the pool alive until shutdown ends them.
            OSThread.start(name: "\(name)-\(index)") { self.work(resource) }
        }
    }

    /// Runs `body` on a connection thread with its resource.
    func with<T: Sendable>(_ body: @escaping @Sendable (Resource) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = enqueue { resource in continuation.resume(with: Result { try body(resource) }) }
            if !accepted { continuation.resume(throwing: Closed()) }
        }
    }

    /// Holds one resource (and its thread) across several steps that may await in between.
    func lease<T: Sendable>(_ body: (Pinned) async throws -> T) async throws -> T {
        let pinned = Pinned()
        guard enqueue({ resource in pinned.serve(resource) }) else { throw Closed() }
        defer { pinned.end() }
        return try await body(pinned)
    }

    /// Refuses new work, lets queued work finish, closes every resource on its own thread.
    func shutdown(closing close: @escaping (Resource) -> Void) async {
        await withCheckedContinuation { continuation in
            condition.lock()
            closed = true
            closer = close
            if running == 0 {
                condition.unlock()
                continuation.resume()
                return
            }
            drained = continuation
            condition.broadcast()
            condition.unlock()
        }
    }

    private func enqueue(_ job: @escaping Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    private func work(_ resource: Resource) {
        while true {
            condition.lock()
            while jobs.isEmpty && !closed { condition.wait() }
            guard let job = jobs.popFirst() else {
                let close = closer
                condition.unlock()
                close?(resource)
                finish()
                return
            }
            condition.unlock()
            job(resource)
        }
    }

    private func finish() {
        condition.lock()
        running -= 1
        let done = running == 0 ? drained : nil
        if done != nil { drained = nil }
        condition.unlock()
        done?.resume()
    }

    /// A resource kept by one caller: steps posted here run on its thread, in order, until `end`.
    final class Pinned: @unchecked Sendable {
        private let condition = Condition()
        private var steps = Deque<Job>()
        private var ended = false

        func run<T: Sendable>(_ step: @escaping @Sendable (Resource) throws -> T) async throws -> T {
            try await withCheckedThrowingContinuation { continuation in
                condition.lock()
                steps.append { resource in continuation.resume(with: Result { try step(resource) }) }
                condition.signal()
                condition.unlock()
            }
        }

        func end() {
            condition.lock()
            ended = true
            condition.signal()
            condition.unlock()
        }

        /// Runs on the resource's thread until the lease ends.
        fileprivate func serve(_ resource: Resource) {
            while true {
                condition.lock()
                while steps.isEmpty && !ended { condition.wait() }
                guard let step = steps.popFirst() else {
                    condition.unlock()
                    return
                }
                condition.unlock()
                step(resource)
            }
        }
    }
}
