// One search, end to end: the destination's master hotels from matching; every callable supplier
// asked for its own codes of them, per requested occupancy, through the cache, at most
// CONCURRENCY_LIMIT calls at once and all within QUERY_TIMEOUT_MS; each answer's offers priced for
// the tenant in one batch as soon as that answer is in; the answer assembled, each offer signed as
// an offer_id.

import FoundationEssentials
import Logging
import NIOConcurrencyHelpers
import Shared

struct SearchSettings: Sendable {
    var concurrencyLimit: Int
    var deadline: Duration
    /// The most a search waits for a supplier answer not in the cache.
    var coldBudget: Duration = .seconds(3)
    /// The most a supplier's answer is waited for once the searches that asked have stopped waiting:
    /// kept, a late answer serves the next searches (supplier-adapter's default supplier timeout is 10 s).
    var lateAnswer: Duration = .seconds(10)
    var offerLifetime: Duration
}

final class SearchEngine: Sendable {
    let matching: MatchingClient
    let sources: OfferSources
    let pricing: PricingClient
    let cache: AvailabilityCache
    let tokens: OfferTokens
    let settings: SearchSettings
    let metrics: SearchMetrics
    let logger: Logger
    private let sourceKey: HMACKey
    private let callable = NIOLockedValueBox<(codes: Set<String>, at: ContinuousClock.Instant)?>(nil)

    init(matching: MatchingClient, sources: OfferSources, pricing: PricingClient, cache: AvailabilityCache, tokens: OfferTokens,
         settings: SearchSettings, sourceSecret: String, metrics: SearchMetrics, logger: Logger) {
        self.matching = matching
        self.sources = sources
        self.pricing = pricing
        self.cache = cache
        self.tokens = tokens
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
        sourceKey = HMACKey(Array(("sources:" + sourceSecret).utf8))
    }

    struct Asked: Sendable {
        /// The question's key in the cache.
        var key: String
        var supplier: String
        var occupancy: Occupancy
        var outcome: SupplierOutcome
        var offers: [SupplierOffer]
        /// When the supplier gave these offers (milliseconds since 1970), if it did.
        var at: Int64?
        var latency: Duration
        /// Asks the supplier again ahead of time (AvailabilityCache.renew).
        var renew: @Sendable () async -> Void = {}
    }

    /// A search's answer, for how long the same question may get it again (SearchMemo): until the
    /// oldest supplier answer in it stops being fresh; when one was stale, a quarter of the
    /// freshness period (its renewal is under way: the next answer after that has it); nil when
    /// one was late or failed; and how to renew the supplier answers behind it before then.
    struct Outcome: Sendable {
        var response: SearchResponse
        var reusable: Duration?
        /// The stale supplier answers in it: question key -> when the supplier gave it.
        var stale: [String: Int64] = [:]
        var renew: @Sendable () async -> Void
    }

