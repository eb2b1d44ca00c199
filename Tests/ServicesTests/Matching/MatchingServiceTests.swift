// matching end to end: the simulator's suppliers behind a live supplier-adapter, a mapping job run
// through the operators' API, its accuracy against the simulator's ground truth, the lookups
// query-engine uses, the review queue, and reliability learned from supplier.call events.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Matching
@testable import Pricing
@testable import Shared
@testable import SupplierAdapter
@testable import SupplierSim
import Testing
import TestSupport

extension SupplyChainTests {
    @Suite(.serialized) struct MatchingServiceTests {
        static let hotelsPerCity = 15
        /// pricing's base currency here (other suites' rates are against CNY).
        static let base = "HKD"

        /// Sim (small world) + live adapter with the three suppliers registered + matching under test.
        func run(_ body: @escaping @Sendable (_ matching: any TestClientProtocol, _ suppliers: [String: String], _ pool: PostgresPool) async throws -> Void) async throws {
            let simServer = LocalServer()
            let sim = try ServiceRunner.assemble(SupplierSimService.definition, environment: EnvironmentVariables([
                "PORT": String(simServer.port), "HOST": "127.0.0.1", "SIM_SECRET": SupplyHarness.simulatorSecret, "SIM_HOTELS_PER_CITY": String(Self.hotelsPerCity),
            ]), logSink: .capturing())
            try await simServer.start(sim.application)
            let simulator = Simulator(server: simServer)
            let adapterServer = LocalServer()
            let adapterEnv = EnvironmentVariables(ServiceEnvironment.all.merging(["PORT": String(adapterServer.port), "HOST": "127.0.0.1"]) { $1 })
            #expect(await MigrateCommand.run(SupplierAdapterService.definition, environment: adapterEnv, arguments: ["migrate", "up"]) == 0)
            let adapter = try ServiceRunner.assemble(SupplierAdapterService.definition, environment: adapterEnv, logSink: .capturing())
            try await adapterServer.start(adapter.application)
            defer { Task { await adapterServer.stop(); await simServer.stop() } }

            let pricingServer = LocalServer()
            let pricingEnv = EnvironmentVariables(ServiceEnvironment.all.merging(["PORT": String(pricingServer.port), "HOST": "127.0.0.1", "DEFAULT_CURRENCY": Self.base]) { $1 })
            #expect(await MigrateCommand.run(PricingService.definition, environment: pricingEnv, arguments: ["migrate", "up"]) == 0)
            try await pricingServer.start(try ServiceRunner.assemble(PricingService.definition, environment: pricingEnv, logSink: .capturing()).application)
            defer { Task { await pricingServer.stop() } }

            let matchingEnv = EnvironmentVariables(ServiceEnvironment.all.merging(["SUPPLIER_ADAPTER_URL": adapterServer.base, "PRICING_URL": pricingServer.base]) { $1 })
            #expect(await MigrateCommand.run(MatchingService.definition, environment: matchingEnv, arguments: ["migrate", "up"]) == 0)
            let pool = PostgresPool(settings: try PostgresSettings(matchingEnv, applicationName: "test"), logger: .init(label: "test"))
            try await pool.truncate("matching.price_quotes, matching.mappings, matching.supplier_hotels, matching.master_hotels, matching.mapping_jobs, matching.supplier_scores")
            _ = try await pool.execute("DELETE FROM pricing.exchange_rates WHERE base = $1", [Self.base])
            let matching = try ServiceRunner.assemble(MatchingService.definition, environment: matchingEnv, logSink: .capturing())
            try await matching.application.test(.live) { client in
                var codes: [String: String] = [:]
                for supplier in SimulatedSupplier.all.map(\.code) { codes[try await client.registerDirect(supplier, simulator: simulator, adapter: adapterServer.base)] = supplier }
                try await body(client, codes, pool)
            }
            try await pool.shutdown()
        }

