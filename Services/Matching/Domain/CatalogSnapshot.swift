// The catalog as query-engine reads it, held in memory: every master hotel with its supplier codes,
// by id, by city and by ~1 km grid cell, and every mapping by supplier record. Each hotel's JSON is
// written once when the snapshot is built, so a lookup copies bytes instead of querying and encoding.

import FoundationEssentials
import Glibc
import Shared

struct CatalogSnapshot: Sendable {
    struct Entry: Sendable {
        let hotel: MasterHotel
        /// The hotel's JSON without its closing brace: a radius lookup appends the distance.
        let jsonPrefix: [UInt8]
    }

    private(set) var entries: [Int64: Entry] = [:]
    private var byCity: [String: [Int64]] = [:]
    private var cells: [MasterIndex.Cell: [Int64]] = [:]
    private(set) var mappings: [SupplierHotelRef: MappingRecord] = [:]

    init() {}

    init(hotels: [MasterHotel], mappings: [MappingRecord]) {
        let encoder = PlatformJSON.encoder
        for hotel in hotels.sorted(by: { $0.id < $1.id }) {
            var json = Array((try? encoder.encode(hotel)) ?? Data("{}".utf8))
            json.removeLast()  // "}"
            entries[hotel.id] = Entry(hotel: hotel, jsonPrefix: json)
            byCity[HotelNormalizer.city(hotel.city), default: []].append(hotel.id)
            cells[MasterIndex.cell(hotel.latitude, hotel.longitude), default: []].append(hotel.id)
        }
        self.mappings = Dictionary(mappings.map { (SupplierHotelRef(supplier: $0.supplier, code: $0.code), $0) }) { first, _ in first }
    }

    func city(_ name: String, countryCode: String?, limit: Int) -> [Entry] {
        let ids = byCity[HotelNormalizer.city(name)] ?? []
        return ids.lazy.compactMap { entries[$0] }.filter { countryCode == nil || $0.hotel.countryCode == countryCode!.uppercased() }.prefix(limit).map { $0 }
    }

    func ids(_ ids: [Int64]) -> [Entry] { ids.compactMap { entries[$0] } }

    /// Hotels within `radiusKm`, nearest first, with their distance in metres.
    func near(latitude: Double, longitude: Double, radiusKm: Double, limit: Int) -> [(Entry, Double)] {
        let metres = radiusKm * 1000
        // Cells are 0.01 degree: enough of them to cover the radius in latitude, and in longitude at this latitude.
        let latSpan = Int((radiusKm / 1.11).rounded(.up)) + 1
        let lonSpan = Int((radiusKm / max(0.05, 1.11 * cos(latitude * .pi / 180))).rounded(.up)) + 1
        let center = MasterIndex.cell(latitude, longitude)
        var found: [(Entry, Double)] = []
        for dLat in -latSpan...latSpan {
            for dLon in -lonSpan...lonSpan {
                for id in cells[MasterIndex.Cell(lat: center.lat + dLat, lon: center.lon + dLon)] ?? [] {
                    guard let entry = entries[id] else { continue }
                    let distance = Geodesy.distance(latitude, longitude, entry.hotel.latitude, entry.hotel.longitude)
                    if distance <= metres { found.append((entry, distance)) }
                }
            }
        }
        return Array(found.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.hotel.id < $1.0.hotel.id }.prefix(limit))
    }
}
