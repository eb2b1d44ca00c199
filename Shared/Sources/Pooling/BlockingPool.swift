// Up to `size` blocking C-library connections, each owned by a thread of its own that takes jobs
// from one shared queue, first come first served. Blocking calls never run on the cooperative pool
// or an event loop, and a caller costs one hand-off to a connection thread and one back. Threads
// (and so connections) start when work finds none waiting, so an idle service holds one or two,
// not `size` (each is a thread's stack and, for PostgreSQL, a server process).

import DequeModule

final class BlockingPool<Resource: Sendable>: @unchecked Sendable {
    typealias Job = (Resource) -> Void

    private let size: Int
    private let name: String
    private let make: () -> Resource
    private let condition = Condition()
    private var jobs = Deque<Job>()
    private var closed = false
    /// Threads started and not yet ended.
    private var running = 0
    /// Threads waiting for a job.
    private var waiting = 0
    private var closer: ((Resource) -> Void)?
    private var drained: CheckedContinuation<Void, Never>?

    struct Closed: Error, CustomStringConvertible {
        var description: String { "the connection pool is shut down" }
    }

    init(size: Int, name: String = "blocking-pool", make: @escaping () -> Resource) {
        self.size = size
        self.name = name
        self.make = make
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
        guard !closed else {
            condition.unlock()
            return false
        }
        jobs.append(job)
        // A thread of its own when every started one is busy, up to `size`.
        let newThread: Int? = jobs.count > waiting && running < size ? running : nil
        if newThread != nil { running += 1 }
        condition.signal()
        condition.unlock()
        if let newThread {
            // The thread keeps the pool alive until shutdown ends it.
            let make = make
            OSThread.start(name: "\(name)-\(newThread)") { self.work(make()) }
        }
        return true
    }

    private func work(_ resource: Resource) {
        while true {
            condition.lock()
            waiting += 1
            while jobs.isEmpty && !closed { condition.wait() }
            waiting -= 1
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
