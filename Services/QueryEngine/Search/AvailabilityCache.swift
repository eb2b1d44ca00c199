// Each supplier's answer in Redis, per (supplier, hotel set, stay, occupancy): fresh for 10 s; then
// served stale for up to 10 minutes while exactly one refresh, the holder of a Redis lock, renews it
// in the background; absent, fetched at once within the caller's budget (identical cold fetches in
// this process share one call). Redis is asked with a 100 ms deadline on the event loop: without
// Redis every search still answers, fetching what it needs.

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
    }

    struct Entry: Codable, Sendable {
        /// Milliseconds since 1970 when the supplier answered.
        var at: Int64
        var offers: [SupplierOffer]
    }

    typealias Fetch = @Sendable () async throws -> [SupplierOffer]

    let redis: RedisPipeline?
    let timing: Timing
    let logger: Logger
    private let inFlight = NIOLockedValueBox<[String: Task<[SupplierOffer], any Error>]>([:])

    init(redis: RedisPipeline?, timing: Timing = Timing(), logger: Logger) {
        self.redis = redis
        self.timing = timing
        self.logger = logger
    }

    /// The key of one supplier's answer to one question.
    static func key(supplier: String, query: AvailabilityQuery) -> String {
        let codes = (query.hotelCodes ?? []).sorted().joined(separator: ",")
        let area = query.area.map { "\($0.latitude),\($0.longitude),\($0.radiusKm)" } ?? ""
        return "qe:avail:" + Digest.hex(Digest.sha256(Array("\(supplier)|\(query.stay)|\(codes)|\(area)".utf8)))
    }

    /// The answer and where it came from; `fetch` asks the supplier (within the caller's budget).
    func answer(supplier: String, query: AvailabilityQuery, now: Date = Date(), fetch: @escaping Fetch) async -> (SupplierOutcome, [SupplierOffer]) {
        let key = Self.key(supplier: supplier, query: query)
        if let entry = await read(key) {
            let age = Duration.milliseconds(Int64(now.timeIntervalSince1970 * 1000) - entry.at)
            if age < timing.fresh { return (.cached, entry.offers) }
            if age < timing.kept {
                refreshInBackground(key, fetch: fetch)
                return (.stale, entry.offers)
            }
        }
        do {
            return (.ok, try await shared(key, fetch: fetch))
        } catch ServiceCallError.timeout {
            return (.timeout, [])
        } catch let ServiceCallError.answered(_, _, status, _, _) where status == 504 {
            return (.timeout, [])
        } catch {
            return (.error, [])
        }
    }

    /// One call per key at a time in this process; its answer is stored for the next searches.
    private func shared(_ key: String, fetch: @escaping Fetch) async throws -> [SupplierOffer] {
        let task = inFlight.withLockedValue { running in
            if let task = running[key] { return task }
            let task = Task<[SupplierOffer], any Error> {
                defer { _ = self.inFlight.withLockedValue { $0.removeValue(forKey: key) } }
                let offers = try await fetch()
                await self.write(key, Entry(at: Int64(Date().timeIntervalSince1970 * 1000), offers: offers))
                return offers
            }
            running[key] = task
            return task
        }
        return try await task.value
    }

    /// Renews a stale answer unless another search (in any replica) already did or is doing it: the
    /// Redis lock decides, held for the freshness period (not released: a search that read the stale
    /// answer just before it was renewed must not renew it again), and the answer is read once more
    /// under the lock.
    private func refreshInBackground(_ key: String, fetch: @escaping Fetch) {
        guard let redis else { return }
        let timing = timing
        Task {
            let locked = try? await redis.command(["SET", key + ":refresh", "1", "NX", "PX", String(Int(timing.fresh.milliseconds))], timeout: timing.redis)
            guard locked == .status("OK") else { return }
            if let entry = await self.read(key), Date().timeIntervalSince1970 * 1000 - Double(entry.at) < timing.fresh.milliseconds { return }
            do {
                _ = try await self.shared(key, fetch: fetch)
            } catch {
                self.logger.debug("stale answer not refreshed", metadata: ["error": .string("\(error)")])
            }
        }
    }

    private func read(_ key: String) async -> Entry? {
        guard let redis, let reply = try? await redis.command(["GET", key], timeout: timing.redis), let text = reply.string else { return nil }
        return try? PlatformJSON.decoder.decode(Entry.self, from: Data(text.utf8))
    }

    private func write(_ key: String, _ entry: Entry) async {
        guard let redis, let data = try? PlatformJSON.encoder.encode(entry) else { return }
        _ = try? await redis.command(["SET", key, String(decoding: data, as: UTF8.self), "PX", String(Int(timing.kept.milliseconds))], timeout: timing.redis)
    }
}
