// Deciding where one supplier's hotel records belong, against the master hotels known so far:
// candidates within a kilometre, scored, then assigned best pair first so that a master receives at
// most one record from each supplier (a supplier does not list a hotel twice; look-alike hotels of one
// chain on one street are told apart this way). Mapped above the auto threshold, sent to review
// above the review threshold, a new master hotel below.

struct MasterEntry: Sendable {
    let id: Int64
    let profile: HotelProfile
    /// Suppliers already mapped to this master.
    var suppliers: Set<String>
}

struct MappingDecision: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case mapped(master: Int64)
        case review(candidate: Int64)
        case newMaster
    }

    let code: String
    let kind: Kind
    let score: Double
}

/// Masters by ~1 km grid cell, for finding neighbours without looking at every hotel.
struct MasterIndex: Sendable {
    private(set) var entries: [Int64: MasterEntry] = [:]
    private var cells: [Cell: [Int64]] = [:]

    struct Cell: Hashable { let lat: Int; let lon: Int }

    static func cell(_ latitude: Double, _ longitude: Double) -> Cell { Cell(lat: Int((latitude * 100).rounded(.down)), lon: Int((longitude * 100).rounded(.down))) }

    mutating func add(_ entry: MasterEntry) {
        entries[entry.id] = entry
        cells[Self.cell(entry.profile.latitude, entry.profile.longitude), default: []].append(entry.id)
    }

    mutating func attach(_ supplier: String, to id: Int64) { entries[id]?.suppliers.insert(supplier) }

    /// Masters within `MatchScorer.maximumDistance` of the point (a 5 x 5 block of cells covers it up to ~60 degrees latitude).
    func near(_ latitude: Double, _ longitude: Double) -> [MasterEntry] {
        let center = Self.cell(latitude, longitude)
        var found: [MasterEntry] = []
        for dLat in -2...2 {
            for dLon in -2...2 {
                for id in cells[Cell(lat: center.lat + dLat, lon: center.lon + dLon)] ?? [] { if let entry = entries[id] { found.append(entry) } }
            }
        }
        return found
    }
}

enum MappingPlanner {
    /// Decisions for `records` (code, profile) of `supplier`.
    static func plan(supplier: String, records: [(code: String, profile: HotelProfile)], index: MasterIndex) -> [MappingDecision] {
        var pairs: [(record: Int, master: Int64, score: Double)] = []
        for (position, record) in records.enumerated() {
            for master in index.near(record.profile.latitude, record.profile.longitude) where !master.suppliers.contains(supplier) {
                let score = MatchScorer.score(record.profile, master.profile).total
                if score >= MatchScorer.reviewThreshold { pairs.append((position, master.id, score)) }
            }
        }
        pairs.sort { $0.score != $1.score ? $0.score > $1.score : $0.master < $1.master }
        var decided: [Int: MappingDecision] = [:]
        var taken: Set<Int64> = []
        for pair in pairs where decided[pair.record] == nil && !taken.contains(pair.master) {
            taken.insert(pair.master)
            let kind: MappingDecision.Kind = pair.score >= MatchScorer.autoThreshold ? .mapped(master: pair.master) : .review(candidate: pair.master)
            decided[pair.record] = MappingDecision(code: records[pair.record].code, kind: kind, score: pair.score)
        }
        return records.indices.map { decided[$0] ?? MappingDecision(code: records[$0].code, kind: .newMaster, score: 0) }
    }
}
