// Log lines reach stdout through one writer thread: under load many lines leave in one write(2)
// instead of one system call each on the request's event loop; when idle a line leaves at once.
// After each write the writer rests 20 ms, so that under load callers append without waking it (no
// waiter, no futex call) and the next write takes everything that arrived meanwhile: at most 50
// wake-ups a second (resting 1 ms, the gateway paid a context switch about every request).

import Glibc
import NIOConcurrencyHelpers

final class StandardOutputWriter: @unchecked Sendable {
    private enum State: Int { case idle, pending, writing }
    /// Above this many bytes waiting, the caller writes them itself: memory stays bounded if stdout stalls.
    static let backlogLimit = 4 << 20

    private let state = ConditionLock(value: State.idle.rawValue)
    private var pending: [UInt8] = []  // guarded by `state`
    private var writing = false  // guarded by `state`
    private var thread = pthread_t()

    init() {
        pending.reserveCapacity(64 << 10)
        let unmanaged = Unmanaged.passRetained(self)
        pthread_create(&thread, nil, { argument in
            Unmanaged<StandardOutputWriter>.fromOpaque(argument!).takeRetainedValue().run()
            return nil
        }, unmanaged.toOpaque())
    }

    func append(_ line: [UInt8]) {
        state.lock()
        pending.append(contentsOf: line)
        if pending.count > Self.backlogLimit {
            Self.writeAll(pending)
            pending.removeAll(keepingCapacity: true)
        }
        state.unlock(withValue: currentState.rawValue)
    }

    /// Called with the lock held.
    private var currentState: State { writing ? .writing : (pending.isEmpty ? .idle : .pending) }

    func flush() {
        state.lock(whenValue: State.idle.rawValue)
        state.unlock()
    }

    private func run() {
        var batch: [UInt8] = []
        batch.reserveCapacity(64 << 10)
        while true {
            state.lock(whenValue: State.pending.rawValue)
            swap(&batch, &pending)
            writing = true
            state.unlock(withValue: State.writing.rawValue)
            Self.writeAll(batch)
            batch.removeAll(keepingCapacity: true)
            state.lock()
            writing = false
            state.unlock(withValue: currentState.rawValue)
            usleep(20_000)
        }
    }

    private static func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
