// Ranking the suppliers of one hotel by weighted_score: price, rating, availability and reliability
// each 0 to 1, weighted by config `matching.algorithm.weights`. Learned from `supplier.call` events,
// each a share smoothed so that a supplier with no history starts at one half:
//   reliability   calls the supplier answered properly, of all calls that reached it;
//   availability  searches that found rooms, of searches it answered;
//   rating        bookings it confirmed, of booking attempts that reached it;
//   price         stays it asked the least for this hotel (ties count), of the stays it and another
//                 supplier of the hotel both quoted over the last 30 days (from the cheapest net
//                 price per hotel each availability answer reports; in pricing's base currency, or,
//                 without a rate, in their own).

import Shared

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
    var searches = 0
    var searchesWithRooms = 0
    var bookings = 0
    var bookingsConfirmed = 0

    /// Each with one success and one failure assumed up front.
    var reliability: Double { Self.share(calls - failures, of: calls) }
    var availability: Double { Self.share(searchesWithRooms, of: searches) }
    var rating: Double { Self.share(bookingsConfirmed, of: bookings) }

    static func share(_ part: Int, of whole: Int) -> Double { Double(part + 1) / Double(whole + 2) }

    /// What one call teaches.
    mutating func learn(_ call: SupplierCallEvent) {
        guard !SupplierCallEvent.ownOutcomes.contains(call.outcome) else { return }
        let failed = SupplierCallEvent.faultOutcomes.contains(call.outcome)
        calls += 1
        if failed { failures += 1 }
        if call.operation == "availability", call.outcome == "ok" {
            searches += 1
            if (call.offers ?? 0) > 0 { searchesWithRooms += 1 }
        }
        if call.operation == "book" {
            bookings += 1
            if call.outcome == "ok" { bookingsConfirmed += 1 }
        }
    }

}

/// How one supplier's prices for one hotel compared with its other suppliers'.
struct PriceStanding: Sendable, Equatable {
    /// Stays quoted by it and at least one other supplier of the hotel, compared in one currency.
    var compared = 0
    /// Of those, the stays where it asked the least (ties count).
    var cheapest = 0

    var price: Double { SupplierStanding.share(cheapest, of: compared) }
}

enum SupplierRanking {
    static func rank(
        _ refs: [(supplier: String, code: String)], standings: [String: SupplierStanding], prices: [String: PriceStanding], weights: RankingWeights
    ) -> [RankedSupplier] {
        refs.map { ref in
            let standing = standings[ref.supplier] ?? SupplierStanding()
            let price = (prices[ref.supplier] ?? PriceStanding()).price
            let score = weights.price * price + weights.rating * standing.rating + weights.availability * standing.availability + weights.reliability * standing.reliability
            func rounded(_ value: Double) -> Double { (value * 10000).rounded() / 10000 }
            return RankedSupplier(supplier: ref.supplier, code: ref.code, score: rounded(score), price: rounded(price), rating: rounded(standing.rating),
                                  availability: rounded(standing.availability), reliability: rounded(standing.reliability))
        }
        .sorted { $0.score != $1.score ? $0.score > $1.score : $0.supplier < $1.supplier }
    }
}
