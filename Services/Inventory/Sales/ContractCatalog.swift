// Every contract, kept in memory for selling (availability, rate checks, holds read room types and
// rate plans on every call): checked when older than `maximumAge` (read again only when the
// contracts' version moved), read at once after this replica changed one. Another replica's change
// shows within `maximumAge` and one read.
//
// One read at a time: the callers that find the catalog old keep selling from it (up to
// `staleLimit`) while a single read renews it, and the callers that find none wait for that one read.
// (Each caller reading for itself stalled every caller at each renewal: hundreds of callers a second
// each reading every contract.)

import NIOConcurrencyHelpers
import Shared

final class ContractCatalog: Sendable {
    typealias Contracts = [Int64: ContractHotel]

    /// Every contract, and a version that moves whenever any does (ContractRepository's).
    let readAll: @Sendable () async throws -> [ContractHotel]
    let readVersion: @Sendable () async throws -> String
    let maximumAge: Duration
    /// Older than this, callers wait for the read rather than sell from what was kept.
    let staleLimit: Duration

    private struct Read {
        var task: Task<Contracts, Error>
        var generation: Int
    }

    private struct State {
        var kept: (contracts: Contracts, version: String, at: ContinuousClock.Instant)?
        var reading: Read?
        /// Counts this replica's changes: a read begun before one is not kept after it.
        var generation = 0
    }

    private let state = NIOLockedValueBox(State())

    convenience init(repository: ContractRepository, maximumAge: Duration = .seconds(5)) {
        self.init(maximumAge: maximumAge, all: repository.all, version: repository.version)
    }

    init(maximumAge: Duration, all: @escaping @Sendable () async throws -> [ContractHotel], version: @escaping @Sendable () async throws -> String) {
        readAll = all
        readVersion = version
        self.maximumAge = maximumAge
        staleLimit = maximumAge * 3
    }

    func contracts() async throws -> Contracts {
        let now = ContinuousClock.now
        let (kept, read) = state.withLockedValue { state -> (Contracts?, Task<Contracts, Error>?) in
            if let kept = state.kept, now - kept.at < maximumAge { return (kept.contracts, nil) }
            let read = state.reading?.generation == state.generation ? state.reading!.task : startRead(&state)
            if let kept = state.kept, now - kept.at < staleLimit { return (kept.contracts, nil) }
            return (nil, read)
        }
        if let kept { return kept }
        return try await read!.value
    }

    func contract(_ hotel: Int64) async throws -> ContractHotel? {
        try await contracts()[hotel]
    }

    /// This replica changed a contract: the next caller waits for a read begun after the change.
    func invalidate() {
        state.withLockedValue { state in
            state.kept = nil
            state.generation += 1
        }
    }

    private func startRead(_ state: inout State) -> Task<Contracts, Error> {
        let generation = state.generation, kept = state.kept
        let task = Task { [readAll, readVersion] in
            let began = ContinuousClock.now
            do {
                let version = try await readVersion()
                if let kept, kept.version == version {
                    self.finish(generation) { $0.kept?.at = began }
                    return kept.contracts
                }
                let read = Dictionary(uniqueKeysWithValues: try await readAll().map { ($0.hotelId, $0) })
                self.finish(generation) { $0.kept = (read, version, began) }
                return read
            } catch {
                self.finish(generation) { _ in }
                throw error
            }
        }
        state.reading = Read(task: task, generation: generation)
        return task
    }

    private func finish(_ generation: Int, _ keep: (inout State) -> Void) {
        state.withLockedValue { state in
            guard state.generation == generation else { return }
            keep(&state)
            state.reading = nil
        }
    }
}
