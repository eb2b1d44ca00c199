// Waiting for work at most so long, without waiting for the work to stop.

import NIOConcurrencyHelpers

/// Runs `body`, failing with `failure()` (by default a `DependencyFailure` naming the limit) if it
/// has not finished within `limit`. Returns at the deadline even when `body` cannot be cancelled (a
/// blocking call on a connection thread, or an await on a task that others share): it is cancelled
/// and left to finish on its own, and its result is dropped.
public func withDeadline<T: Sendable>(
    _ limit: Duration, failure: (@Sendable () -> any Error)? = nil, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let outcome = NIOLockedValueBox<CheckedContinuation<T, any Error>?>(nil)
    let finish: @Sendable (Result<T, any Error>) -> Bool = { result in
        outcome.withLockedValue { continuation in
            guard let waiting = continuation else { return false }
            waiting.resume(with: result)
            continuation = nil
            return true
        }
    }
    return try await withCheckedThrowingContinuation { continuation in
        outcome.withLockedValue { $0 = continuation }
        let work = NIOLockedValueBox<Task<Void, Never>?>(nil)
        let timer = Task {
            guard (try? await Task.sleep(for: limit)) != nil else { return }
            if finish(.failure(failure?() ?? DependencyFailure("no answer within \(limit)"))) { work.withLockedValue { $0?.cancel() } }
        }
        work.withLockedValue { work in
            work = Task {
                let result: Result<T, any Error>
                do { result = .success(try await body()) } catch { result = .failure(error) }
                // In time: the timer is not left sleeping out the rest of the limit.
                if finish(result) { timer.cancel() }
            }
        }
    }
}