    func search(_ query: SearchQuery, tenant: String, origin: CallOrigin) async throws -> Outcome {
        let started = ContinuousClock.now
        let hotels = try await resolve(query.place, origin: origin)
        var master: [String: Int64] = [:]
        for hotel in hotels { for ref in hotel.suppliers { master["\(ref.supplier)|\(ref.code)"] = hotel.id } }
        var codes = Dictionary(grouping: hotels.flatMap(\.suppliers)) { $0.supplier }.mapValues { $0.map(\.code) }
        var callable = try await callableSuppliers(origin: origin)
        // Direct contracts: inventory is one more supplier, its codes the master hotel ids.
        let contracted = await sources.contractedHotels(origin: origin)
        let direct = hotels.map(\.id).filter(contracted.contains)
        if !direct.isEmpty {
            codes[directSupplier] = direct.map { String($0) }
            callable.insert(directSupplier)
            for id in direct { master["\(directSupplier)|\(id)"] = id }
        }
        let questions = codes.keys.filter(callable.contains).sorted().flatMap { supplier in
            query.occupancies.map { (supplier, AvailabilityQuery(checkIn: query.checkIn, checkOut: query.checkOut, occupancy: $0, hotelCodes: codes[supplier]!)) }
        }
        let byId = Dictionary(uniqueKeysWithValues: hotels.map { ($0.id, $0) })
        let owners = master
        let (answers, priced) = try await ask(questions, deadline: started + settings.deadline, origin: origin) { answer in
            var candidates: [(SupplierOffer, Occupancy, Int64)] = []
            for offer in answer.offers {
                guard let hotel = owners["\(answer.supplier)|\(offer.hotelCode)"] else { continue }
                candidates.append((offer, answer.occupancy, hotel))
            }
            return try await self.price(candidates, hotels: byId, query: query, tenant: tenant, origin: origin)
        }
        var assembly = SearchAssembly(query: query)
        var result = try await offloaded { [assembly] in assembly.assemble(hotels: hotels, offers: priced) }
        if !result.tied.isEmpty {
            let ranks = await ranks(of: result.tied, origin: origin)
            assembly.rank = { hotel, supplier in ranks[hotel]?[supplier] ?? Int.max }
            result = try await offloaded { [assembly] in assembly.assemble(hotels: hotels, offers: priced) }
        }
        let page = result.page
        let response = SearchResponse(
            searchId: origin.requestId, checkIn: query.checkIn, checkOut: query.checkOut, nights: query.nights, currency: query.currency,
            total: result.total, page: query.page, pageSize: query.pageSize,
            hotels: try await offloaded { try page.map { try self.result($0, query: query, tenant: tenant) } }, sources: sources(answers))
        let renewals = answers.map(\.renew)
        let stale = Dictionary(answers.filter { $0.outcome == .stale }.compactMap { answer in answer.at.map { (answer.key, $0) } }) { a, _ in a }
        return Outcome(response: response, reusable: reusable(answers), stale: stale) {
            await withTaskGroup(of: Void.self) { group in for renew in renewals { group.addTask(operation: renew) } }
        }
    }

    func reusable(_ answers: [Asked], now: Date = Date()) -> Duration? {
        guard !answers.isEmpty, answers.allSatisfy({ $0.outcome == .ok || $0.outcome == .cached || $0.outcome == .stale }) else { return nil }
        if answers.contains(where: { $0.outcome == .stale }) { return cache.timing.fresh / 4 }
        let oldest = answers.compactMap(\.at).min() ?? .min
        return cache.timing.fresh - .milliseconds(Int64(now.timeIntervalSince1970 * 1000) - oldest)
    }

    /// The destination's master hotels (matching's order; by point: nearest first).
    func resolve(_ place: SearchQuery.Place, origin: CallOrigin) async throws -> [MasterHotel] {
        do {
            switch place {
            case .city(let city, let country): return try await matching.hotels(city: city, country: country, origin: origin)
            case .near(let latitude, let longitude, let radius): return try await matching.hotels(latitude: latitude, longitude: longitude, radiusKm: radius, origin: origin)
            case .hotels(let ids): return try await matching.hotels(ids: ids, origin: origin)
            }
        } catch {
            logger.warning("destination not resolved", metadata: ["error": .string("\(error)")])
            throw Problem(.serviceUnavailable, code: "search_unavailable", detail: "The hotel catalog does not answer; retry in a moment.", headers: [.retryAfter: "2"])
        }
    }

    /// Suppliers that are enabled and not suspended, asked of supplier-adapter at most every 10 s.
    func callableSuppliers(origin: CallOrigin) async throws -> Set<String> {
        if let known = callable.withLockedValue({ $0 }), ContinuousClock.now - known.at < .seconds(10) { return known.codes }
        do {
            let codes = Set(try await sources.adapter.suppliers(origin: origin).filter(\.isCallable).map(\.code))
            callable.withLockedValue { $0 = (codes, .now) }
            return codes
        } catch {
            if let known = callable.withLockedValue({ $0 }) { return known.codes }
            throw Problem(.serviceUnavailable, code: "search_unavailable", detail: "The suppliers cannot be reached; retry in a moment.", headers: [.retryAfter: "2"])
        }
    }

