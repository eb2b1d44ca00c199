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
    /// Availability calls that answered: the stay asked (`AvailabilityQuery.stay`) and the cheapest
    /// net price per hotel, which matching compares across the suppliers of a hotel.
    public var stay: String?
    public var quotes: [HotelQuote]?

    public init(
        supplier: String, operation: String, outcome: String, latencyMs: Double, attempt: Int, at: Date, offers: Int? = nil, stay: String? = nil,
        quotes: [HotelQuote]? = nil
    ) {
        self.supplier = supplier
        self.operation = operation
        self.outcome = outcome
        self.latencyMs = latencyMs
        self.attempt = attempt
        self.at = at
        self.offers = offers
        self.stay = stay
        self.quotes = quotes
    }

    enum CodingKeys: String, CodingKey { case supplier, operation, outcome, latencyMs = "latency_ms", attempt, at, offers, stay, quotes }

    /// The event's payload as its Codable form reads it, built by hand: supplier-adapter makes one
    /// per call, with up to a city's quotes, and going through JSONEncoder and back had been a tenth
    /// of its work.
    public var payload: JSONValue {
        var fields: [String: JSONValue] = [
            "supplier": .string(supplier), "operation": .string(operation), "outcome": .string(outcome), "latency_ms": .number(latencyMs),
            "attempt": .integer(attempt), "at": .string(Timestamp.iso8601Milliseconds(at)),
        ]
        if let offers { fields["offers"] = .integer(offers) }
        if let stay { fields["stay"] = .string(stay) }
        if let quotes {
            fields["quotes"] = .array(quotes.map { .object(["hotel_code": .string($0.hotelCode), "net": .string($0.net.description), "currency": .string($0.currency)]) })
        }
        return .object(fields)
    }
}

/// The cheapest net price a supplier asked for one of its hotels, in one currency.
public struct HotelQuote: Hashable, Codable, Sendable {
    public var hotelCode: String
    public var net: Amount
    public var currency: String

    public init(hotelCode: String, net: Amount, currency: String) {
        self.hotelCode = hotelCode
        self.net = net
        self.currency = currency
    }

    /// The cheapest offer per hotel and currency, by hotel code.
    public static func cheapest(_ offers: [SupplierOffer]) -> [HotelQuote] {
        lowest(offers.map { HotelQuote(hotelCode: $0.hotelCode, net: $0.net, currency: $0.currency) })
    }

    /// The lowest quote per hotel and currency, by hotel code.
    public static func lowest(_ quotes: [HotelQuote]) -> [HotelQuote] {
        var lowest: [String: [String: Amount]] = [:]
        for quote in quotes where lowest[quote.hotelCode]?[quote.currency].map({ quote.net < $0 }) ?? true {
            lowest[quote.hotelCode, default: [:]][quote.currency] = quote.net
        }
        return lowest.flatMap { code, byCurrency in byCurrency.map { HotelQuote(hotelCode: code, net: $1, currency: $0) } }
            .sorted { ($0.hotelCode, $0.currency) < ($1.hotelCode, $1.currency) }
    }

    enum CodingKeys: String, CodingKey { case hotelCode = "hotel_code", net, currency }
}
