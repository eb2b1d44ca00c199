// One supplier's content: the share of the world's hotels it sells, each in its own spelling and
// under its own code, with the truth of which real hotel each record is.

import Shared

struct CatalogEntry: Sendable {
    let hotel: SupplierHotel
    let real: RealHotel
}

struct SupplierCatalog: Sendable {
    let supplier: SimulatedSupplier
    let entries: [CatalogEntry]
    private let indexByCode: [String: Int]

    init(supplier: SimulatedSupplier, world: World) {
        var entries: [CatalogEntry] = []
        for real in world.hotels where StableHash.unit(supplier.code, "carries", String(real.id)) < supplier.coverage {
            var spelling = Spelling(style: supplier.spelling, random: SeededRandom(supplier.code, "spelling", String(real.id)))
            let (latitude, longitude) = spelling.coordinates(real)
            let hotel = SupplierHotel(
                supplier: supplier.code, code: supplier.hotelCode(entries.count), name: spelling.name(real), address: spelling.address(real),
                city: spelling.city(real), countryCode: real.city.countryCode, latitude: latitude, longitude: longitude,
                stars: spelling.stars(real), chain: spelling.chain(real))
            entries.append(CatalogEntry(hotel: hotel, real: real))
        }
        self.supplier = supplier
        self.entries = entries
        self.indexByCode = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.hotel.code, $0) })
    }

    func entry(code: String) -> CatalogEntry? { indexByCode[code].map { entries[$0] } }

    /// Hotels within `radiusKm` of a point, nearest first.
    func near(latitude: Double, longitude: Double, radiusKm: Double) -> [CatalogEntry] {
        entries.map { ($0, Geodesy.distance(latitude, longitude, $0.hotel.latitude, $0.hotel.longitude)) }
            .filter { $0.1 <= radiusKm * 1000 }
            .sorted { $0.1 < $1.1 }
            .map(\.0)
    }

    /// Page `page` (from 1) of `size` records.
    func page(_ page: Int, size: Int) -> ArraySlice<CatalogEntry> {
        let start = min(entries.count, (page - 1) * size)
        return entries[start..<min(entries.count, start + size)]
    }
}

/// Every supplier's catalog over one world.
struct SimulatedMarket: Sendable {
    let world: World
    let catalogs: [String: SupplierCatalog]

    init(world: World = .generate()) {
        self.world = world
        self.catalogs = Dictionary(uniqueKeysWithValues: SimulatedSupplier.all.map { ($0.code, SupplierCatalog(supplier: $0, world: world)) })
    }

    /// Which supplier records are which real hotel: the answer key for matching accuracy.
    struct TruthRow: Codable, Sendable {
        let supplier: String
        let hotelCode: String
        let hotelId: Int

        enum CodingKeys: String, CodingKey { case supplier, hotelCode = "hotel_code", hotelId = "hotel_id" }
    }

    var groundTruth: [TruthRow] {
        SimulatedSupplier.all.flatMap { supplier in
            catalogs[supplier.code]!.entries.map { TruthRow(supplier: supplier.code, hotelCode: $0.hotel.code, hotelId: $0.real.id) }
        }
    }
}
