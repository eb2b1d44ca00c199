// Searching through query-engine against the simulated suppliers: priced and signed offers from
// every supplier, the cache (fresh, stale and refreshed once), slow and failing suppliers costing
// only their own offers, offer ids that cannot be altered or borrowed, and bad input.

import Foundation
import Hummingbird
import NIOConcurrencyHelpers
@testable import QueryEngine
@testable import Shared
import Testing
import TestSupport

extension SupplyChainTests {
    @Suite(.serialized) struct SearchTests {
        static func stay(_ daysAhead: Int, nights: Int = 2) -> (String, String) {
            let today = CalendarDate(utc: Date())
            return (today.adding(days: daysAhead).description, today.adding(days: daysAhead + nights).description)
        }

        static func paris(_ daysAhead: Int, nights: Int = 2, extra: [String: Any] = [:]) -> [String: Any] {
            let (checkIn, checkOut) = stay(daysAhead, nights: nights)
            return ["destination": ["city": "Paris", "country": "FR"], "check_in": checkIn, "check_out": checkOut, "rooms": [["adults": 2]], "currency": "EUR"]
                .merging(extra) { $1 }
        }

        static func outcomes(_ json: [String: Any]) -> [String] {
            ((json["sources"] as? [[String: Any]]) ?? []).compactMap { $0["outcome"] as? String }.sorted()
        }

        @Test func aDistributorSearchesAndPriceChecksThroughTheGateway() async throws {
            try await SearchHarness.run { stack in
                try await GatewayHarness(["QUERY_ENGINE_URL": stack.queryEngine]).run { client in
                    let distributor = try await client.newDistributor(admin: try await client.adminToken())
                    let token = try await client.token(key: distributor.key, secret: distributor.secret)
                    let found = try await client.json("/api/v1/search", .post, token: token, body: Self.paris(120), expect: .ok)
                    #expect(Self.outcomes(found) == ["ok", "ok", "ok"], "\(found.keys.sorted())")
                    let offers = Self.offers(found, tenant: distributor.tenant)
                    #expect(!offers.isEmpty && offers.allSatisfy { $0.terms.tenantId == distributor.tenant }, "offers bound to the caller's tenant")
                    let checked = try await client.json("/api/v1/offers/\(try #require(offers.first).id)/price-check", .post, token: token, expect: .ok)
                    #expect(["AVAILABLE", "PRICE_CHANGED", "SOLD_OUT"].contains(checked["status"] as? String ?? ""), "\(checked)")
                    let hotel = try #require((found["hotels"] as? [[String: Any]])?.first?["id"] as? Int)
                    let content = try await client.json("/api/v1/hotels/\(hotel)", .get, token: token, expect: .ok)
                    #expect(content["id"] as? Int == hotel && content["name"] is String)
                    try await client.execute(uri: "/api/v1/search", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{}")) { response in
                        #expect(response.status == .unauthorized && response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                    }
                }
            }
        }

        @Test func searchAnswersPricedSignedOffersFromEverySupplierThenFromTheCache() async throws {
            try await SearchHarness.run { stack in
                let first = try await stack.search(Self.paris(30))
                #expect(first.status == 200, "\(first.text.prefix(500))")
                let hotels = try #require(first.json["hotels"] as? [[String: Any]])
                #expect(!hotels.isEmpty && first.json["total"] as? Int ?? 0 >= hotels.count)
                #expect(Self.outcomes(first.json) == ["ok", "ok", "ok"], "\(String(describing: first.json["sources"]))")
                let cheapest = hotels.compactMap { Decimal(string: ($0["cheapest"] as? [String: Any])?["amount"] as? String ?? "") }
                #expect(cheapest.count == hotels.count && cheapest == cheapest.sorted(), "sorted by price")
                for hotel in hotels {
                    let rooms = try #require(hotel["rooms"] as? [[String: Any]])
                    let offers = try #require(rooms.first?["offers"] as? [[String: Any]])
                    #expect(!offers.isEmpty && offers.allSatisfy { ($0["offer_id"] as? String)?.hasPrefix("v1.") == true })
                    #expect(offers.allSatisfy { ($0["total"] as? [String: Any])?["currency"] as? String == "EUR" })
                }
                for secret in Array(stack.suppliers.keys) + ["globebeds", "otaconnect", "sunbeds", "\"net\"", "rate_key"] {
                    #expect(!first.text.contains(secret), "the answer never names a supplier or shows a net price: \(secret)")
                }
                // Asked again while fresh: the same answer (the same offers) under its own search id, not worked out again.
                let callsBefore = try await Self.availabilityCalls(stack)
                let again = try await stack.search(Self.paris(30))
                #expect(Self.outcomes(again.json) == ["cached", "cached", "cached"])
                #expect((again.json["hotels"] as? [[String: Any]])?.map { $0["id"] as? Int } == hotels.map { $0["id"] as? Int })
                #expect(Self.offers(again.json).map(\.id) == Self.offers(first.json).map(\.id) && !Self.offers(first.json).isEmpty)
                let ids = [first, again].map { $0.json["search_id"] as? String }
                #expect(ids[0] != nil && ids[1] != nil && ids[0] != ids[1], "\(ids)")
                #expect(try await Self.availabilityCalls(stack) == callsBefore)
                // The business dashboard's series: two searches, the second from memory; one fresh answer per supplier.
                let metrics = String(buffer: try await stack.http.execute(.get, stack.queryEngine + "/metrics", timeout: .seconds(5)).body)
                #expect(Self.total(metrics, "searches_total{", #"answered="suppliers""#) == 1, "\(metrics)")
                #expect(Self.total(metrics, "searches_total{", #"answered="memo""#) == 1)
                #expect(Self.total(metrics, "search_supplier_answers_total{", #"outcome="ok""#) == 3)
                #expect(Self.total(metrics, "search_supplier_answers_total{", #"outcome="error""#) == 0)
            }
        }

        /// The sum of a counter's series whose labels contain `label`, in a /metrics text.
        static func total(_ metrics: String, _ series: String, _ label: String) -> Int {
            metrics.split(separator: "\n").filter { $0.hasPrefix(series) && $0.contains(label) }
                .compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0) { $0 + Int($1) }
        }

