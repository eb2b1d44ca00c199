// `supplier.call`: one call to one supplier, as supplier-adapter saw it. Matching learns supplier
// reliability from these; BI reports supplier success rates and latency.

import FoundationEssentials

public struct SupplierCallEvent: Hashable, Codable, Sendable {
    public static let type = "supplier.call"

    /// Outcomes that mean the supplier failed us: no proper answer (what opens its breaker).
    public static let faultOutcomes: Set<String> = ["timeout", "unreachable", "server_error", "malformed"]
    /// Outcomes that say nothing about the supplier: our breaker or pool stopped the call, our
    /// credentials or registry were wrong.
    public static let ownOutcomes: Set<String> = ["circuit_open", "busy", "authentication", "disabled", "unknown_supplier"]

    public var supplier: String
    /// availability, rate_check, book, booking_lookup, booking_read, cancel, cancel_quote, content.
    public var operation: String
    /// "ok", or what went wrong: timeout, unreachable, server_error, malformed, rejected, sold_out, ...
    public var outcome: String
    public var latencyMs: Double
    /// 1 for the first try, more for retries.
    public var attempt: Int
    public var at: Date
    /// Availability calls that answered: how many offers came back (0: no rooms).
    public var offers: Int?

    public init(supplier: String, operation: String, outcome: String, latencyMs: Double, attempt: Int, at: Date, offers: Int? = nil) {
        self.supplier = supplier
        self.operation = operation
        self.outcome = outcome
        self.latencyMs = latencyMs
        self.attempt = attempt
        self.at = at
        self.offers = offers
    }

    enum CodingKeys: String, CodingKey { case supplier, operation, outcome, latencyMs = "latency_ms", attempt, at, offers }
}