    /// Every question, at most `concurrencyLimit` at once; what is not answered by `deadline` is a
    /// timeout. Each answer's offers are priced (`price`) as soon as it is in, while slower suppliers
    /// are still awaited: priced only once every answer was in, a cold search paid for pricing all
    /// of them after its slowest supplier. The priced offers come in the answers' order.
    func ask(_ questions: [(String, AvailabilityQuery)], deadline: ContinuousClock.Instant, origin: CallOrigin,
             price: @escaping @Sendable (Asked) async throws -> [PricedSupplierOffer]) async throws -> (answers: [Asked], priced: [PricedSupplierOffer])
    {
        enum Step: Sendable {
            case answered(Asked)
            case priced(Int, [PricedSupplierOffer])
        }
        return try await withThrowingTaskGroup(of: Step.self) { group in
            var pending = questions.makeIterator()
            var answers: [Asked] = []
            var priced: [[PricedSupplierOffer]] = []
            func start() -> Bool {
                guard let (supplier, question) = pending.next() else { return false }
                group.addTask { .answered(await self.ask(supplier, question, deadline: deadline, origin: origin)) }
                return true
            }
            for _ in 0..<settings.concurrencyLimit where !start() { break }
            while let step = try await group.next() {
                switch step {
                case .answered(let answer):
                    answers.append(answer)
                    _ = start()
                    guard !answer.offers.isEmpty else { continue }
                    let index = priced.count
                    priced.append([])
                    group.addTask { .priced(index, try await price(answer)) }
                case .priced(let index, let offers):
                    priced[index] = offers
                }
            }
            return (answers, Array(priced.joined()))
        }
    }

    private func ask(_ supplier: String, _ question: AvailabilityQuery, deadline: ContinuousClock.Instant, origin: CallOrigin) async -> Asked {
        let started = ContinuousClock.now
        let budget = min(settings.coldBudget, deadline - started)
        guard budget > .milliseconds(10) else {
            metrics.answered(by: supplier, .timeout)
            return Asked(key: "", supplier: supplier, occupancy: question.occupancy, outcome: .timeout, offers: [], at: nil, latency: .zero)
        }
        let sources = sources
        let late = max(budget, settings.lateAnswer)
        let answer = await cache.answer(supplier: supplier, query: question, waiting: budget) {
            try await sources.availability(of: supplier, question, origin: origin, timeout: late).offers
        }
        metrics.answered(by: supplier, answer.outcome)
        return Asked(
            key: answer.key, supplier: supplier, occupancy: question.occupancy, outcome: answer.outcome, offers: answer.offers, at: answer.at,
            latency: started.duration(to: .now), renew: answer.renew)
    }

    /// One batch to pricing for `candidates` (offer, its occupancy, its master hotel among `hotels`);
    /// offers it cannot price are left out.
    func price(_ candidates: [(SupplierOffer, Occupancy, Int64)], hotels byId: [Int64: MasterHotel], query: SearchQuery, tenant: String,
               origin: CallOrigin) async throws -> [PricedSupplierOffer]
    {
        guard !candidates.isEmpty else { return [] }
        let request = PriceBatchRequest(tenantId: tenant, currency: query.currency, offers: candidates.enumerated().map { index, candidate in
            let (offer, _, hotelId) = candidate
            let hotel = byId[hotelId]
            return PriceableOffer(
                id: String(index), supplier: offer.supplier, masterHotelId: hotelId, countryCode: hotel?.countryCode, city: hotel?.city, stars: hotel?.stars,
                board: offer.board, refundable: offer.refundable, checkIn: query.checkIn, net: Money(offer.net, offer.currency),
                minimumSell: offer.sellingRate.map { Money($0, offer.currency) })
        })
        let priced: PriceBatchResult
        do {
            priced = try await pricing.price(request, origin: origin)
        } catch {
            logger.warning("offers not priced", metadata: ["error": .string("\(error)")])
            throw Problem(.serviceUnavailable, code: "search_unavailable", detail: "Prices cannot be made now; retry in a moment.", headers: [.retryAfter: "2"])
        }
        return priced.offers.compactMap { result in
            guard let index = Int(result.id), index < candidates.count, let sell = result.sell, let net = result.net else { return nil }
            let (offer, occupancy, hotel) = candidates[index]
            return PricedSupplierOffer(offer: offer, occupancy: occupancy, masterHotelId: hotel, sell: sell.amount, netConverted: net.amount)
        }
    }