        /// One job per supplier of this test, in code order (other tests' suppliers stay out of it): totals.
        func runJobs(_ client: any TestClientProtocol, _ suppliers: [String: String]) async throws -> (total: Int, processed: Int, rate: Double) {
            var sums = (total: 0, processed: 0, rate: 0.0)
            for code in suppliers.keys.sorted() {
                let job = try await runJob(client, supplier: code)
                sums.total += job["total"] as? Int ?? -1
                sums.processed += job["processed"] as? Int ?? -1
                sums.rate = max(sums.rate, job["rate_per_second"] as? Double ?? 0)
            }
            return sums
        }

        func runJob(_ client: any TestClientProtocol, supplier: String) async throws -> [String: Any] {
            let path = "/api/v1/admin/mappings/jobs"
            let (status, json) = try await client.call(path, .post, body: ["supplier": supplier], headers: client.operatorHeaders(.post, path))
            #expect(status == .accepted, "\(String(describing: json))")
            let id = try #require((json as? [String: Any])?["id"] as? String)
            var job: [String: Any] = [:]
            let done = try await eventually(within: .seconds(120)) {
                let statusPath = "/api/v1/admin/mappings/jobs/\(id)"
                job = (try await client.call(statusPath, .get, headers: client.operatorHeaders(.get, statusPath)).json as? [String: Any]) ?? [:]
                return ["succeeded", "failed"].contains(job["status"] as? String ?? "")
            }
            #expect(done && job["status"] as? String == "succeeded", "\(job)")
            return job
        }

