// When to try a supplier call again: safe operations only, after transient failures, with
// exponential backoff and jitter (RETRY_MAX_ATTEMPTS, RETRY_BACKOFF_MS).

enum SupplierOperation: String, Sendable, CaseIterable {
    case availability, rateCheck = "rate_check", book, bookingLookup = "booking_lookup", bookingRead = "booking_read"
    case cancel, cancelQuote = "cancel_quote", content, statement

    /// Reads may be repeated; a booking or cancellation must never be sent twice blindly.
    var isSafeToRepeat: Bool { self != .book && self != .cancel }
}

struct RetryPolicy: Sendable, Equatable {
    var maxAttempts: Int
    var baseDelay: Duration
    var maxDelay: Duration = .seconds(30)

    /// Whether attempt `attempt` (from 1) that failed with `failure` is followed by another.
    func retries(_ operation: SupplierOperation, after failure: SupplierFailure, attempt: Int) -> Bool {
        operation.isSafeToRepeat && failure.isTransient && attempt < maxAttempts
    }

    /// The pause after attempt `attempt`: half of base x 2^(attempt-1) (capped), plus up to as much again at random.
    func delay(after attempt: Int, using random: inout some RandomNumberGenerator) -> Duration {
        let exponential = baseDelay * (1 << min(attempt - 1, 20))
        let capped = min(exponential, maxDelay)
        let half = capped / 2
        let jitterMs = Int(half.components.seconds * 1000 + half.components.attoseconds / 1_000_000_000_000_000)
        return half + .milliseconds(jitterMs > 0 ? Int.random(in: 0...jitterMs, using: &random) : 0)
    }
}
