// The contract catalog one replica sells from (ContractCatalog), watched while the service under
// test, as another replica, changes contracts: every kind of change shows within the catalog's age
// and one read, its own invalidation at once, and many callers at once cost one read.

import Foundation
@testable import Inventory
@testable import Shared
import NIOConcurrencyHelpers
import Testing

@Suite struct ContractCatalogTests {
    /// Asks until `seen` holds of the contract, for at most `within` seconds; whether it came to hold.
    static func eventually(_ catalog: ContractCatalog, _ hotel: Int64, within: Double, _ seen: (ContractHotel?) -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(within)
        while Date() < deadline {
            if seen(try await catalog.contract(hotel)) { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return seen(try await catalog.contract(hotel))
    }

    @Test func anotherReplicasChangesShowWithinTheAgeAndOwnAtOnce() async throws {
        try await HoldTests.run { stack in
            let age = 0.3
            let catalog = ContractCatalog(repository: ContractRepository(pool: stack.pool), maximumAge: .milliseconds(Int(age * 1000)))
            let hotel = try await stack.contract()
            #expect(try await catalog.contract(hotel)?.ratePlans.map(\.code) == ["BAR"])

            // Changes of the hotel, a rate plan added, a rate plan changed, a room type changed: each shows.
            let changes: [(String, [String: Any], (ContractHotel?) -> Bool)] = [
                ("/api/v1/admin/inventory/hotels/\(hotel)", ["name": "Renamed", "on_sale": false], { $0?.name == "Renamed" && $0?.onSale == false }),
                ("/api/v1/admin/inventory/hotels/\(hotel)/rate-plans/NRF", ["name": "Saver", "board": "RO", "refundable": false],
                 { $0?.ratePlans.map(\.code) == ["BAR", "NRF"] }),
                ("/api/v1/admin/inventory/hotels/\(hotel)/rate-plans/NRF", ["name": "Saver", "board": "HB", "refundable": false],
                 { $0?.ratePlans.last?.board == .halfBoard }),
                ("/api/v1/admin/inventory/hotels/\(hotel)/room-types/DBL", ["name": "Double", "max_occupancy": 3],
                 { $0?.roomTypes.first?.maxOccupancy == 3 }),
            ]
            for (path, body, seen) in changes {
                #expect(try await catalog.contract(hotel).map(seen) == false, "\(path): not yet seen")
                let changed = try await stack.call(.put, path, body, as: ServiceStack.admin)
                #expect(changed.status == 200, "\(changed.json)")
                #expect(try await Self.eventually(catalog, hotel, within: age * 2 + 2, seen), "\(path) \(body) shows")
            }

            try await stack.pool.execute("UPDATE inventory.hotels SET name = 'Written here' WHERE hotel_id = $1", [hotel])
            catalog.invalidate()
            #expect(try await catalog.contract(hotel)?.name == "Written here", "this replica's own change shows at once")
        }
    }

    /// The version stands still here (other suites add contracts to this database meanwhile).
    @Test func callersAtOnceShareOneReadAndAnUnchangedVersionIsNotReadAgain() async throws {
        try await HoldTests.run { stack in
            let repository = ContractRepository(pool: stack.pool)
            let reads = NIOLockedValueBox((all: 0, version: 0, current: "v1"))
            let catalog = ContractCatalog(
                maximumAge: .milliseconds(300),
                all: {
                    reads.withLockedValue { $0.all += 1 }
                    return try await repository.all()
                },
                version: { reads.withLockedValue { reads in
                    reads.version += 1
                    return reads.current
                } })
            let hotel = try await stack.contract()
            let callers = { @Sendable in
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    for _ in 0..<50 { group.addTask { try await catalog.contract(hotel) != nil } }
                    return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
                }
            }
            let counted = { @Sendable in reads.withLockedValue { "\($0.all) read, \($0.version) checked" } }
            #expect(try await callers() == 50)
            #expect(counted() == "1 read, 1 checked", "fifty callers, one read")

            try await Task.sleep(for: .milliseconds(400))
            #expect(try await callers() == 50, "old, still sold from while it is checked")
            try await Task.sleep(for: .milliseconds(100))
            #expect(counted() == "1 read, 2 checked", "unchanged: checked once, not read again")

            reads.withLockedValue { $0.current = "v2" }
            try await Task.sleep(for: .milliseconds(400))
            #expect(try await callers() == 50)
            try await Task.sleep(for: .milliseconds(100))
            #expect(counted() == "2 read, 3 checked", "changed: read again, once")
        }
    }
}
