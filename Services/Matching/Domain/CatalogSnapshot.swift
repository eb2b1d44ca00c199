// The catalog as query-engine reads it, held in memory: every master hotel with its supplier codes,
// by id, by city and by ~1 km grid cell. Each hotel is kept as its JSON, written once when the
// snapshot is built (a lookup copies bytes instead of querying and encoding), and the few fields a
// lookup filters or ranks on: about 400 bytes a hotel, so a catalog of 100,000 hotels holds ~40 MB.

import FoundationEssentials
import Glibc
import Shared

struct CatalogSnapshot: Sendable {
    struct Entry: Sendable {
        let id: Int64
        let latitude: Double
        let longitude: Double
        let countryCode: String
        let suppliers: [SupplierHotelRef]
        /// The hotel's JSON without its closing brace: a radius lookup appends the distance.
        let jsonPrefix: [UInt8]
    }

    /// By id, ascending: found by binary search.
    private(set) var entries: [Entry] = []
    private var byCity: [String: [Int32]] = [:]
    private var cells: [MasterIndex.Cell: [Int32]] = [:]

    init() {}

    init(hotels: [MasterHotel]) {
        let encoder = PlatformJSON.encoder
        entries.reserveCapacity(hotels.count)
        for hotel in hotels.sorted(by: { $0.id < $1.id }) {
            var json = Array((try? encoder.encode(hotel)) ?? Data("{}".utf8))
            json.removeLast()  // "}"
            let index = Int32(entries.count)
            entries.append(Entry(
                id: hotel.id, latitude: hotel.latitude, longitude: hotel.longitude, countryCode: hotel.countryCode, suppliers: hotel.suppliers,
                jsonPrefix: json))
            byCity[HotelNormalizer.city(hotel.city), default: []].append(index)
            cells[MasterIndex.cell(hotel.latitude, hotel.longitude), default: []].append(index)
        }
    }

    func hotel(_ id: Int64) -> Entry? {
        var low = 0, high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].id < id { low = middle + 1 } else { high = middle }
        }
        return low < entries.count && entries[low].id == id ? entries[low] : nil
    }

    func city(_ name: String, countryCode: String?, limit: Int) -> [Entry] {
        let country = countryCode?.uppercased()
        let indexes = byCity[HotelNormalizer.city(name)] ?? []
        return indexes.lazy.map { entries[Int($0)] }.filter { country == nil || $0.countryCode == country }.prefix(limit).map { $0 }
    }

    func ids(_ ids: [Int64]) -> [Entry] { ids.compactMap(hotel) }

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
                for index in cells[MasterIndex.Cell(lat: center.lat + dLat, lon: center.lon + dLon)] ?? [] {
                    let entry = entries[Int(index)]
                    let distance = Geodesy.distance(latitude, longitude, entry.latitude, entry.longitude)
                    if distance <= metres { found.append((entry, distance)) }
                }
            }
        }
        return Array(found.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.id < $1.0.id }.prefix(limit))
    }
}