        @Test func aSlowSupplierAndAFailingOneCostOnlyTheirOwnOffers() async throws {
            try await SearchHarness.run(queryEngine: ["QUERY_TIMEOUT_MS": "1500"]) { stack in
                try await stack.simulator.setFaults("otaconnect", ["latency_min_ms": 5000, "latency_max_ms": 5000])
                try await stack.simulator.setFaults("sunbeds", ["error_rate": 1.0])
                let started = ContinuousClock.now
                let answer = try await stack.search(Self.paris(40))
                let took = started.duration(to: .now)
                #expect(answer.status == 200, "\(answer.text.prefix(300))")
                #expect(took < .milliseconds(1500 + 700), "within the deadline and a small margin: \(took)")
                #expect(Self.outcomes(answer.json) == ["error", "ok", "timeout"], "\(String(describing: answer.json["sources"]))")
                #expect(!((answer.json["hotels"] as? [[String: Any]]) ?? []).isEmpty, "the healthy supplier's offers")
            }
        }

        /// A supplier slower than the search's deadline is not asked again by the next searches: its
        /// call goes on after the search stops waiting, and its late answer is kept for them.
        @Test func aSupplierAnswerLaterThanTheDeadlineServesTheNextSearches() async throws {
            try await SearchHarness.run(queryEngine: ["QUERY_TIMEOUT_MS": "2000", "SEARCH_CACHE_FRESH_MS": "30000"]) { stack in
                try await stack.simulator.setFaults("otaconnect", ["latency_min_ms": 4000, "latency_max_ms": 4000])
                let before = try await Self.availabilityCalls(stack)
                let first = Self.outcomes(try await stack.search(Self.paris(45)).json)
                #expect(first == ["ok", "ok", "timeout"], "\(first)")
                let kept = try await eventually(within: .seconds(10)) {
                    Self.outcomes(try await stack.search(Self.paris(45)).json) == ["cached", "cached", "cached"]
                }
                #expect(kept, "the slow supplier's late answer served a later search")
                #expect(try await Self.availabilityCalls(stack) - before == 3, "each supplier asked once")
            }
        }

        /// The suppliers that have answered are priced while a slower one is still awaited, not all
        /// together after it.
        @Test func eachSupplierAnswerIsPricedAsSoonAsItIsIn() async throws {
            try await SearchHarness.run { stack in
                try await stack.simulator.setFaults("otaconnect", ["latency_min_ms": 2000, "latency_max_ms": 2000])
                let before = try await Self.priceBatches(stack)
                let answered = NIOLockedValueBox(false)
                let search = Task {
                    defer { answered.withLockedValue { $0 = true } }
                    return Self.outcomes(try await stack.search(Self.paris(160)).json)
                }
                let early = try await eventually(within: .milliseconds(1800)) { (try? await Self.priceBatches(stack)) == before + 2 }
                #expect(early && !answered.withLockedValue { $0 }, "the two quick suppliers priced while the slow one is awaited")
                let outcomes = try await search.value
                #expect(outcomes == ["ok", "ok", "ok"], "\(outcomes)")
                #expect(try await Self.priceBatches(stack) == before + Self.batchesPerSearch, "and the slow one once it answered")
            }
        }