    /// Suppliers' places at the hotels where their equal offers tie (0 the best); a hotel matching
    /// cannot rank in time keeps the tie broken by supplier code.
    func ranks(of hotels: Set<Int64>, origin: CallOrigin) async -> [Int64: [String: Int]] {
        await withTaskGroup(of: (Int64, [String: Int])?.self) { group in
            for hotel in hotels {
                group.addTask {
                    guard let ranked = try? await self.matching.rankedSuppliers(of: hotel, origin: origin) else { return nil }
                    return (hotel, Dictionary(ranked.enumerated().map { ($0.element.supplier, $0.offset) }) { first, _ in first })
                }
            }
            var ranks: [Int64: [String: Int]] = [:]
            for await case let (hotel, places)? in group { ranks[hotel] = places }
            return ranks
        }
    }

    func result(_ assembled: AssembledHotel, query: SearchQuery, tenant: String) throws -> HotelResult {
        let hotel = assembled.hotel
        let expires = Int(Date().timeIntervalSince1970) + Int(settings.offerLifetime.components.seconds)
        let rooms = try assembled.rooms.enumerated().map { index, offers in
            let occupancy = query.rooms[index]
            return RoomResult(room: index, adults: occupancy.adults, childrenAges: occupancy.childrenAges, offers: try offers.map { room in
                let offer = room.source.offer
                let terms = OfferTerms(
                    tenantId: tenant, supplier: offer.supplier, rateKey: offer.rateKey, rateType: offer.rateType, masterHotelId: hotel.id,
                    hotelCode: offer.hotelCode, roomCode: offer.roomCode, roomName: offer.roomName, board: offer.board, refundable: offer.refundable,
                    checkIn: query.checkIn, checkOut: query.checkOut, occupancy: occupancy, net: Money(offer.net, offer.currency), sell: room.total,
                    cancellationPolicies: room.cancellationPolicies, expires: expires, cost: room.source.netConverted, city: hotel.city)
                return OfferResult(
                    offerId: try tokens.sign(terms), roomName: offer.roomName, board: offer.board, refundable: offer.refundable,
                    needsPriceCheck: offer.rateType == .recheck, total: room.total, perNight: room.perNight, cancellationPolicies: room.cancellationPolicies)
            })
        }
        return HotelResult(
            id: hotel.id, name: hotel.name, address: hotel.address, city: hotel.city, countryCode: hotel.countryCode, stars: hotel.stars,
            latitude: hotel.latitude, longitude: hotel.longitude, distanceMetres: hotel.distanceMetres, cheapest: assembled.cheapest, rooms: rooms)
    }

    /// Per supplier: the worst outcome of its questions, the slowest latency, the offers it gave.
    func sources(_ answers: [Asked]) -> [SourceOutcome] {
        let order: [SupplierOutcome] = [.error, .timeout, .ok, .stale, .cached]
        return Dictionary(grouping: answers, by: \.supplier).map { supplier, asked in
            SourceOutcome(
                source: sourceId(supplier), outcome: asked.map(\.outcome).min { order.firstIndex(of: $0)! < order.firstIndex(of: $1)! } ?? .error,
                latencyMs: Int(asked.map(\.latency).max()?.milliseconds ?? 0), offers: asked.reduce(0) { $0 + $1.offers.count })
        }.sorted { $0.source < $1.source }
    }

    /// An opaque id per supplier, the same in every search.
    func sourceId(_ supplier: String) -> String {
        "src_" + Digest.hex(sourceKey.authenticate(Array(supplier.utf8)).prefix(5))
    }
}
