// supplier-sim as a supplier: a world that is the same on every run, spellings that differ the way
// real feeds do, and each protocol refusing what a real supplier would refuse.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import Shared
@testable import SupplierSim
import SupplierProtocols
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
