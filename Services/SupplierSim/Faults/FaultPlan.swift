// Misbehaviour to inject per supplier, set at run time (PUT /admin/faults/{supplier}): latency,
// errors, hangs, malformed bodies, and bookings made whose answer never arrives in time.

import FoundationEssentials
import Glibc
import NIOConcurrencyHelpers

struct FaultPlan: Codable, Sendable, Equatable {
    /// The time to every answer (the answer written first, then held until due): uniform between the two bounds...
    var latencyMinMs = 0
    var latencyMaxMs = 0
    /// ...or, when both are set, long-tailed like real suppliers (log-normal with this median and 99th percentile).
    var latencyP50Ms: Int?
    var latencyP99Ms: Int?
    /// Share of calls answered with a server error.
    var errorRate = 0.0
    /// Share of calls that hang for `hangMs` before any answer.
    var timeoutRate = 0.0
    /// Share of calls answered with a body that does not parse.
    var malformedRate = 0.0
    /// Share of bookings that are made, then answered only after `hangMs` (the caller has given up by then).
    var bookTimeoutRate = 0.0
    /// Share of bookings refused as sold out (the last rooms went to someone else after the rate check).
    var bookSoldOutRate = 0.0
    var hangMs = 30_000

    enum CodingKeys: String, CodingKey {
        case latencyMinMs = "latency_min_ms", latencyMaxMs = "latency_max_ms", latencyP50Ms = "latency_p50_ms", latencyP99Ms = "latency_p99_ms", errorRate = "error_rate", timeoutRate = "timeout_rate"
        case malformedRate = "malformed_rate", bookTimeoutRate = "book_timeout_rate", bookSoldOutRate = "book_sold_out_rate", hangMs = "hang_ms"
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
        latencyP50Ms = try container.decodeIfPresent(Int.self, forKey: .latencyP50Ms)
        latencyP99Ms = try container.decodeIfPresent(Int.self, forKey: .latencyP99Ms)
        if latencyP50Ms != nil || latencyP99Ms != nil {
            guard let p50 = latencyP50Ms, let p99 = latencyP99Ms, p50 >= 1, p99 >= p50, p99 <= 600_000 else {
                throw DecodingError.dataCorruptedError(forKey: .latencyP99Ms, in: container, debugDescription: "latency_p50_ms and latency_p99_ms go together, 1 <= p50 <= p99 <= 600000")
            }
        }
        errorRate = try rate(.errorRate)
        timeoutRate = try rate(.timeoutRate)
        malformedRate = try rate(.malformedRate)
        bookTimeoutRate = try rate(.bookTimeoutRate)
        bookSoldOutRate = try rate(.bookSoldOutRate)
        hangMs = try milliseconds(.hangMs, default: 30_000)
    }

    /// What happens to one call.
    enum Outcome: Equatable { case normal, error, hang, malformed }

    func draw(using random: inout some RandomNumberGenerator) -> (latency: Duration, outcome: Outcome) {
        let latency: Duration
        if let p50 = latencyP50Ms, let p99 = latencyP99Ms {
            // Log-normal: the median p50, and p99 at 2.326 standard deviations (Box-Muller for the normal draw).
            let sigma = log(Double(p99) / Double(p50)) / 2.326
            let z = (-2 * log(Double.random(in: Double.ulpOfOne..<1, using: &random))).squareRoot() * cos(2 * .pi * Double.random(in: 0..<1, using: &random))
            latency = .milliseconds(Int(min(600_000, Double(p50) * exp(sigma * z))))
        } else {
            latency = .milliseconds(Int.random(in: latencyMinMs...latencyMaxMs, using: &random))
        }
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
