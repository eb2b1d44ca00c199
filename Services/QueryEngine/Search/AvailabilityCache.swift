// Each supplier's answer in Redis, per (supplier, hotel set, stay, occupancy): fresh for 10 s; then
// served stale for up to 10 minutes while exactly one refresh, the holder of a Redis lock, renews it
// in the background; absent, fetched at once, the search waiting for it within its budget (identical
// cold fetches in this process share one call; a call no search waits for any more goes on, and its
// late answer is kept) and written to Redis once the search has it. Redis is asked with a
// 100 ms deadline on the event loop (a kept answer's read: 1 s, `Timing.read`): without Redis every
// search still answers, fetching what it needs.
//
// Answers are also kept in this replica's memory, decoded (at most `Timing.remembered` offers, the
// oldest forgotten first): while one is fresh a search does not ask Redis at all; past that Redis is
// read again, since another replica may have renewed it. Redis documents are written and read by
// hand (JSONWriter, JSONReader): decoding them had cost more than the rest of a search.
//
// Renewals in the background are at most `Timing.renewing` at once in this replica
// (`SEARCH_REFRESH_LIMIT`): past that a stale answer is served without one, and renewed by a later
// search once there is room. Renewing every stale answer at once had the supply side (suppliers,
// supplier-adapter, this service's decoding) take the CPU the searches being answered needed.

import FoundationEssentials
import Logging
import NIOConcurrencyHelpers
import Shared

enum SupplierOutcome: String, Codable, Sendable {
    case ok, cached, stale, timeout, error
}

final class AvailabilityCache: Sendable {
    struct Timing: Sendable {
        /// `SEARCH_CACHE_FRESH_MS`.
        var fresh: Duration = .seconds(10)
        var kept: Duration = .seconds(600)
        var redis: Duration = .milliseconds(100)
        /// How long an answer kept in Redis is waited for: longer than other commands, as a busy
        /// replica can take past 100 ms to have it, and an answer given up on is asked of its
        /// supplier again (far more work than the read): the machine busier, more reads given up.
        var read: Duration = .seconds(1)
        /// How often a stale answer held in memory is looked for in Redis, renewed by another replica.
        var recheck: Duration = .seconds(2)
        /// The most offers held in memory (about 0.5 KB each; a city's answer has up to a thousand:
        /// 40,000 held fewer than 50 answers, and most searches of a busy mix read theirs from Redis).
        var remembered = 150_000
        /// The most renewals in the background at once (`SEARCH_REFRESH_LIMIT`).
        var renewing = 4
    }

    /// One supplier's answer to one question, and when it was given.
    struct Entry: Sendable, JSONWritable, JSONReadable {
        /// Milliseconds since 1970 when the supplier answered.
        var at: Int64
        var offers: [SupplierOffer]

        init(at: Int64, offers: [SupplierOffer]) {
            self.at = at
            self.offers = offers
        }

        func write(json: inout JSONWriter) {
            json.object {
                $0.field("at", at)
                $0.key("offers")
                $0.array(offers) { $0.value($1) }
            }
        }

        init(json: inout JSONReader) throws {
            var at: Int64?, offers: [SupplierOffer] = []
            try json.object { reader, key in
                switch key {
                case "at": at = Int64(try reader.int())
                case "offers": offers = try reader.array(of: SupplierOffer.self)
                default: try reader.skip()
                }
            }
            guard let at else { throw json.failure("an answer with its time") }
            self.init(at: at, offers: offers)
        }
    }

    /// What a search gets for one question: the offers, where they came from and, when there are
    /// any, when the supplier gave them; `renew` asks the supplier again ahead of time (see `renew`).
    struct Answer: Sendable {
        /// The question's key (`key(supplier:query:)`).
        var key: String
        var outcome: SupplierOutcome
        var offers: [SupplierOffer]
        /// Milliseconds since 1970; nil for a timeout or an error.
        var at: Int64?
        var renew: @Sendable () async -> Void = {}
    }

    typealias Fetch = @Sendable () async throws -> [SupplierOffer]

    let redis: RedisPipeline?
    let timing: Timing
    let logger: Logger
    private let inFlight = NIOLockedValueBox<[String: Task<Entry, any Error>]>([:])
    private let memory: NIOLockedValueBox<Memory>
    private let renewals = NIOLockedValueBox(0)
    /// Called for each renewal not made for want of room.
    let skipped: @Sendable () -> Void
    /// Called with a question's key and its answer's time when a newer answer is kept in memory.
    let renewed: @Sendable (String, Int64) -> Void

