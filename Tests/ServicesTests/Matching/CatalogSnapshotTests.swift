// The in-memory catalog's lookups, on a handful of hotels: by id (binary search over the sorted
// entries), by city (with the country), and by radius (nearest first, with the distance).

import Foundation
@testable import Matching
import Shared
import Testing

@Suite struct CatalogSnapshotTests {
    static func hotel(_ id: Int64, _ city: String, _ country: String, _ latitude: Double, _ longitude: Double) -> MasterHotel {
        MasterHotel(
            id: id, name: "Hotel \(id)", address: "\(id) Main Street", city: city, countryCode: country, latitude: latitude, longitude: longitude,
            stars: 4, chain: nil, suppliers: [SupplierHotelRef(supplier: "globebeds", code: "G\(id)")])
    }

    // Given out of order, with gaps in the ids.
    static let snapshot = CatalogSnapshot(hotels: [
        hotel(40, "Paris", "FR", 48.8566, 2.3522), hotel(7, "Paris", "FR", 48.8600, 2.3400), hotel(12, "Paris", "US", 33.66, -95.55),
        hotel(3, "Lyon", "FR", 45.7640, 4.8357), hotel(25, "Paris", "FR", 48.8570, 2.3530),
    ])

    @Test func findsHotelsById() throws {
        #expect(Self.snapshot.ids([40, 3, 99, 7, 1, 41]).map(\.id) == [40, 3, 7], "in the order asked, unknown ids left out")
        let found = try #require(Self.snapshot.hotel(25))
        #expect(found.suppliers == [SupplierHotelRef(supplier: "globebeds", code: "G25")] && found.countryCode == "FR")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(found.jsonPrefix + [UInt8(ascii: "}")])) as? [String: Any])
        #expect(json["name"] as? String == "Hotel 25" && json["id"] as? Int == 25)
        #expect(CatalogSnapshot().hotel(1) == nil && CatalogSnapshot(hotels: []).ids([1]).isEmpty)
    }

    @Test func findsHotelsByCityAndCountry() {
        #expect(Self.snapshot.city("paris", countryCode: "fr", limit: 10).map(\.id) == [7, 25, 40])
        #expect(Self.snapshot.city("Paris", countryCode: nil, limit: 10).map(\.id) == [7, 12, 25, 40])
        #expect(Self.snapshot.city("Paris", countryCode: "FR", limit: 2).map(\.id) == [7, 25])
        #expect(Self.snapshot.city("Berlin", countryCode: nil, limit: 10).isEmpty)
    }

    @Test func findsHotelsAroundAPointNearestFirst() {
        let near = Self.snapshot.near(latitude: 48.8566, longitude: 2.3522, radiusKm: 2, limit: 10)
        #expect(near.map(\.0.id) == [40, 25, 7])
        #expect(near[0].1 < 1 && near[1].1 > 50 && near[1].1 < 100 && near[2].1 > 900 && near[2].1 < 1000, "distances in metres: \(near.map(\.1))")
        #expect(Self.snapshot.near(latitude: 48.8566, longitude: 2.3522, radiusKm: 0.5, limit: 10).map(\.0.id) == [40, 25])
    }
}
