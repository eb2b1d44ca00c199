// Searches answered a moment ago, in this replica's memory: the same tenant asking the same
// question while every supplier answer behind the last answer is still fresh gets that answer again
// (the same hotels, prices and offer_ids) under its own search_id, its sources marked `cached`,
// without asking matching, the cache, pricing or anyone. An answer is kept until its oldest supplier
// answer stops being fresh, and only when every supplier answered (`ok`, `cached` or `stale`); one
// with a stale supplier answer (its sources still marked `stale`) for a quarter of the freshness
// period, or until that answer is renewed in this replica (`forget`). Kept as JSON bytes, cut
// around the search id; at most `limit` bytes in all, those expiring first forgotten first.
//
// Halfway through a kept answer's life, the first search served from it has the supplier answers
// behind it renewed in the background and the search worked out again on them, replacing the kept
// answer before it expires: a question asked all the time never waits for anyone. And identical
// searches arriving while one is being worked out wait for it instead of repeating it.

import FoundationEssentials
import Hummingbird
import NIOConcurrencyHelpers
import Shared

final class SearchMemo: Sendable {
    struct Key: Hashable, Sendable {
        var tenant: String
        var query: SearchQuery
    }

    /// Works a search out (for the caller `origin`).
    typealias Search = @Sendable (CallOrigin) async throws -> SearchEngine.Outcome

    /// A kept answer: what the search found and its JSON around the search id; `renew` renews it
    /// (nil once asked to).
    struct Kept: Sendable {
        var until: ContinuousClock.Instant
        var renewFrom: ContinuousClock.Instant
        var renew: (@Sendable () async -> Void)?
        var total: Int
        /// The stale supplier answers behind it (question key -> the answer's time).
        var stale: [String: Int64]
        var head: ByteBuffer
        var tail: ByteBuffer

        var size: Int { head.readableBytes + tail.readableBytes }
    }

    struct State {
        var answers: [Key: Kept] = [:]
        var bytes = 0
        var running: [Key: Task<SearchEngine.Outcome, any Error>] = [:]
        /// The newest answer time seen per question key (`forget`): an answer worked out on one
        /// older is not kept, whichever finished first, the search or the renewal.
        var renewed: [String: Int64] = [:]
    }

    let limit: Int
    private let state = NIOLockedValueBox(State())
    private static let placeholder = "search-id-\(UUID().uuidString)"

    init(limit: Int = 16 << 20) { self.limit = limit }

    /// The kept answer to `key` as this search's response, and its hotel count; nil when none is fresh.
    func answer(_ key: Key, searchId: String, now: ContinuousClock.Instant = .now) -> (response: Response, total: Int)? {
        let (found, renew) = state.withLockedValue { state -> (Kept?, (@Sendable () async -> Void)?) in
            guard var kept = state.answers[key], now < kept.until else { return (nil, nil) }
            guard now >= kept.renewFrom, let renew = kept.renew else { return (kept, nil) }
            kept.renew = nil
            state.answers[key] = kept
            return (kept, renew)
        }
        guard let kept = found else { return nil }
        if let renew { Task { await renew() } }
        var body = ByteBuffer()
        body.reserveCapacity(kept.size + searchId.utf8.count + 8)
        body.writeImmutableBuffer(kept.head)
        var id = JSONWriter(capacity: searchId.utf8.count + 8)
        id.string(searchId)
        body.writeBytes(id.bytes)
        body.writeImmutableBuffer(kept.tail)
        return (Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body)), kept.total)
    }

    /// Runs `search` for `key`, or waits for the one already running; its answer is kept when it may
    /// be reused. `led` is false for a search that waited.
    func search(_ key: Key, origin: CallOrigin, _ search: @escaping Search) async throws -> (SearchEngine.Outcome, led: Bool) {
        let (task, led) = state.withLockedValue { state -> (Task<SearchEngine.Outcome, any Error>, Bool) in
            if let running = state.running[key] { return (running, false) }
            let task = Task<SearchEngine.Outcome, any Error> {
                defer { _ = self.state.withLockedValue { $0.running.removeValue(forKey: key) } }
                let outcome = try await search(origin)
                await self.keep(key, outcome, search: search)
                return outcome
            }
            state.running[key] = task
            return (task, true)
        }
        return (try await task.value, led)
    }

    /// Keeps `outcome` for `key` while it may be reused (nothing when it may not); renewing it will
    /// renew the supplier answers behind it, then run `search` again.
    func keep(_ key: Key, _ outcome: SearchEngine.Outcome, search: @escaping Search, now: ContinuousClock.Instant = .now) async {
        guard let fresh = outcome.reusable, fresh > .zero else { return }
        var memo = outcome.response
        memo.searchId = Self.placeholder
        memo.sources = memo.sources.map { SourceOutcome(source: $0.source, outcome: $0.outcome == .ok ? .cached : $0.outcome, latencyMs: 0, offers: $0.offers) }
        guard let bytes = try? await offloaded({ [memo] in JSONWriter.bytes(of: memo, capacity: 256 * 1024) }) else { return }
        var quoted = JSONWriter(capacity: 64)
        quoted.string(Self.placeholder)
        guard let at = bytes.firstRange(of: quoted.bytes) else { return }
        let renewSuppliers = outcome.renew
        let renew: @Sendable () async -> Void = { [weak self] in
            await renewSuppliers()
            _ = try? await self?.search(key, origin: .job(), search)
        }
        let answer = Kept(
            until: now + fresh, renewFrom: now + fresh / 2, renew: renew, total: outcome.response.total, stale: outcome.stale,
            head: ByteBuffer(bytes: bytes[..<at.lowerBound]), tail: ByteBuffer(bytes: bytes[at.upperBound...]))
        guard answer.size <= limit / 4 else { return }
        let limit = limit
        state.withLockedValue { state in
            guard !answer.stale.contains(where: { question, at in (state.renewed[question] ?? .min) > at }) else { return }
            if let old = state.answers.updateValue(answer, forKey: key) { state.bytes -= old.size }
            state.bytes += answer.size
            guard state.bytes > limit else { return }
            for (key, old) in state.answers.sorted(by: { $0.value.until < $1.value.until }) where state.bytes > limit * 3 / 4 || old.until <= now {
                state.answers[key] = nil
                state.bytes -= old.size
            }
        }
    }

    /// Forgets the answers made with an older answer to question `key` than the one given `at`
    /// (AvailabilityCache.renewed): the next search has the renewed one.
    func forget(answer key: String, at: Int64) {
        state.withLockedValue { state in
            // Forgetting these times only lets an answer on a stale one be kept its short while.
            if state.renewed.count >= 50_000 { state.renewed.removeAll() }
            state.renewed[key] = max(state.renewed[key] ?? .min, at)
            for (memoKey, kept) in state.answers where (kept.stale[key] ?? .max) < at {
                state.answers[memoKey] = nil
                state.bytes -= kept.size
            }
        }
    }
}