    init(redis: RedisPipeline?, timing: Timing = Timing(), logger: Logger, skipped: @escaping @Sendable () -> Void = {},
         renewed: @escaping @Sendable (String, Int64) -> Void = { _, _ in })
    {
        self.redis = redis
        self.timing = timing
        self.logger = logger
        self.skipped = skipped
        self.renewed = renewed
        memory = NIOLockedValueBox(Memory(limit: timing.remembered))
    }

    /// The key of one supplier's answer to one question.
    static func key(supplier: String, query: AvailabilityQuery) -> String {
        let codes = (query.hotelCodes ?? []).sorted().joined(separator: ",")
        let area = query.area.map { "\($0.latitude),\($0.longitude),\($0.radiusKm)" } ?? ""
        return "qe:avail:" + Digest.hex(Digest.sha256(Array("\(supplier)|\(query.stay)|\(codes)|\(area)".utf8)))
    }

    /// The answer and where it came from; `fetch` asks the supplier. A search `waiting` no longer
    /// than so long for an answer not kept gets a timeout past that, while the call goes on: its
    /// answer, when it comes, is kept for the next searches (asking again would cost the supply side
    /// the same work twice, and cost most when it is busiest).
    func answer(supplier: String, query: AvailabilityQuery, now: Date = Date(), waiting: Duration? = nil, fetch: @escaping Fetch) async -> Answer {
        let key = Self.key(supplier: supplier, query: query)
        let nowMs = Int64(now.timeIntervalSince1970 * 1000)
        func age(_ entry: Entry) -> Duration { .milliseconds(nowMs - entry.at) }
        let renew: @Sendable () async -> Void = { [weak self] in await self?.refresh(key, olderThan: (self?.timing.fresh ?? .zero) / 2, fetch: fetch) }
        var entry = memory.withLockedValue { $0.entries[key] }
        if let known = entry, age(known) < timing.fresh { return Answer(key: key, outcome: .cached, offers: known.offers, at: known.at, renew: renew) }
        if memory.withLockedValue({ $0.reads(key, at: nowMs, every: timing.recheck) }), let stored = await read(key), stored.at > entry?.at ?? .min {
            entry = stored
            remember(key, stored)
        }
        if let entry {
            if age(entry) < timing.fresh { return Answer(key: key, outcome: .cached, offers: entry.offers, at: entry.at, renew: renew) }
            if age(entry) < timing.kept {
                Task { await refresh(key, olderThan: timing.fresh, fetch: fetch) }
                return Answer(key: key, outcome: .stale, offers: entry.offers, at: entry.at)
            }
        }
        do {
            let call = shared(key, fetch: fetch)
            let fetched = if let waiting { try await withDeadline(waiting, failure: { Late() }) { try await call.value } } else { try await call.value }
            return Answer(key: key, outcome: .ok, offers: fetched.offers, at: fetched.at, renew: renew)
        } catch is Late {
            return Answer(key: key, outcome: .timeout, offers: [], at: nil)
        } catch ServiceCallError.timeout {
            return Answer(key: key, outcome: .timeout, offers: [], at: nil)
        } catch let ServiceCallError.answered(_, _, status, _, _) where status == 504 {
            return Answer(key: key, outcome: .timeout, offers: [], at: nil)
        } catch {
            return Answer(key: key, outcome: .error, offers: [], at: nil)
        }
    }

    /// A search's wait for a call that goes on without it.
    private struct Late: Error {}

    /// One call per key at a time in this process; its answer is kept for the next searches.
    private func shared(_ key: String, fetch: @escaping Fetch) -> Task<Entry, any Error> {
        inFlight.withLockedValue { running in
            if let task = running[key] { return task }
            let task = Task<Entry, any Error> {
                defer { _ = self.inFlight.withLockedValue { $0.removeValue(forKey: key) } }
                let entry = Entry(at: Int64(Date().timeIntervalSince1970 * 1000), offers: try await fetch())
                self.remember(key, entry)
                // Kept for the other replicas after this search has it, not before: writing a
                // thousand offers and sending them to Redis was on every cold search's path.
                Task { await self.write(key, entry) }
                return entry
            }
            running[key] = task
            return task
        }
    }

