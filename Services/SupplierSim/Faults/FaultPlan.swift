// Misbehaviour to inject per supplier, set at run time (PUT /admin/faults/{supplier}): latency,
// errors, hangs, malformed bodies, and bookings made whose answer never arrives in time.

import FoundationEssentials
import NIOConcurrencyHelpers

struct FaultPlan: Codable, Sendable, Equatable {
    /// Added to every answer: uniform between the two bounds.
    var latencyMinMs = 0
    var latencyMaxMs = 0
    /// Share of calls answered with a server error.
    var errorRate = 0.0
    /// Share of calls that hang for `hangMs` before any answer.
    var timeoutRate = 0.0
    /// Share of calls answered with a body that does not parse.
    var malformedRate = 0.0
    /// Share of bookings that are made, then answered only after `hangMs` (the caller has given up by then).
    var bookTimeoutRate = 0.0
    var hangMs = 30_000

    enum CodingKeys: String, CodingKey {
        case latencyMinMs = "latency_min_ms", latencyMaxMs = "latency_max_ms", errorRate = "error_rate", timeoutRate = "timeout_rate"
        case malformedRate = "malformed_rate", bookTimeoutRate = "book_timeout_rate", hangMs = "hang_ms"
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func rate(_ key: CodingKeys) throws -> Double {
            let value = try container.decodeIfPresent(Double.self, forKey: key) ?? 0
            guard (0...1).contains(value) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "must be a share between 0 and 1")
            }
            return value
        }
        func milliseconds(_ key: CodingKeys, default value: Int) throws -> Int {
            let value = try container.decodeIfPresent(Int.self, forKey: key) ?? value
            guard (0...600_000).contains(value) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "must be 0 to 600000 milliseconds")
            }
            return value
        }
        latencyMinMs = try milliseconds(.latencyMinMs, default: 0)
        latencyMaxMs = try milliseconds(.latencyMaxMs, default: latencyMinMs)
        guard latencyMaxMs >= latencyMinMs else {
            throw DecodingError.dataCorruptedError(forKey: .latencyMaxMs, in: container, debugDescription: "must not be below latency_min_ms")
        }
        errorRate = try rate(.errorRate)
        timeoutRate = try rate(.timeoutRate)
        malformedRate = try rate(.malformedRate)
        bookTimeoutRate = try rate(.bookTimeoutRate)
        hangMs = try milliseconds(.hangMs, default: 30_000)
    }

    /// What happens to one call.
    enum Outcome: Equatable { case normal, error, hang, malformed }

    func draw(using random: inout some RandomNumberGenerator) -> (latency: Duration, outcome: Outcome) {
        let latency = Duration.milliseconds(Int.random(in: latencyMinMs...latencyMaxMs, using: &random))
        let roll = Double.random(in: 0..<1, using: &random)
        let outcome: Outcome =
            roll < timeoutRate ? .hang : roll < timeoutRate + errorRate ? .error : roll < timeoutRate + errorRate + malformedRate ? .malformed : .normal
        return (latency, outcome)
    }
}

/// The plans in force, per supplier code.
final class FaultBoard: Sendable {
    private let plans = NIOLockedValueBox<[String: FaultPlan]>([:])

    func plan(_ supplier: String) -> FaultPlan { plans.withLockedValue { $0[supplier] } ?? FaultPlan() }
    func set(_ plan: FaultPlan, for supplier: String) { plans.withLockedValue { $0[supplier] = plan } }
    func reset(_ supplier: String) { _ = plans.withLockedValue { $0.removeValue(forKey: supplier) } }
    var all: [String: FaultPlan] { plans.withLockedValue { $0 } }
}
