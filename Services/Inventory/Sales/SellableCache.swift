// What the calendar sells per hotel and stay, kept by this replica for `freshness`
// (AVAILABILITY_CACHE_MS): searches ask for the same popular hotels and stays many times a second,
// and each hotel read once serves every question about it in that time, whatever other hotels come
// with it. This replica's own changes (holds and their steps, calendar and channel updates) forget
// the hotel at once; another replica's show within `freshness`. Selling never trusts it: a hold
// and a rate check read the calendar itself, so nothing is oversold by a stale answer.

import NIOConcurrencyHelpers
import Shared

final class SellableCache: Sendable {
    let availability: AvailabilityRepository
    let freshness: Duration
    /// Hotels kept at most; beyond, those with nothing fresh are dropped.
    let capacity: Int

    private struct Stay: Hashable {
        var checkIn: CalendarDate
        var checkOut: CalendarDate
        var today: CalendarDate
    }

    private struct Kept {
        var rates: [SellableRate]
        /// When the read began: a kept answer is never older than `freshness` from before its read.
        var readAt: ContinuousClock.Instant
        /// A background read renews it.
        var renewing = false
    }

    private struct Hotel {
        var stays: [Stay: Kept] = [:]
        /// When this replica last changed the hotel: an answer read before then is not kept.
        var changedAt: ContinuousClock.Instant?
    }

    private let hotels = NIOLockedValueBox<[Int64: Hotel]>([:])

    init(availability: AvailabilityRepository, freshness: Duration, capacity: Int = 20_000) {
        self.availability = availability
        self.freshness = freshness
        self.capacity = capacity
    }

    /// `AvailabilityRepository.sellable` for these hotels (in this order) and the stay: the fresh
    /// ones from here, the others read in one query. Past half its freshness, a kept answer is
    /// still given while one background read renews it: hotels asked for steadily are never read
    /// while a caller waits (nor by every caller at once as their answers age together).
    func sellable(hotels wanted: [Int64], checkIn: CalendarDate, checkOut: CalendarDate, today: CalendarDate) async throws -> [SellableRate] {
        guard freshness > .zero else { return try await availability.sellable(hotels: wanted, checkIn: checkIn, checkOut: checkOut, today: today) }
        let stay = Stay(checkIn: checkIn, checkOut: checkOut, today: today)
        let now = ContinuousClock.now
        var found: [Int64: [SellableRate]] = [:]
        var missing: [Int64] = []
        var aging: [Int64] = []
        hotels.withLockedValue { hotels in
            for hotel in wanted {
                guard let kept = hotels[hotel]?.stays[stay], now - kept.readAt < freshness else {
                    missing.append(hotel)
                    continue
                }
                found[hotel] = kept.rates
                if now - kept.readAt >= freshness / 2, !kept.renewing {
                    hotels[hotel]?.stays[stay]?.renewing = true
                    aging.append(hotel)
                }
            }
        }
        if !aging.isEmpty {
            Task { try? await self.read(aging, stay: stay) }
        }
        if !missing.isEmpty {
            for (hotel, rates) in try await read(missing, stay: stay) { found[hotel] = rates }
        }
        return wanted.flatMap { found[$0] ?? [] }
    }

    /// Reads the hotels for the stay and keeps what it read (unless this replica changed one meanwhile).
    private func read(_ wanted: [Int64], stay: Stay) async throws -> [Int64: [SellableRate]] {
        let began = ContinuousClock.now
        let read: [Int64: [SellableRate]]
        do {
            read = Dictionary(
                grouping: try await availability.sellable(hotels: wanted, checkIn: stay.checkIn, checkOut: stay.checkOut, today: stay.today), by: \.hotelId)
        } catch {
            hotels.withLockedValue { hotels in
                for hotel in wanted { hotels[hotel]?.stays[stay]?.renewing = false }
            }
            throw error
        }
        hotels.withLockedValue { hotels in
            for hotel in wanted { keep(read[hotel] ?? [], of: hotel, stay: stay, readAt: began, in: &hotels) }
            if hotels.count > capacity { dropStale(&hotels, now: began) }
        }
        return wanted.reduce(into: [:]) { $0[$1] = read[$1] ?? [] }
    }

    /// This replica changed the hotel's calendar: its next question reads it again.
    func forget(_ hotel: Int64) {
        let now = ContinuousClock.now
        hotels.withLockedValue { $0[hotel] = Hotel(changedAt: now) }
    }

    private func keep(_ rates: [SellableRate], of hotel: Int64, stay: Stay, readAt: ContinuousClock.Instant, in hotels: inout [Int64: Hotel]) {
        var kept = hotels[hotel] ?? Hotel()
        if let changed = kept.changedAt, changed >= readAt { return }
        if let earlier = kept.stays[stay], earlier.readAt > readAt { return }
        kept.stays = kept.stays.filter { readAt - $0.value.readAt < freshness }
        kept.stays[stay] = Kept(rates: rates, readAt: readAt)
        hotels[hotel] = kept
    }

    private func dropStale(_ hotels: inout [Int64: Hotel], now: ContinuousClock.Instant) {
        hotels = hotels.filter { _, hotel in
            hotel.stays.values.contains { now - $0.readAt < freshness } || hotel.changedAt.map { now - $0 < freshness } == true
        }
        if hotels.count > capacity { hotels = [:] }
    }
}
