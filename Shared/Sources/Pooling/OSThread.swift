// Plain POSIX threads and condition variables for the blocking C clients, so the services need
// only FoundationEssentials (full Foundation and ICU cost each process about 8 MB of memory).

import CShims
import Glibc

/// A mutex with one condition variable (what NSCondition gave us).
final class Condition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
    }

    deinit {
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        cond.deallocate()
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
    /// Waits for a signal; the lock must be held.
    func wait() { pthread_cond_wait(cond, mutex) }
    func signal() { pthread_cond_signal(cond) }
    func broadcast() { pthread_cond_broadcast(cond) }
}

enum OSThread {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// Starts a detached thread running `body`, named `name` (its first 15 bytes: what `top -H`,
    /// perf and gdb show; unnamed, it would carry the name of the thread that started it).
    static func start(name: String, _ body: @escaping () -> Void) {
        let context = Unmanaged.passRetained(Body { cshims_name_this_thread(name); body() }).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            let body = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
            body.run()
            return nil
        }, context)
        precondition(started == 0, "cannot start thread \(name): error \(started)")
        pthread_detach(thread)
    }

    /// Blocks the calling thread (only ever a connection thread, never the cooperative pool).
    static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && errno == EINTR { request = remaining }
    }
}
