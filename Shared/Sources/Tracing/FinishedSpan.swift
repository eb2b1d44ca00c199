// One request a service answered, as a span of its trace: the server span whose parent is the
// caller's (the `traceparent` it sent), so a trace shows gateway -> service -> service.

import FoundationEssentials

public struct FinishedSpan: Sendable, Equatable {
    public var trace: TraceContext
    /// `METHOD route`: `POST /api/v1/orders`, `GET /api/v1/orders/{id}`.
    public var name: String
    /// Nanoseconds since 1970.
    public var start: UInt64
    public var end: UInt64
    public var method: String
    public var route: String
    public var status: Int

    /// A request that took `duration` and ended `endedAt`.
    public init(trace: TraceContext, method: String, route: String, status: Int, duration: Duration, endedAt: Date = Date()) {
        self.trace = trace
        self.name = method + " " + route
        self.method = method
        self.route = route
        self.status = status
        end = UInt64(max(0, endedAt.timeIntervalSince1970 * 1e9))
        let (seconds, attoseconds) = duration.components
        start = end - min(end, UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000))
    }

    /// Whether the caller asked for the trace to be recorded (W3C `sampled` flag).
    public var sampled: Bool { (UInt8(trace.flags, radix: 16) ?? 1) & 1 == 1 }
}