        @Test func aMappingRunMapsTheSimulatorsHotelsAccuratelyAndServesLookups() async throws {
            try await run { client, suppliers, pool in
                let market = SimulatedMarket(world: .generate(hotelsPerCity: Self.hotelsPerCity))
                let records = market.catalogs.values.reduce(0) { $0 + $1.entries.count }
                let job = try await runJobs(client, suppliers)
                #expect(job.total == records && job.processed == records, "\(job)")
                #expect(job.rate > 0)

                var truth: [String: Int] = [:]
                for (code, simCode) in suppliers { for entry in market.catalogs[simCode]!.entries { truth["\(code)|\(entry.hotel.code)"] = entry.real.id } }
                let rows = try await pool.query("SELECT supplier, code, master_hotel_id FROM matching.mappings WHERE status = 'mapped'")
                var assigned: [String: Int64] = [:]
                for row in rows { assigned["\(try row.string("supplier"))|\(try row.string("code"))"] = Int64(try row.int("master_hotel_id")) }
                let accuracy = MappingAccuracy(assigned: assigned, truth: truth)
                print("matching service accuracy (\(records) records): precision \(accuracy.precision), recall \(accuracy.recall)")
                #expect(accuracy.precision >= 0.99 && accuracy.recall >= 0.97)

                let paris = try #require(try await client.call("/hotels?city=Paris&country=FR", .get).json as? [[String: Any]])
                #expect(paris.count >= Self.hotelsPerCity - 2 && paris.allSatisfy { ($0["suppliers"] as? [[String: Any]])?.isEmpty == false })
                let first = try #require(paris.first)
                let (latitude, longitude) = (try #require(first["latitude"] as? Double), try #require(first["longitude"] as? Double))
                let near = try #require(try await client.call("/hotels?latitude=\(latitude)&longitude=\(longitude)&radius_km=2", .get).json as? [[String: Any]])
                #expect(near.first?["id"] as? Int == first["id"] as? Int && near.first?["distance_metres"] as? Double == 0)
                #expect(zip(near, near.dropFirst()).allSatisfy { ($0["distance_metres"] as? Double ?? 0) <= ($1["distance_metres"] as? Double ?? 0) }, "nearest first")
                let searchPath = "/api/v1/admin/hotels"
                let searched = try #require(try await client.call("\(searchPath)?latitude=\(latitude)&longitude=\(longitude)&radius_km=2", .get,
                                                                  headers: client.operatorHeaders(.get, searchPath)).json as? [[String: Any]])
                #expect(searched.map { $0["id"] as? Int } == near.map { $0["id"] as? Int }, "the database (earthdistance) and the in-memory catalog agree")
                let name = try #require(first["name"] as? String)
                let misspelt = String(name.prefix(3)) + String(name.dropFirst(3).prefix(2).reversed()) + String(name.dropFirst(5))
                let byName = try #require(try await client.call("\(searchPath)?name=\(misspelt.percentEncoded)&city=Paris", .get,
                                                                headers: client.operatorHeaders(.get, searchPath)).json as? [[String: Any]])
                #expect(byName.first?["id"] as? Int == first["id"] as? Int, "'\(misspelt)' finds '\(name)' first: \(byName.prefix(3).map { $0["name"] ?? "" })")
                // The longest word that tells hotels apart ("Hotel" does not).
                let word = try #require(HotelNormalizer.nameTokens(name, city: "Paris").max { $0.count < $1.count })
                let byWord = try #require(try await client.call("\(searchPath)?name=\(word.percentEncoded)&city=Paris&limit=50", .get,
                                                                headers: client.operatorHeaders(.get, searchPath)).json as? [[String: Any]])
                #expect(byWord.contains { $0["id"] as? Int == first["id"] as? Int }, "one word of the name, '\(word)', finds '\(name)' too")
                let ref = try #require((first["suppliers"] as? [[String: Any]])?.first)
                let reverse = try #require(try await client.call("/supplier-hotels/\(ref["supplier"]!)/\(ref["code"]!)", .get).json as? [String: Any])
                #expect(reverse["master_hotel_id"] as? Int == first["id"] as? Int)
                let byIds = try #require(try await client.call("/hotels?ids=\(first["id"]!)", .get).json as? [[String: Any]])
                #expect(byIds.count == 1 && byIds[0]["name"] as? String == first["name"] as? String)
                // The typed client other services use reads the same answers.
                let typed = MatchingClient(baseURL: "http://127.0.0.1:\(try #require(client.port))", http: HTTP1Client())
                let origin = CallOrigin.job()
                #expect(try await typed.hotels(city: "Paris", country: "FR", origin: origin).map(\.id) == paris.map { Int64($0["id"] as? Int ?? -1) })
                #expect(try await typed.hotels(latitude: latitude, longitude: longitude, radiusKm: 2, origin: origin).map(\.distanceMetres) == near.map { $0["distance_metres"] as? Double })
                #expect(try await typed.hotels(ids: [Int64(first["id"] as? Int ?? -1)], origin: origin).map(\.name) == [name])
                #expect(try await typed.mapping(supplier: "\(ref["supplier"]!)", code: "\(ref["code"]!)", origin: origin).masterHotelId == Int64(first["id"] as? Int ?? -1))
                #expect(Set(try await typed.rankedSuppliers(of: Int64(first["id"] as? Int ?? -1), origin: origin).map(\.supplier))
                        == Set((first["suppliers"] as? [[String: Any]] ?? []).compactMap { $0["supplier"] as? String }))
                await #expect(throws: ServiceCallError.self) { try await typed.hotels(city: "Paris", country: "FRA", origin: origin) }
                for bad in ["/hotels", "/hotels?ids=1,x", "/hotels?latitude=91&longitude=0&radius_km=1", "/hotels?city=Paris&country=FRA"] {
                    #expect(try await client.call(bad, .get).status == .badRequest, "\(bad)")
                }

                // Again: nothing new, nothing to decide. One record changed: exactly that one is decided again.
                #expect(try await runJobs(client, suppliers).processed == 0)
                let (code, simCode) = try #require(suppliers.first)
                var changed = market.catalogs[simCode]!.entries[0].hotel
                changed.supplier = code
                changed.name += " Annex"
                let catalog = CatalogRepository(pool: pool)
                #expect(try await catalog.store([changed], supplier: code) == [changed.code])
                let mapping = try #require(try await catalog.mapping(supplier: code, code: changed.code))
                if mapping.method == "auto" { #expect(try await catalog.recordsToMap(supplier: code, changed: [changed.code]).map(\.code) == [changed.code]) }
            }
        }

        @Test func operatorsApproveRejectAndRemapReviewedRecords() async throws {
            try await run { client, suppliers, pool in
                _ = try await runJobs(client, suppliers)
                let code = try #require(suppliers.keys.sorted().last)
                let rows = try await pool.query("SELECT code, master_hotel_id FROM matching.mappings WHERE supplier = $1 AND status = 'mapped' ORDER BY code LIMIT 3", [code])
                let records = try rows.map { (try $0.string("code"), Int64(try $0.int("master_hotel_id"))) }
                #expect(records.count == 3)
                // Send two to review, proposing each other's master hotel.
                _ = try await pool.execute("UPDATE matching.mappings SET status = 'review', method = 'auto' WHERE supplier = $1 AND code = ANY($2::text[])",
                                           [code, PostgresArray([records[0].0, records[1].0])])
                let reviewsPath = "/api/v1/admin/mappings/reviews"
                let queue = try #require(try await client.call(reviewsPath + "?limit=500", .get, headers: client.operatorHeaders(.get, reviewsPath)).json as? [[String: Any]])
                let ours = queue.filter { ($0["record"] as? [String: Any])?["supplier"] as? String == code }
                let queued = Set(ours.compactMap { ($0["record"] as? [String: Any])?["code"] as? String })
                #expect(queued.isSuperset(of: [records[0].0, records[1].0]), "\(queued)")
                #expect(ours.allSatisfy { ($0["candidate"] as? [String: Any])?["id"] != nil })

                func decide(_ record: String, _ action: String, _ body: [String: Any]? = nil) async throws -> (HTTPResponse.Status, [String: Any]) {
                    let path = "/api/v1/admin/mappings/\(code)/\(record)/\(action)"
                    let (status, json) = try await client.call(path, .post, body: body, headers: client.operatorHeaders(.post, path))
                    return (status, json as? [String: Any] ?? [:])
                }
                let approved = try await decide(records[0].0, "approve")
                #expect(approved.0 == .ok && approved.1["status"] as? String == "mapped" && approved.1["method"] as? String == "approved")
                #expect(approved.1["decided_by"] as? String == "00000000-0000-0000-0000-00000000000a")
                let rejected = try await decide(records[1].0, "reject")
                #expect(rejected.0 == .ok && rejected.1["method"] as? String == "rejected" && (rejected.1["master_hotel_id"] as? Int).map(Int64.init) != records[1].1)
                let conflict = try await decide(records[1].0, "remap", ["master_hotel_id": records[2].1])
                #expect(conflict.0 == .conflict, "that master already holds a record of this supplier")
                let remapped = try await decide(records[1].0, "remap", ["master_hotel_id": records[1].1])
                #expect(remapped.0 == .ok && (remapped.1["master_hotel_id"] as? Int).map(Int64.init) == records[1].1 && remapped.1["method"] as? String == "remapped")
                let looked = try await client.call("/supplier-hotels/\(code)/\(records[1].0)", .get).json as? [String: Any]
                #expect(looked?["method"] as? String == "remapped", "the reverse lookup follows a decision at once")
                #expect(try await decide("no-such-record", "approve").0 == .notFound)
                #expect(try await client.call("/api/v1/admin/mappings/\(code)/\(records[0].0)/approve", .post).status == .unauthorized, "only through the gateway")
            }
        }

        @Test func supplierHotelsUpdatedQueuesARunForThatSupplier() async throws {
            try await run { _, suppliers, pool in
                let code = try #require(suppliers.keys.sorted().first)
                let publisher = EventPublisher(settings: try AMQPSettings(EnvironmentVariables(ServiceEnvironment.all)), logger: .init(label: "test"))
                try await publisher.publish([try EventEnvelope(
                    type: SupplierHotelsUpdatedEvent.type, producer: "supplier-adapter", tenantId: nil, trace: nil,
                    payload: SupplierHotelsUpdatedEvent(supplier: code, hotelCodes: ["100000"]))])
                #expect(try await eventually(within: .seconds(15)) {
                    try await pool.query("SELECT count(*) AS n FROM matching.mapping_jobs WHERE supplier = $1 AND requested_by = 'event:supplier.hotels.updated'", [code])
                        .first!.int("n") == 1
                })
                try await publisher.shutdown()
            }
        }

        @Test func supplierCallsTeachReliabilityAndRankSuppliers() async throws {
            try await run { client, suppliers, pool in
                _ = try await runJobs(client, suppliers)
                let hotel = try #require(try await pool.query(
                    "SELECT master_hotel_id FROM matching.mappings WHERE status = 'mapped' GROUP BY master_hotel_id HAVING count(*) = 3 LIMIT 1").first?.int("master_hotel_id"))
                let ordered = suppliers.keys.sorted()
                func call(_ supplier: String, _ operation: String, _ outcome: String, offers: Int? = nil) throws -> EventEnvelope {
                    try EventEnvelope(type: SupplierCallEvent.type, producer: "test", tenantId: nil, trace: nil,
                                      payload: SupplierCallEvent(supplier: supplier, operation: operation, outcome: outcome, latencyMs: 10, attempt: 1, at: Date(), offers: offers))
                }
                // 0: searches time out, bookings find no rooms; 1: searches find rooms, bookings confirmed;
                // 2: searches answer without rooms (and one call its breaker stopped, which says nothing).
                let events = try (0..<8).map { _ in try call(ordered[0], "availability", "timeout") } + (0..<2).map { _ in try call(ordered[0], "book", "sold_out") }
                    + (0..<8).map { _ in try call(ordered[1], "availability", "ok", offers: 5) } + (0..<2).map { _ in try call(ordered[1], "book", "ok") }
                    + (0..<4).map { _ in try call(ordered[2], "availability", "ok", offers: 0) } + [try call(ordered[2], "availability", "circuit_open")]
                let scores = SupplierScoreRepository(pool: pool)
                let consumed = try events.map { try ConsumedEvent<SupplierCallEvent>(envelope: $0) }
                _ = try await MatchingService.supplierCalls.handle(consumed, pool: pool)
                _ = try await MatchingService.supplierCalls.handle(consumed, pool: pool)  // redelivered: counted once
                let standings = try await scores.standings(ordered)
                // (The adapter's own content calls for this test arrive as events too: they count for reliability only.)
                #expect(standings[ordered[0]]?.failures == 8 && standings[ordered[0]]?.searches == 0 && standings[ordered[0]]?.rating == 0.25)
                #expect(standings[ordered[1]]?.availability == 0.9 && standings[ordered[1]]?.rating == 0.75)
                #expect(standings[ordered[2]]?.searches == 4 && standings[ordered[2]]?.searchesWithRooms == 0, "circuit_open says nothing about the supplier")

                // Prices: the cheapest net per hotel from availability answers, compared per stay and currency.
                let codes = Dictionary(uniqueKeysWithValues: try await pool.query(
                    "SELECT supplier, code FROM matching.mappings WHERE master_hotel_id = $1 AND status = 'mapped'", [hotel]).map { (try $0.string("supplier"), try $0.string("code")) })
                func quote(_ index: Int, _ stay: String, _ net: String, _ currency: String = "EUR", at: Date = Date(), code: String? = nil, extra: [HotelQuote] = []) throws -> EventEnvelope {
                    let supplier = ordered[index]
                    return try EventEnvelope(type: SupplierCallEvent.type, producer: "test", tenantId: nil, trace: nil, payload: SupplierCallEvent(
                        supplier: supplier, operation: "availability", outcome: "ok", latencyMs: 10, attempt: 1, at: at, offers: 1, stay: stay,
                        quotes: [HotelQuote(hotelCode: code ?? codes[supplier]!, net: Amount(net)!, currency: currency)] + extra))
                }
                let quotes = try [
                    quote(0, "A", "100.00"), quote(1, "A", "120.00"),  // A: 0 cheapest, until 1's later quote of 99
                    quote(0, "B", "95.00"), quote(1, "B", "90.00"), quote(2, "B", "90.00"),  // B: 1 and 2 tie
                    quote(2, "C", "80.00"),  // C: nobody else quoted it
                    quote(0, "D", "100.00", "USD"), quote(1, "D", "80.00"),  // D: two currencies, not compared
                    quote(0, "E", "1.00", at: Date().addingTimeInterval(-40 * 86400)), quote(2, "E", "2.00", at: Date().addingTimeInterval(-40 * 86400)),  // too old
                    quote(0, "F", "1.00", code: "not-mapped-anywhere"), quote(2, "F", "5.00"),  // 0's code is not this hotel's
                    // G: a sender's mistakes (a currency that is not one, the same hotel twice) cost only themselves: 0 asks 96, as 1 does.
                    quote(0, "G", "97.00", extra: [HotelQuote(hotelCode: codes[ordered[0]]!, net: Amount("96.00")!, currency: "EUR"),
                                                 HotelQuote(hotelCode: codes[ordered[0]]!, net: Amount("1.00")!, currency: "EURO")]),
                    quote(1, "G", "96.00"),
                    // H: 14.0833 USD and 13.00 EUR are both 101.40 HKD at pricing's rates (compared only with them).
                    quote(0, "H", "14.0833", "USD"), quote(2, "H", "13.00"),
                    // I: pricing has no rate for GBP: never compared with EUR.
                    quote(0, "I", "50.00", "GBP"), quote(1, "I", "40.00"),
                ]
                func record(_ events: [EventEnvelope]) async throws {
                    _ = try await MatchingService.supplierCalls.handle(try events.map { try ConsumedEvent(envelope: $0) }, pool: pool)
                }
                try await record(quotes)
                let later = try quote(1, "A", "99.00", at: Date().addingTimeInterval(1))
                try await record([later])
                try await record(quotes)  // redelivered (and older than the later quote): changes nothing
                let prices = try await scores.prices(hotel: Int64(hotel), rates: nil)
                #expect(prices == [ordered[0]: PriceStanding(compared: 3, cheapest: 1), ordered[1]: PriceStanding(compared: 3, cheapest: 3),
                                   ordered[2]: PriceStanding(compared: 1, cheapest: 1)], "without rates, one currency at a time: \(prices)")
                // With rates (HKD the base): D's 100 USD (720.00) against 80 EUR (624.00), and H's tie, compared too.
                let rates = ExchangeRateRepository(pool: pool, base: Self.base)
                _ = try await rates.set("EUR", to: Amount("7.8")!, by: "test")
                _ = try await rates.set("USD", to: Amount("7.2")!, by: "test")
                let converted = try await scores.prices(hotel: Int64(hotel), rates: ExchangeRates(base: Self.base, rates: ["EUR": Amount("7.8")!, "USD": Amount("7.2")!]))
                #expect(converted == [ordered[0]: PriceStanding(compared: 5, cheapest: 2), ordered[1]: PriceStanding(compared: 4, cheapest: 4),
                                      ordered[2]: PriceStanding(compared: 2, cheapest: 2)], "\(converted)")

                let ranked = try #require(try await client.call("/hotels/\(hotel)/suppliers", .get).json as? [[String: Any]])
                #expect(ranked.map { $0["supplier"] as? String } == [ordered[1], ordered[2], ordered[0]], "rooms, confirmations and prices first, failing last: \(ranked)")
                #expect(ranked.map { $0["price"] as? Double } == [0.8333, 0.75, 0.4286], "with the rates matching read from pricing")
                for supplier in ranked {
                    let parts = ["price", "rating", "availability", "reliability"].map { supplier[$0] as? Double ?? -1 }
                    let score = 0.4 * parts[0] + 0.3 * parts[1] + 0.2 * parts[2] + 0.1 * parts[3]
                    #expect(abs(score - (supplier["score"] as? Double ?? -1)) < 0.0002, "weighted_score with the standard weights: \(supplier)")
                }
            }
        }
    }
}

extension TestClientProtocol {
    /// Registers a simulated supplier in a live supplier-adapter (not this client's service).
    func registerDirect(_ supplier: String, simulator: Simulator, adapter: String) async throws -> String {
        let (code, body) = simulator.registration(supplier)
        let path = "/api/v1/admin/suppliers"
        var request = URLRequest(url: URL(string: adapter + path)!)
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: body)
        for field in operatorHeaders(.post, path) { request.setValue(field.value, forHTTPHeaderField: field.name.rawName) }
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 201, "\(String(decoding: data, as: UTF8.self))")
        return code
    }
}
