// supplier-sim as a supplier: a world that is the same on every run, spellings that differ the way
// real feeds do, and each protocol refusing what a real supplier would refuse.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import Shared
@testable import SupplierSim
import SupplierProtocols
import Hummingbird
import NIOConcurrencyHelpers
import NIOPosix
import Testing

@Suite struct SimulatorWorldTests {
    @Test func theSameSeedGivesTheSameWorld() {
        let one = SimulatedMarket(world: .generate(seed: "s", hotelsPerCity: 30))
        let two = SimulatedMarket(world: .generate(seed: "s", hotelsPerCity: 30))
        #expect(one.catalogs["sunbeds"]!.entries.map(\.hotel) == two.catalogs["sunbeds"]!.entries.map(\.hotel))
        let other = SimulatedMarket(world: .generate(seed: "t", hotelsPerCity: 30))
        #expect(one.catalogs["sunbeds"]!.entries.map(\.hotel.name) != other.catalogs["sunbeds"]!.entries.map(\.hotel.name))
    }

    @Test func mostHotelsAreSoldByTwoOrThreeSuppliersUnderDifferentNames() async throws {
        let market = try await NIOThreadPool.singleton.runIfActive { SimulatedMarket() }
        #expect(market.world.hotels.count >= 2000 && Set(market.world.hotels.map(\.city.name)).count >= 20)
        for catalog in market.catalogs.values { #expect((1800...2300).contains(catalog.entries.count), "\(catalog.supplier.code): \(catalog.entries.count)") }
        let truth = market.groundTruth
        #expect(Set(truth.map { "\($0.supplier)|\($0.hotelCode)" }).count == truth.count, "codes are unique per supplier")
        let sellers = Dictionary(grouping: truth, by: \.hotelId).mapValues(\.count)
        let shared = sellers.values.filter { $0 >= 2 }.count
        #expect(Double(shared) / Double(sellers.count) > 0.8, "most hotels at 2 or 3 suppliers: \(shared) of \(sellers.count)")
        let names = Dictionary(grouping: market.catalogs.values.flatMap(\.entries), by: \.real.id).values.filter { $0.count == 3 }
        let differentlyNamed = names.filter { Set($0.map(\.hotel.name)).count > 1 }.count
        #expect(Double(differentlyNamed) / Double(names.count) > 0.9, "the same hotel is spelled differently")
        let twins = market.world.hotels.filter { $0.lookalikeOf != nil }
        #expect(twins.count > 100, "look-alike hotels: \(twins.count)")
        for twin in twins.prefix(50) {
            let original = market.world.hotels[twin.lookalikeOf!]
            #expect(twin.street == original.street && twin.chain?.code == original.chain?.code && twin.name != original.name)
        }
    }
}

@Suite struct SimulatorProtocolTests {
    func post(_ url: String, _ body: String, headers: [String: String] = [:]) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test func theBedBankRefusesAWrongOrStaleSignature() async throws {
        let simulator = try await Simulator.start()
        defer { Task { await simulator.server.stop() } }
        let key = simulator.credentials.key("globebeds"), secret = simulator.credentials.secret("globebeds")
        let url = "\(simulator.server.base)/globebeds/hotel-api/1.0/checkrates"
        let now = Int(Date().timeIntervalSince1970)
        for (signature, accepted) in [
            (BedBankSignature.sign(key: key, secret: secret, unixSeconds: now), true),
            (BedBankSignature.sign(key: key, secret: "wrong", unixSeconds: now), false),
            (BedBankSignature.sign(key: key, secret: secret, unixSeconds: now - 600), false),
            ("", false),
        ] {
            let (status, body) = try await post(url, #"{"rooms":[{"rateKey":"x"}]}"#, headers: ["Api-key": key, "X-Signature": signature])
            #expect(accepted ? status == 400 && body.contains("INVALID_RATEKEY") : status == 401 && body.contains("AUTHENTICATION"), "\(status) \(body)")
        }
        let (status, body) = try await post(url, #"{"rooms": "#, headers: ["Api-key": key, "X-Signature": BedBankSignature.sign(key: key, secret: secret, unixSeconds: now)])
        #expect(status == 400 && body.contains("INVALID_REQUEST"), "malformed JSON: \(body)")
    }

    @Test func openTravelRefusesMalformedXMLAndWrongPasswords() async throws {
        let simulator = try await Simulator.start()
        defer { Task { await simulator.server.stop() } }
        let url = "\(simulator.server.base)/otaconnect/ota"
        let (status, body) = try await post(url, "<OTA_HotelAvailRQ><POS></OTA_HotelAvailRQ>")
        #expect(status == 400 && body.contains("malformed XML"), "\(body)")
        let wrong = OpenTravel.request("OTA_ReadRQ", user: "otaconnect-user", password: "nope", children: [])
        let (_, refused) = try await post(url, wrong.document)
        let answer = try XMLElement(parsing: refused)
        #expect(answer.localName == "OTA_ReadRS" && answer.path("Errors", "Error")?["Code"] == "497", "\(refused)")
        let unknown = OpenTravel.request("OTA_PingRQ", user: "otaconnect-user", password: simulator.credentials.secret("otaconnect"), children: [])
        #expect(try await post(url, unknown.document).1.contains("unsupported message"))
    }
}

@Suite struct FaultPlanTests {
    func plan(_ json: String) throws -> FaultPlan { try PlatformJSON.decoder.decode(FaultPlan.self, from: Data(json.utf8)) }

    @Test func longTailedLatencyHasTheMedianAndTailAsked() throws {
        let plan = try plan(#"{"latency_p50_ms": 100, "latency_p99_ms": 1000}"#)
        var random = SeededRandom(seed: 7)
        let samples = (0..<20_000).map { _ in plan.draw(using: &random).latency }.sorted()
        let p50 = samples[10_000].components.seconds * 1000 + samples[10_000].components.attoseconds / 1_000_000_000_000_000
        let p99 = samples[19_800].components.seconds * 1000 + samples[19_800].components.attoseconds / 1_000_000_000_000_000
        #expect((90...110).contains(p50), "median \(p50) ms")
        #expect((850...1150).contains(p99), "99th percentile \(p99) ms")
    }

    /// The latency is the time to the answer: the answer is written at once and held until due (not
    /// written once the latency has passed, which made a supplier set to 1 s answer in 1 s plus the
    /// time to write its answer), and never sent before it is due.
    @Test func theLatencyIsTheTimeToTheAnswer() async throws {
        let board = FaultBoard()
        board.set(try plan(#"{"latency_min_ms": 2000, "latency_max_ms": 2000}"#), for: "sunbeds")
        let clock = ContinuousClock()
        let started = clock.now
        let written = NIOLockedValueBox<ContinuousClock.Instant?>(nil)
        _ = try await FaultInjector(board: board).run("sunbeds", error: { Response(status: .internalServerError) }, malformed: { Response(status: .ok) }) {
            written.withLockedValue { $0 = clock.now }
            return Response(status: .ok)
        }
        let answered = clock.now
        let writing = try #require(written.withLockedValue { $0 })
        #expect(writing - started < .seconds(1), "the answer is written at once, not after the latency: \(writing - started)")
        #expect(answered - started >= .seconds(2), "and sent when due: \(answered - started)")
    }

    @Test func outcomesFollowTheRatesAndBadPlansAreRefused() throws {
        var random = SeededRandom(seed: 1)
        let always = try plan(#"{"error_rate": 1}"#)
        #expect((0..<100).allSatisfy { _ in always.draw(using: &random).outcome == .error })
        let never = try plan("{}")
        #expect((0..<100).allSatisfy { _ in never.draw(using: &random).outcome == .normal })
        let mixed = try plan(#"{"timeout_rate": 0.2, "malformed_rate": 0.3}"#)
        let outcomes = (0..<10_000).map { _ in mixed.draw(using: &random).outcome }
        #expect((1800...2200).contains(outcomes.filter { $0 == .hang }.count) && (2700...3300).contains(outcomes.filter { $0 == .malformed }.count))
        for bad in [#"{"error_rate": 1.5}"#, #"{"latency_min_ms": 10, "latency_max_ms": 5}"#, #"{"latency_p50_ms": 100}"#, #"{"hang_ms": -1}"#] {
            #expect(throws: DecodingError.self) { try plan(bad) }
        }
    }
}