    /// Renews an answer `olderThan` (stale: the freshness period; ahead of time: half of it), when
    /// there is room for one more renewal, unless another search (in any replica) already did or is
    /// doing it: the Redis lock decides, held for half the freshness period once the answer is
    /// renewed (not longer, or a stale answer's renewal would stop the next one ahead of time). The
    /// answer is read once more under the lock: a search that read the old answer just before it was
    /// renewed must not renew it again. The lock is given back when nothing was renewed (the answer
    /// was young enough, or the supplier did not answer): held, it would stop the renewal due next
    /// (a kept search's answers renewed together, the younger ones taking their locks for nothing;
    /// a failed renewal not tried again for half the freshness period, its search expiring
    /// meanwhile). Without Redis this replica renews it alone (one call at a time per key).
    private func refresh(_ key: String, olderThan: Duration, fetch: @escaping Fetch) async {
        func young(_ entry: Entry) -> Bool { Date().timeIntervalSince1970 * 1000 - Double(entry.at) < olderThan.milliseconds }
        if let entry = memory.withLockedValue({ $0.entries[key] }), young(entry) { return }
        guard renewals.withLockedValue({ running in
            guard running < timing.renewing else { return false }
            running += 1
            return true
        }) else { return skipped() }
        defer { renewals.withLockedValue { $0 -= 1 } }
        var holding = false
        if let redis {
            let locked = try? await redis.command(["SET", key + ":refresh", "1", "NX", "PX", String(Int(timing.fresh.milliseconds / 2))], timeout: timing.redis)
            if let locked, locked != .status("OK") { return }
            holding = locked != nil
            if holding, let entry = await read(key), young(entry) { remember(key, entry) }
        }
        if let entry = memory.withLockedValue({ $0.entries[key] }), young(entry) { return await release(key, holding) }
        do {
            _ = try await shared(key, fetch: fetch).value
        } catch {
            logger.debug("answer not renewed", metadata: ["error": .string("\(error)")])
            await release(key, holding)
        }
    }

    /// Gives the renewal lock of `key` back, if `holding` it (a lock past its time and taken by
    /// another search since may go with it: one renewal more, nothing worse).
    private func release(_ key: String, _ holding: Bool) async {
        guard holding, let redis else { return }
        _ = try? await redis.command(["DEL", key + ":refresh"], timeout: timing.redis)
    }

    private func remember(_ key: String, _ entry: Entry) {
        if memory.withLockedValue({ $0.keep(key, entry) }) { renewed(key, entry.at) }
    }

    private func read(_ key: String) async -> Entry? {
        guard let redis, case .bulk(let bytes)? = try? await redis.command(["GET", key], timeout: timing.read) else { return nil }
        return try? JSONReader.read(Entry.self, from: bytes)
    }

    private func write(_ key: String, _ entry: Entry) async {
        guard let redis else { return }
        let text = String(decoding: JSONWriter.bytes(of: entry, capacity: 512 * entry.offers.count + 64), as: UTF8.self)
        _ = try? await redis.command(["SET", key, text, "PX", String(Int(timing.kept.milliseconds))], timeout: timing.redis)
    }

    /// The answers held in memory, at most `limit` offers in all.
    struct Memory {
        let limit: Int
        var entries: [String: Entry] = [:]
        var offers = 0
        /// When Redis was last read for a stale answer held here (milliseconds since 1970).
        var lastRead: [String: Int64] = [:]

        /// Whether to read Redis for `key` now: always when no answer is held; for a stale one held,
        /// at most once `every` (reading a few hundred KB for every search that found it stale, while
        /// renewals waited for room, had been a large share of the CPU under load).
        mutating func reads(_ key: String, at now: Int64, every: Duration) -> Bool {
            guard entries[key] != nil else { return true }
            if let last = lastRead[key], now - last < Int64(every.milliseconds) { return false }
            lastRead[key] = now
            return true
        }

        /// Keeps `entry` unless an answer as new is known for its key (true when kept); over the
        /// limit, forgets the oldest answers until a quarter of the room is free again.
        mutating func keep(_ key: String, _ entry: Entry) -> Bool {
            if let known = entries[key] {
                guard known.at < entry.at else { return false }
                offers -= known.offers.count
            }
            entries[key] = entry
            offers += entry.offers.count
            guard offers > limit else { return true }
            for (key, old) in entries.sorted(by: { $0.value.at < $1.value.at }) where offers > limit * 3 / 4 {
                entries[key] = nil
                lastRead[key] = nil
                offers -= old.offers.count
            }
            return true
        }
    }
}
