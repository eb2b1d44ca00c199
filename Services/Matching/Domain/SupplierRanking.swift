// Ranking the suppliers of one hotel by weighted_score: price, rating, availability and reliability
// each 0 to 1, weighted by config `matching.algorithm.weights`. Reliability and availability are
// learned from `supplier.call` events (successes over calls, smoothed so a new supplier starts at
// one half); price and rating have no source yet and count as one half for every supplier.

struct RankingWeights: Codable, Sendable, Equatable {
    var price: Double
    var rating: Double
    var availability: Double
    var reliability: Double

    static let standard = RankingWeights(price: 0.4, rating: 0.3, availability: 0.2, reliability: 0.1)

    enum CodingKeys: String, CodingKey {
        case price = "price_weight", rating = "rating_weight", availability = "availability_weight", reliability = "supplier_reliability_weight"
    }
}

struct SupplierStanding: Sendable, Equatable {
    var calls = 0
    var failures = 0
    var availabilityCalls = 0
    var availabilityFailures = 0

    /// Answered calls over all calls, with one success and one failure assumed up front.
    var reliability: Double { Double(calls - failures + 1) / Double(calls + 2) }
    var availability: Double { Double(availabilityCalls - availabilityFailures + 1) / Double(availabilityCalls + 2) }

    /// Outcomes that mean the supplier failed us (not those where it answered "no").
    static let failureOutcomes: Set<String> = ["timeout", "unreachable", "server_error", "malformed"]
    /// Outcomes that say nothing about the supplier (our breaker or pool, our credentials).
    static let ignoredOutcomes: Set<String> = ["circuit_open", "busy", "authentication", "disabled", "unknown_supplier"]
}

struct RankedSupplier: Codable, Sendable, Equatable {
    var supplier: String
    var code: String
    var score: Double
    var price: Double
    var rating: Double
    var availability: Double
    var reliability: Double
}

enum SupplierRanking {
    static func rank(_ refs: [(supplier: String, code: String)], standings: [String: SupplierStanding], weights: RankingWeights) -> [RankedSupplier] {
        refs.map { ref in
            let standing = standings[ref.supplier] ?? SupplierStanding()
            let (price, rating) = (0.5, 0.5)
            let score = weights.price * price + weights.rating * rating + weights.availability * standing.availability + weights.reliability * standing.reliability
            return RankedSupplier(supplier: ref.supplier, code: ref.code, score: (score * 10000).rounded() / 10000, price: price, rating: rating,
                                  availability: (standing.availability * 10000).rounded() / 10000, reliability: (standing.reliability * 10000).rounded() / 10000)
        }
        .sorted { $0.score != $1.score ? $0.score > $1.score : $0.supplier < $1.supplier }
    }
}
