// pricing's exchange rates: operators set, read and remove them with every change recorded, other
// services read them, and bad input gets a clear answer.

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Pricing
@testable import Shared
import Testing
import TestSupport

@Suite(.serialized) struct ExchangeRateTests {
    static let path = "/api/v1/admin/pricing/exchange-rates"

    func run(_ body: @escaping @Sendable (any TestClientProtocol, PostgresPool) async throws -> Void) async throws {
        let env = EnvironmentVariables(ServiceEnvironment.all)
        #expect(await MigrateCommand.run(PricingService.definition, environment: env, arguments: ["migrate", "up"]) == 0)
        let pool = PostgresPool(settings: try PostgresSettings(env, applicationName: "test"), logger: .init(label: "test"))
        // Rates against CNY are this suite's (matching's tests use another base).
        _ = try await pool.execute("DELETE FROM pricing.exchange_rates WHERE base = 'CNY'")
        _ = try await pool.execute("DELETE FROM pricing.exchange_rate_changes WHERE base = 'CNY'")
        let pricing = try ServiceRunner.assemble(PricingService.definition, environment: env, logSink: .capturing())
        try await pricing.application.test(.router) { client in try await body(client, pool) }
        try await pool.shutdown()
    }

    @Test func operatorsSetReadAndRemoveRatesAndEveryChangeIsRecorded() async throws {
        try await run { client, _ in
            func put(_ currency: String, _ rate: String) async throws -> (HTTPResponse.Status, [String: Any]?) {
                let path = "\(Self.path)/\(currency)"
                let (status, json) = try await client.call(path, .put, body: ["rate": rate], headers: client.operatorHeaders(.put, path))
                return (status, json as? [String: Any])
            }
            let (status, eur) = try await put("EUR", "7.8123")
            #expect(status == .ok && eur?["rate"] as? String == "7.8123" && eur?["updated_by"] as? String == "00000000-0000-0000-0000-00000000000a", "\(String(describing: eur))")
            #expect(try await put("EUR", "7.81230").0 == .ok, "the same rate again")
            #expect(try await put("EUR", "7.9").1?["rate"] as? String == "7.90")
            #expect(try await put("USD", "7.2").0 == .ok)

            let detail = try #require(try await client.call("\(Self.path)/EUR", .get, headers: client.operatorHeaders(.get, "\(Self.path)/EUR")).json as? [String: Any])
            let changes = try #require(detail["changes"] as? [[String: Any]])
            #expect(detail["base"] as? String == "CNY" && detail["rate"] as? String == "7.90")
            #expect(changes.map { $0["old_rate"] as? String } == ["7.8123", nil] && changes.map { $0["new_rate"] as? String } == ["7.90", "7.8123"],
                    "the same rate set again is not a change: \(changes)")

            // What other services read.
            let published = try #require(try await client.call("/exchange-rates", .get).json as? [String: Any])
            #expect(published["base"] as? String == "CNY" && published["rates"] as? [String: String] == ["EUR": "7.90", "USD": "7.20"], "\(published)")
            let list = try #require(try await client.call(Self.path, .get, headers: client.operatorHeaders(.get, Self.path)).json as? [String: Any])
            #expect((list["rates"] as? [[String: Any]])?.map { $0["currency"] as? String } == ["EUR", "USD"])

            let eurPath = "\(Self.path)/EUR"
            #expect(try await client.call(eurPath, .delete, headers: client.operatorHeaders(.delete, eurPath)).status == .noContent)
            #expect(try await client.call(eurPath, .delete, headers: client.operatorHeaders(.delete, eurPath)).status == .notFound)
            #expect(try await client.call(eurPath, .get, headers: client.operatorHeaders(.get, eurPath)).status == .notFound)
            #expect((try await client.call("/exchange-rates", .get).json as? [String: Any])?["rates"] as? [String: String] == ["USD": "7.20"])
            _ = try await put("EUR", "8")
            let history = try #require((try await client.call(eurPath, .get, headers: client.operatorHeaders(.get, eurPath)).json as? [String: Any])?["changes"] as? [[String: Any]])
            #expect(history.map { $0["old_rate"] as? String } == [nil, "7.90", "7.8123", nil] && history.map { $0["new_rate"] as? String } == ["8.00", nil, "7.90", "7.8123"])
        }
    }

    @Test func badInputAndWrongCallersGetClearProblems() async throws {
        try await run { client, pool in
            /// "<status> <problem code>".
            func put(_ currency: String, _ body: [String: Any]) async throws -> String {
                let path = "\(Self.path)/\(currency)"
                let (status, json) = try await client.call(path, .put, body: body, headers: client.operatorHeaders(.put, path))
                return "\(status.code) \((json as? [String: Any])?["code"] as? String ?? "-")"
            }
            let answers = [
                try await put("EURO", ["rate": "7.8"]), try await put("eur", ["rate": "7.8"]), try await put("CNY", ["rate": "1"]),
                try await put("EUR", ["rate": "0"]), try await put("EUR", ["rate": "-1.5"]), try await put("EUR", ["rate": "7.12345678901"]),
                try await put("EUR", ["rate": "123456789012345"]), try await put("EUR", [:]),
            ]
            #expect(answers == ["400 invalid_currency", "400 invalid_currency", "422 base_currency"] + Array(repeating: "400 invalid_rate", count: 5))
            let float = try await put("EUR", ["rate": 7.8]), exponent = try await put("EUR", ["rate": "1e3"])
            #expect(float.hasPrefix("400 ") && exponent.hasPrefix("400 "), "a binary float is not a rate: \(float), \(exponent)")
            #expect(try await pool.query("SELECT 1 FROM pricing.exchange_rates WHERE base = 'CNY'").isEmpty, "nothing was stored")

            #expect(try await client.call(Self.path, .get).status == .unauthorized, "only through the gateway")
            let distributor = CallerIdentity(tenantId: "00000000-0000-0000-0000-0000000000d1", role: "distributor")
            #expect(try await client.call(Self.path, .get, headers: client.identityHeaders(.get, Self.path, distributor)).status == .forbidden)
            let eurPath = "\(Self.path)/EUR"
            #expect(try await client.call(eurPath, .put, body: ["rate": "7"], headers: client.identityHeaders(.put, eurPath, distributor)).status == .forbidden)
        }
    }

    @Test func concurrentChangesEachRecordTheRateTheyReplaced() async throws {
        try await run { client, _ in
            let path = "\(Self.path)/JPY"
            _ = try await client.call(path, .put, body: ["rate": "0.05"], headers: client.operatorHeaders(.put, path))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for step in 1...12 {
                    group.addTask {
                        let status = try await client.call(path, .put, body: ["rate": "0.0\(step + 10)"], headers: client.operatorHeaders(.put, path)).status
                        #expect(status == .ok)
                    }
                }
                try await group.waitForAll()
            }
            let changes = try #require((try await client.call(path, .get, headers: client.operatorHeaders(.get, path)).json as? [String: Any])?["changes"] as? [[String: Any]])
            #expect(changes.count == 13)
            for (newer, older) in zip(changes, changes.dropFirst()) {
                #expect(newer["old_rate"] as? String == older["new_rate"] as? String, "each change replaced the one before it: \(changes)")
            }
        }
    }
}