        @Test func aStaleAnswerIsServedAndRefreshedOnceForFiftySearches() async throws {
            try await SearchHarness.run(queryEngine: ["SEARCH_CACHE_FRESH_MS": "3000"]) { stack in
                #expect(try await stack.search(Self.paris(50)).status == 200)
                try await Task.sleep(for: .milliseconds(3200))
                let before = try await Self.availabilityCalls(stack)
                let answers = try await withThrowingTaskGroup(of: [String].self) { group in
                    for _ in 0..<50 { group.addTask { Self.outcomes(try await stack.search(Self.paris(50)).json) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                // Stale until the one refresh lands, cached after: never a search waiting for a supplier.
                #expect(answers.allSatisfy { $0.allSatisfy { ["stale", "cached"].contains($0) } } && answers.contains { $0.contains("stale") }, "\(Set(answers))")
                try await Task.sleep(for: .milliseconds(300))
                #expect(try await Self.availabilityCalls(stack) - before == 3, "one refresh per supplier, not fifty")
                let renewed = Self.outcomes(try await stack.search(Self.paris(50)).json)
                #expect(renewed == ["cached", "cached", "cached"], "renewed: \(renewed)")
            }
        }

        @Test func staleAnswersPastTheRenewalLimitAreServedAndRenewedByLaterSearches() async throws {
            try await SearchHarness.run(queryEngine: ["SEARCH_CACHE_FRESH_MS": "5000", "SEARCH_REFRESH_LIMIT": "1"]) { stack in
                #expect(Self.outcomes(try await stack.search(Self.paris(60)).json) == ["ok", "ok", "ok"])
                try await Task.sleep(for: .milliseconds(5200))
                for supplier in stack.suppliers.values { try await stack.simulator.setFaults(supplier, ["latency_min_ms": 600, "latency_max_ms": 600]) }
                let before = try await Self.availabilityCalls(stack)
                let skipped = { Self.total(String(buffer: try await stack.http.execute(.get, stack.queryEngine + "/metrics", timeout: .seconds(5)).body),
                                           "search_cache_renewals_skipped_total ", " ") }
                #expect(Self.outcomes(try await stack.search(Self.paris(60)).json) == ["stale", "stale", "stale"], "served at once, not waited for")
                try await Task.sleep(for: .milliseconds(1200))
                #expect(try await Self.availabilityCalls(stack) == before + 1, "one renewal at a time")
                let skippedFirst = try await skipped()
                #expect(skippedFirst == 2, "the other two stale answers served without one: \(skippedFirst)")
                // Later searches renew the rest, one at a time, until every answer is fresh again.
                let renewed = try await eventually(within: .seconds(8)) {
                    try await Task.sleep(for: .milliseconds(300))
                    return Self.outcomes(try await stack.search(Self.paris(60)).json) == ["cached", "cached", "cached"]
                }
                #expect(renewed, "every answer renewed by the searches that followed")
                #expect(try await Self.availabilityCalls(stack) == before + 3, "each once")
            }
        }

        @Test func aSearchOnStaleAnswersIsKeptUntilTheyAreRenewed() async throws {
            // Kept for 2 s (a quarter of 8 s); the renewal lands after 0.7 s.
            try await SearchHarness.run(queryEngine: ["SEARCH_CACHE_FRESH_MS": "8000"]) { stack in
                #expect(Self.outcomes(try await stack.search(Self.paris(70)).json) == ["ok", "ok", "ok"])
                try await Task.sleep(for: .milliseconds(8200))
                for supplier in stack.suppliers.values { try await stack.simulator.setFaults(supplier, ["latency_min_ms": 700, "latency_max_ms": 700]) }
                let before = try await Self.availabilityCalls(stack)
                let first = try await stack.search(Self.paris(70)).json
                #expect(Self.outcomes(first) == ["stale", "stale", "stale"])
                let pricedBefore = try await Self.priceBatches(stack)
                let again = try await stack.search(Self.paris(70)).json
                #expect(Self.outcomes(again) == ["stale", "stale", "stale"] && Self.offers(again).map(\.id) == Self.offers(first).map(\.id), "the same answer")
                #expect(try await Self.priceBatches(stack) == pricedBefore, "kept, not worked out again while its answers are renewed")
                #expect(try await eventually(within: .seconds(3)) { (try? await Self.availabilityCalls(stack)) == before + 3 }, "renewed once each")
                try await Task.sleep(for: .milliseconds(100))
                let renewed = Self.outcomes(try await stack.search(Self.paris(70)).json)
                #expect(renewed == ["cached", "cached", "cached"], "once renewed, the kept answer is forgotten: \(renewed)")
            }
        }

        @Test func identicalSearchesAtOnceAreWorkedOutOnce() async throws {
            try await SearchHarness.run { stack in
                let pricedBefore = try await Self.priceBatches(stack)
                let answers = try await withThrowingTaskGroup(of: (Int, String?, [String]).self) { group in
                    for _ in 0..<20 {
                        group.addTask {
                            let answer = try await stack.search(Self.paris(130))
                            return (answer.status, answer.json["search_id"] as? String, Self.offers(answer.json).map(\.id))
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(answers.allSatisfy { $0.0 == 200 && !$0.2.isEmpty } && Set(answers.map(\.2)).count == 1, "one answer for all")
                #expect(Set(answers.compactMap(\.1)).count == 20, "each under its own search id")
                #expect(try await Self.priceBatches(stack) - pricedBefore == Self.batchesPerSearch, "priced once")
            }
        }

        @Test func aRepeatedSearchRenewsItsAnswersBeforeTheyGoStale() async throws {
            try await SearchHarness.run(queryEngine: ["SEARCH_CACHE_FRESH_MS": "3000"]) { stack in
                let started = ContinuousClock.now
                #expect(Self.outcomes(try await stack.search(Self.paris(140)).json) == ["ok", "ok", "ok"])
                try await Task.sleep(until: started + .milliseconds(1700))
                let before = try await Self.availabilityCalls(stack), pricedBefore = try await Self.priceBatches(stack)
                #expect(Self.outcomes(try await stack.search(Self.paris(140)).json) == ["cached", "cached", "cached"], "the kept answer")
                #expect(try await eventually(within: .seconds(5)) { (try? await Self.availabilityCalls(stack)) == before + 3 }, "renewed in the background")
                #expect(try await eventually(within: .seconds(5)) { (try? await Self.priceBatches(stack)) == pricedBefore + Self.batchesPerSearch }, "and worked out again")
                try await Task.sleep(until: started + .milliseconds(3300))
                let later = Self.outcomes(try await stack.search(Self.paris(140)).json)
                #expect(later == ["cached", "cached", "cached"], "past the first answers' freshness, still fresh: \(later)")
                #expect(try await Self.priceBatches(stack) == pricedBefore + Self.batchesPerSearch, "answered from the renewed answer, not worked out while asked")
            }
        }

        /// A renewal that fails gives its lock back: the kept search's next renewal, a moment later,
        /// tries again and the answer never goes stale (held, the lock stopped it for half the
        /// freshness period and the kept search expired on a stale answer).
        @Test func aFailedRenewalIsTriedAgainBeforeTheAnswerGoesStale() async throws {
            try await SearchHarness.run(queryEngine: ["SEARCH_CACHE_FRESH_MS": "4000"]) { stack in
                let started = ContinuousClock.now
                #expect(Self.outcomes(try await stack.search(Self.paris(150)).json) == ["ok", "ok", "ok"])
                try await stack.simulator.setFaults("sunbeds", ["error_rate": 1.0])
                try await Task.sleep(until: started + .milliseconds(2200))
                let before = try await Self.availabilityCalls(stack), pricedBefore = try await Self.priceBatches(stack)
                #expect(Self.outcomes(try await stack.search(Self.paris(150)).json) == ["cached", "cached", "cached"])
                #expect(try await eventually(within: .seconds(3)) { (try? await Self.priceBatches(stack)) == pricedBefore + Self.batchesPerSearch }, "renewed (one supplier failing) and worked out again")
                #expect(try await Self.availabilityCalls(stack) == before + 3)
                try await stack.simulator.setFaults("sunbeds", [:])
                // The kept search expires with the failed answer (4 s after the first), renewed from about 3.1 s.
                try await Task.sleep(until: started + .milliseconds(3300))
                _ = try await stack.search(Self.paris(150))
                #expect(try await eventually(within: .seconds(2)) { (try? await Self.availabilityCalls(stack)) == before + 4 }, "the failed one tried again")
                try await Task.sleep(until: started + .milliseconds(4500))
                let later = Self.outcomes(try await stack.search(Self.paris(150)).json)
                #expect(later == ["cached", "cached", "cached"], "past the failed answer's freshness, still fresh: \(later)")
            }
        }

        /// A search is priced in one batch per supplier answer, as each comes in: three at Paris.
        static let batchesPerSearch = 3

        /// The batches pricing has priced, from its metrics.
        static func priceBatches(_ stack: SearchStack) async throws -> Int {
            let text = String(buffer: try await stack.http.execute(.get, stack.pricing + "/metrics", timeout: .seconds(5)).body)
            return text.split(separator: "\n").filter { $0.hasPrefix("http_requests_total{") && ($0.contains(#"route="/prices/by-hotel""#) || $0.contains(#"route="/prices""#)) }
                .compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0) { $0 + Int($1) }
        }

        /// The availability calls supplier-adapter has made, from its metrics.
        static func availabilityCalls(_ stack: SearchStack) async throws -> Int {
            let text = String(buffer: try await stack.http.execute(.get, stack.adapter + "/metrics", timeout: .seconds(5)).body)
            return text.split(separator: "\n").filter { $0.hasPrefix("supplier_calls_total{") && $0.contains(#"operation="availability""#) }
                .compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0) { $0 + Int($1) }
        }

        @Test func offerIdsCannotBeReadAlteredBorrowedOrMadeUp() async throws {
            try await SearchHarness.run { stack in
                let found = try await stack.search(Self.paris(60))
                let offer = try #require((((found.json["hotels"] as? [[String: Any]])?.first?["rooms"] as? [[String: Any]])?.first?["offers"] as? [[String: Any]])?.first)
                let id = try #require(offer["offer_id"] as? String)
                let dot = try #require(id.lastIndex(of: "."))
                let payload = String(id[..<dot]), mac = String(id[id.index(after: dot)...])
                #expect(payload.hasPrefix("v1.") && !(Base64URL.decode(payload.dropFirst(3)).map { String(decoding: $0, as: UTF8.self) } ?? "").contains("EUR"),
                        "sealed: the terms cannot be read")
                // Terms with a lower price, sealed and signed under another secret; one byte of the sealed terms changed under the old signature.
                var terms = try Self.tokens.verify(id, tenant: "t-search", now: Int(Date().timeIntervalSince1970))
                terms.sell = Money(Amount("1.00")!, "EUR")
                let forged = try OfferTokens(secret: "another-secret-of-at-least-32-bytes-long").sign(terms)
                var bytes = Array(payload.utf8)
                bytes[bytes.count / 2] = bytes[bytes.count / 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
                let altered = String(decoding: bytes, as: UTF8.self) + "." + mac
                for (token, tenant) in [(forged, "t-search"), (altered, "t-search"), (id, "t-other"), ("garbage", "t-search"), (payload + ".", "t-search")] {
                    let answer = try await stack.call(.post, "/api/v1/offers/\(token.percentEncoded)/price-check", tenant: tenant)
                    #expect(answer.status == 400 && answer.json["code"] as? String == "invalid_offer", "\(answer.text)")
                }
                let checked = try await stack.call(.post, "/api/v1/offers/\(id)/price-check")
                #expect(checked.status == 200 && ["AVAILABLE", "PRICE_CHANGED"].contains(checked.json["status"] as? String ?? ""), "\(checked.text)")
            }
        }

        static let tokens = OfferTokens(secret: ServiceEnvironment.secrets["OFFER_TOKEN_SECRET"]!)

        /// Every offer of an answer with the terms its offer_id carries (opened with the secret: a distributor cannot).
        static func offers(_ json: [String: Any], tenant: String = "t-search") -> [(id: String, terms: OfferTerms)] {
            ((json["hotels"] as? [[String: Any]]) ?? []).flatMap { ($0["rooms"] as? [[String: Any]]) ?? [] }.flatMap { ($0["offers"] as? [[String: Any]]) ?? [] }
                .compactMap { offer in
                    guard let id = offer["offer_id"] as? String, let terms = try? tokens.verify(id, tenant: tenant, now: Int(Date().timeIntervalSince1970)) else { return nil }
                    return (id, terms)
                }
        }

        @Test func priceCheckAnswersAvailablePriceChangedAndSoldOut() async throws {
            try await SearchHarness.run { stack in
                let found = Self.offers(try await stack.search(Self.paris(70, extra: ["page_size": 100])).json)
                #expect(found.count > 20)
                // The simulator reprices some of its RECHECK rates when they are checked.
                var changed: [String: Any]?
                for (id, terms) in found where terms.rateType == .recheck {
                    let answer = try await stack.call(.post, "/api/v1/offers/\(id)/price-check")
                    #expect(answer.status == 200, "\(answer.text)")
                    if answer.json["status"] as? String == "PRICE_CHANGED" {
                        changed = answer.json
                        let renewed = try #require((answer.json["offer"] as? [String: Any])?["offer_id"] as? String)
                        #expect(renewed != id, "a new offer_id for the new price")
                        let again = try await stack.call(.post, "/api/v1/offers/\(renewed)/price-check")
                        #expect(again.json["status"] as? String == "AVAILABLE", "the new offer holds: \(again.text)")
                        break
                    }
                }
                #expect(changed != nil, "one of \(found.filter { $0.terms.rateType == .recheck }.count) RECHECK rates changed its price")
                let bookable = try #require(found.first { $0.terms.rateType == .bookable })
                #expect(try await stack.call(.post, "/api/v1/offers/\(bookable.id)/price-check").json["status"] as? String == "AVAILABLE")
                // Book every room left at that rate directly with the supplier: then it is sold out.
                let (supplier, rateKey) = (bookable.terms.supplier, bookable.terms.rateKey)
                let adapter = SupplierAdapterClient(baseURL: stack.adapter, http: stack.http)
                let left = try await adapter.checkRate(of: supplier, RateCheckRequest(rateKey: rateKey), origin: .job(), timeout: .seconds(10)).offer?.allotment ?? 1
                for n in 0..<left {
                    let path = "/suppliers/\(supplier)/bookings"
                    let body = try PlatformJSON.encoder.encode(SupplierBookingRequest(rateKey: rateKey, clientReference: "sold-out-\(n)-\(UUID().uuidString.prefix(6))",
                                                                                      holder: Guest(givenName: "Ada", surname: "Test")))
                    let booked = try await stack.http.execute(.post, stack.adapter + path, headers: [.contentType: "application/json"], body: ByteBuffer(data: body), timeout: .seconds(10))
                    #expect(booked.status == .created, "\(String(buffer: booked.body))")
                }
                let soldOut = try await stack.call(.post, "/api/v1/offers/\(bookable.id)/price-check")
                #expect(soldOut.json["status"] as? String == "SOLD_OUT" && soldOut.json["offer"] == nil, "\(soldOut.text)")
            }
        }

        @Test func directContractsAreSearchedAsOneMoreSupplier() async throws {
            try await SearchHarness.run { stack in
                let catalog = try await stack.call(.get, "/api/v1/hotels?city=Paris&country=FR")
                let hotel = try #require((catalog.json["hotels"] as? [[String: Any]])?.first?["id"] as? Int, "\(catalog.text.prefix(300))")
                let checkIn = Self.stay(45).0
                for (method, path, body) in [
                    (HTTPRequest.Method.post, "/api/v1/admin/inventory/hotels", ["hotel_id": hotel, "name": "Direct", "currency": "EUR"] as [String: Any]),
                    (.put, "/api/v1/admin/inventory/hotels/\(hotel)/room-types/DBL", ["name": "Double", "max_occupancy": 2]),
                    (.put, "/api/v1/admin/inventory/hotels/\(hotel)/rate-plans/BAR", ["name": "Flexible", "board": "BB", "refundable": true]),
                    (.post, "/api/v1/admin/inventory/hotels/\(hotel)/calendar", ["updates": [["room_type": "DBL", "from": checkIn, "to": Self.stay(46).0, "allotment": 3, "prices": ["BAR": "21.00"]]]]),
                ] {
                    let answer = try await stack.inventoryAdmin(method, path, body)
                    #expect((200..<300).contains(answer.status), "\(path): \(answer.text)")
                }
                let found = try await stack.search(Self.paris(45))
                #expect(Self.outcomes(found.json) == ["ok", "ok", "ok", "ok"], "inventory answers as a fourth source: \(String(describing: found.json["sources"]))")
                let direct = Self.offers(found.json).filter { $0.terms.supplier == directSupplier }
                #expect(direct.count == 1 && direct.first?.terms.masterHotelId == Int64(hotel) && direct.first?.terms.net == Money(Amount("42.00")!, "EUR"),
                        "one direct offer, two nights at 21 EUR: \(direct.map(\.terms))")
                let offer = try #require(direct.first)
                #expect(try await stack.call(.post, "/api/v1/offers/\(offer.id)/price-check").json["status"] as? String == "AVAILABLE")
                _ = try await stack.inventoryAdmin(.post, "/api/v1/admin/inventory/hotels/\(hotel)/calendar", ["updates": [
                    ["room_type": "DBL", "from": checkIn, "to": checkIn, "stop_sell": true]]])
                let stopped = try await stack.call(.post, "/api/v1/offers/\(offer.id)/price-check")
                #expect(stopped.json["status"] as? String == "SOLD_OUT", "\(stopped.text)")
            }
        }

        @Test func anExpiredOfferIsGone() async throws {
            try await SearchHarness.run(queryEngine: ["OFFER_TTL_SECONDS": "60"]) { stack in
                let offer = try #require(Self.offers(try await stack.search(Self.paris(80)).json).first)
                let tokens = Self.tokens
                var terms = try tokens.verify(offer.id, tenant: "t-search", now: Int(Date().timeIntervalSince1970))
                #expect(terms.expires > Int(Date().timeIntervalSince1970) + 30 && terms.expires <= Int(Date().timeIntervalSince1970) + 60)
                terms.expires = Int(Date().timeIntervalSince1970) - 1
                let answer = try await stack.call(.post, "/api/v1/offers/\(try tokens.sign(terms))/price-check")
                #expect(answer.status == 410 && answer.json["code"] as? String == "offer_expired", "\(answer.text)")
            }
        }

        @Test func everySearchIsPublishedAsSearchPerformed() async throws {
            let settings = try AMQPSettings(EnvironmentVariables(ServiceEnvironment.all))
            var spec = ConsumerSpec(queue: "test.searches.\(UUID().uuidString.prefix(8).lowercased())", bindingKeys: ["search.performed"])
            spec.retryDelay = .milliseconds(200)
            try await BrokerAdmin(settings: settings).declare(spec)
            let seen = NIOLockedValueBox<[EventEnvelope]>([])
            let persistent = NIOLockedValueBox<[Bool]>([])
            let consumer = EventConsumer(settings: settings, spec: spec, logger: .init(label: "test")) { batch in
                let events = try batch.map { try EventEnvelope(delivery: $0) }
                seen.withLockedValue { $0 += events }
                persistent.withLockedValue { $0 += batch.map(\.persistent) }
            }
            let running = Task { try await consumer.run() }
            defer { running.cancel() }
            try await SearchHarness.run { stack in
                let answer = try await stack.search(Self.paris(90), tenant: "t-events")
                #expect(answer.status == 200)
                #expect(try await eventually { seen.withLockedValue { $0.contains { $0.tenantId == "t-events" } } })
                let event = try #require(seen.withLockedValue { $0.first { $0.tenantId == "t-events" } })
                let data = try event.payload(as: SearchPerformed.self)
                #expect(event.type == "search.performed" && event.producer == "query-engine")
                #expect(data.destination == "city:Paris,FR" && data.hotels == answer.json["total"] as? Int && data.rooms == 1 && data.searchId == answer.json["search_id"] as? String)
                // Sent transient: the broker keeps it in memory, not on disk (a lost search count is
                // the price of half the broker's work per search).
                #expect(persistent.withLockedValue { !$0.isEmpty && !$0.contains(true) })
            }
        }

        @Test func searchesByPointByIdsWithFiltersAndSeveralRooms() async throws {
            try await SearchHarness.run { stack in
                let (checkIn, checkOut) = Self.stay(110)
                let base: [String: Any] = ["check_in": checkIn, "check_out": checkOut, "rooms": [["adults": 2]], "currency": "EUR"]
                // Around the first Paris hotel: nearest first, with distances.
                let paris = try #require(try await stack.search(Self.paris(110)).json["hotels"] as? [[String: Any]])
                let first = try #require(paris.first)
                let near = try await stack.search(base.merging(["destination": ["latitude": first["latitude"]!, "longitude": first["longitude"]!, "radius_km": 3]]) { $1 })
                let nearHotels = try #require(near.json["hotels"] as? [[String: Any]])
                let distances = nearHotels.compactMap { $0["distance_metres"] as? Double }
                #expect(!nearHotels.isEmpty && distances.count == nearHotels.count && distances == distances.sorted() && distances.allSatisfy { $0 <= 3000 },
                        "by distance: \(distances)")
                // By ids: those hotels only.
                let ids = paris.prefix(3).compactMap { $0["id"] as? Int }
                let byIds = try #require(try await stack.search(base.merging(["destination": ["hotel_ids": ids]]) { $1 }).json["hotels"] as? [[String: Any]])
                #expect(Set(byIds.compactMap { $0["id"] as? Int }) == Set(ids))
                // Filters hold for every hotel and offer they let through.
                let filtered = try await stack.search(Self.paris(110, extra: ["filters": ["min_stars": 3, "boards": ["BB"], "refundable_only": true, "max_price": "400"]]))
                let kept = try #require(filtered.json["hotels"] as? [[String: Any]])
                #expect(!kept.isEmpty && kept.count < paris.count, "\(kept.count) of \(paris.count)")
                for hotel in kept {
                    #expect((hotel["stars"] as? Int ?? 0) >= 3)
                    #expect(Decimal(string: (hotel["cheapest"] as? [String: Any])?["amount"] as? String ?? "") ?? 1000 <= 400)
                    let offers = ((hotel["rooms"] as? [[String: Any]])?.first?["offers"] as? [[String: Any]]) ?? []
                    #expect(offers.allSatisfy { $0["board"] as? String == "BB" && $0["refundable"] as? Bool == true })
                }
                // Two rooms: offers for each, and the cheapest stay is both rooms' cheapest offers summed.
                let two = try await stack.search(Self.paris(110, extra: ["rooms": [["adults": 2], ["adults": 1, "children_ages": [7]]]]))
                let hotel = try #require((two.json["hotels"] as? [[String: Any]])?.first)
                let rooms = try #require(hotel["rooms"] as? [[String: Any]])
                #expect(rooms.map { $0["room"] as? Int } == [0, 1] && rooms[1]["children_ages"] as? [Int] == [7])
                let cheapestEach = rooms.compactMap { (($0["offers"] as? [[String: Any]])?.first?["total"] as? [String: Any])?["amount"] as? String }.compactMap { Decimal(string: $0) }
                #expect(cheapestEach.count == 2 && Decimal(string: (hotel["cheapest"] as? [String: Any])?["amount"] as? String ?? "") == cheapestEach.reduce(0, +))
                // Paging: the second page continues the first.
                let page2 = try await stack.search(Self.paris(110, extra: ["page": 2, "page_size": 5]))
                let page1 = try await stack.search(Self.paris(110, extra: ["page": 1, "page_size": 10]))
                #expect((page2.json["hotels"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == Array(((page1.json["hotels"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int }.dropFirst(5).prefix(5)))
                // Content.
                let content = try await stack.call(.get, "/api/v1/hotels/\(first["id"]!)")
                #expect(content.status == 200 && content.json["name"] as? String == first["name"] as? String && content.json["suppliers"] == nil)
                let list = try await stack.call(.get, "/api/v1/hotels?city=Paris&country=FR&page_size=3")
                #expect((list.json["hotels"] as? [[String: Any]])?.count == 3 && list.json["total"] as? Int ?? 0 >= 3)
                #expect(try await stack.call(.get, "/api/v1/hotels/999999999").status == 404)
            }
        }

        @Test func badSearchesSayWhichFieldAndWhy() async throws {
            try await SearchHarness.run { stack in
                let today = CalendarDate(utc: Date())
                let cases: [([String: Any], Int, String)] = [
                    (Self.paris(-1), 422, "check_in"),
                    (Self.paris(10, nights: 31), 422, "check_out"),
                    (Self.paris(10, extra: ["destination": ["city": "Paris", "hotel_ids": [1]]]), 400, "destination"),
                    (Self.paris(10, extra: ["rooms": []]), 400, "rooms"),
                    (Self.paris(10, extra: ["rooms": [["adults": 2, "children_ages": [18]]]]), 400, "rooms[0].children_ages"),
                    (Self.paris(10, extra: ["currency": "euro"]), 400, "currency"),
                    (Self.paris(10, extra: ["sort": "distance"]), 400, "sort"),
                    (Self.paris(10, extra: ["check_in": today.adding(days: 501).description, "check_out": today.adding(days: 503).description]), 422, "check_in"),
                ]
                for (body, status, field) in cases {
                    let answer = try await stack.search(body)
                    #expect(answer.status == status && answer.json["field"] as? String == field, "\(field): \(answer.text)")
                }
                let misspelt = try await stack.search(Self.paris(10, extra: ["filters": ["min_star": 4]]))
                #expect(misspelt.status == 400 && misspelt.text.contains("min_star"), "\(misspelt.text)")
            }
        }
    }
}
