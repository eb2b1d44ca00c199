// Every contract, kept in memory for selling (availability, rate checks, holds read room types and
// rate plans on every call): read again when older than `maximumAge`, at once after this replica
// changed one. Another replica's change shows within `maximumAge`.

import NIOConcurrencyHelpers
import Shared

final class ContractCatalog: Sendable {
    let repository: ContractRepository
    let maximumAge: Duration
    private let kept = NIOLockedValueBox<(contracts: [Int64: ContractHotel], at: ContinuousClock.Instant)?>(nil)

    init(repository: ContractRepository, maximumAge: Duration = .seconds(5)) {
        self.repository = repository
        self.maximumAge = maximumAge
    }

    func contracts() async throws -> [Int64: ContractHotel] {
        if let kept = kept.withLockedValue({ $0 }), ContinuousClock.now - kept.at < maximumAge { return kept.contracts }
        let read = Dictionary(uniqueKeysWithValues: try await repository.all().map { ($0.hotelId, $0) })
        kept.withLockedValue { $0 = (read, .now) }
        return read
    }

    func contract(_ hotel: Int64) async throws -> ContractHotel? {
        try await contracts()[hotel]
    }

    func invalidate() {
        kept.withLockedValue { $0 = nil }
    }
}
