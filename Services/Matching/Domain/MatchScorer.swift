// How likely two hotel records are the same hotel, 0 to 1, from name, distance, address, stars
// and chain. Calibrated on the simulator's labelled data (docs/matching.md); thresholds decide:
// at or above `autoThreshold` the records are mapped, from `reviewThreshold` an operator looks.

import Shared

struct MatchScore: Sendable, Equatable {
    var total: Double
    var name: Double
    var distanceMetres: Double
    var address: Double
}

enum MatchScorer {
    static let autoThreshold = 0.75
    static let reviewThreshold = 0.55
    /// Candidates farther apart than this are never the same hotel.
    static let maximumDistance = 1000.0

    static func score(_ a: HotelProfile, _ b: HotelProfile) -> MatchScore {
        let metres = Geodesy.distance(a.latitude, a.longitude, b.latitude, b.longitude)
        guard a.countryCode == b.countryCode, metres <= maximumDistance else { return MatchScore(total: 0, name: 0, distanceMetres: metres, address: 0) }
        let name = max(NameSimilarity.score(a.nameTokens, b.nameTokens), NameSimilarity.score(a.coreNameTokens, b.coreNameTokens))
        let near = metres <= 100 ? 1 : max(0, 1 - (metres - 100) / (maximumDistance - 100))
        let street = NameSimilarity.jaccard(a.streetTokens, b.streetTokens)
        let address: Double =
            switch (a.houseNumber, b.houseNumber) {
            case (let x?, let y?): 0.6 * (x == y ? 1 : 0) + 0.4 * street
            default: street
            }
        let stars: Double =
            switch (a.stars, b.stars) {
            case (let x?, let y?): x == y ? 1 : abs(x - y) == 1 ? 0.5 : 0
            default: 0.7
            }
        let sameChain: Double? = a.chain.flatMap { x in b.chain.map { x == $0 ? 1 : 0 } }
        var total = 0.5 * name + 0.2 * near + 0.2 * address + 0.05 * stars + 0.05 * (sameChain ?? 0.7)
        if sameChain == 0 { total *= 0.5 }
        return MatchScore(total: total, name: name, distanceMetres: metres, address: address)
    }
}
