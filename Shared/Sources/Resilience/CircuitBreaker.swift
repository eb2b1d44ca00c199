// A circuit breaker per upstream (a service behind the gateway, a supplier behind the adapter): it opens after consecutive failures or a high failure rate over
// the recent calls, fails fast while open, and lets one probe through once the pause is over.
// Pure: the caller supplies the time.

public struct BreakerPolicy: Sendable {
    public var consecutiveFailures = 5
    /// Share of failures among the last `window` calls that opens the breaker, once `minimumCalls` were seen.
    public var failureRate = 0.5
    public var window = 20
    public var minimumCalls = 10
    public var openFor: Duration = .seconds(10)

    public init(consecutiveFailures: Int = 5, failureRate: Double = 0.5, window: Int = 20, minimumCalls: Int = 10, openFor: Duration = .seconds(10)) {
        self.consecutiveFailures = consecutiveFailures
        self.failureRate = failureRate
        self.window = window
        self.minimumCalls = minimumCalls
        self.openFor = openFor
    }
}

public struct CircuitBreaker: Sendable {
    public enum State: Equatable, Sendable {
        case closed
        case open(until: ContinuousClock.Instant)
        /// One probe is out; everyone else still fails fast.
        case halfOpen
    }

    public let policy: BreakerPolicy
    public private(set) var state: State = .closed
    private var consecutive = 0
    private var recent: [Bool] = []  // true = failure, newest last

    public init(policy: BreakerPolicy = BreakerPolicy()) {
        self.policy = policy
    }

    /// Whether a call may go out now. Past the open pause the first caller becomes the probe.
    public mutating func permit(at now: ContinuousClock.Instant) -> Bool {
        switch state {
        case .closed: return true
        case .halfOpen: return false
        case .open(let until):
            guard now >= until else { return false }
            state = .halfOpen
            return true
        }
    }

    public mutating func record(success: Bool, at now: ContinuousClock.Instant) {
        if state == .halfOpen {
            success ? reset() : open(at: now)
            return
        }
        recent.append(!success)
        if recent.count > policy.window { recent.removeFirst(recent.count - policy.window) }
        consecutive = success ? 0 : consecutive + 1
        let failures = recent.lazy.filter { $0 }.count
        let rateTripped = recent.count >= policy.minimumCalls && Double(failures) / Double(recent.count) >= policy.failureRate
        if case .closed = state, consecutive >= policy.consecutiveFailures || rateTripped { open(at: now) }
    }

    /// 0 closed, 1 half-open, 2 open: the value of the `circuit_breaker_state` gauge.
    public var gaugeValue: Int {
        switch state {
        case .closed: 0
        case .halfOpen: 1
        case .open: 2
        }
    }

    private mutating func open(at now: ContinuousClock.Instant) {
        state = .open(until: now + policy.openFor)
        consecutive = 0
        recent.removeAll()
    }

    private mutating func reset() {
        state = .closed
        consecutive = 0
        recent.removeAll()
    }
}
