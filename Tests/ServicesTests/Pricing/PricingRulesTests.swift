// Markup rules end to end: operators manage them on one pricing replica, another replica prices a
// batch with them within a moment, tenant groups and the minimum margin apply, every change is
// recorded, and explain says why.

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Pricing
@testable import Shared
import Testing
import TestSupport

extension SupplyChainTests {
    @Suite(.serialized) struct PricingRulesTests {
        /// This suite's base currency (other suites use CNY, HKD and SGD).
        static let base = "AUD"
        static let rules = "/api/v1/admin/pricing/rules"

        func run(_ body: @escaping @Sendable (_ admin: any TestClientProtocol, _ replica: PricingClient, _ pool: PostgresPool) async throws -> Void) async throws {
            let env = EnvironmentVariables(ServiceEnvironment.all.merging(["DEFAULT_CURRENCY": Self.base]) { $1 })
            #expect(await MigrateCommand.run(PricingService.definition, environment: env, arguments: ["migrate", "up"]) == 0)
            let pool = PostgresPool(settings: try PostgresSettings(env, applicationName: "test"), logger: .init(label: "test"))
            try await Migrator(pool: pool, schema: PlatformMigrations.schema, migrations: PlatformMigrations.all).up()
            try await pool.truncate("pricing.markup_rule_changes, pricing.markup_rules, pricing.tenant_groups")
            try await pool.execute("DELETE FROM platform.platform_config WHERE key = 'pricing.min_margin'")
            let rates = ExchangeRateRepository(pool: pool, base: Self.base)
            _ = try await rates.set("EUR", to: Amount("1.6")!, by: "test")
            _ = try await rates.set("JPY", to: Amount("0.01")!, by: "test")

            let other = LocalServer()
            let replicaEnv = EnvironmentVariables(ServiceEnvironment.all.merging(["DEFAULT_CURRENCY": Self.base, "PORT": String(other.port), "HOST": "127.0.0.1"]) { $1 })
            try await other.start(try ServiceRunner.assemble(PricingService.definition, environment: replicaEnv, logSink: .capturing()).application)
            let replica = PricingClient(baseURL: other.base, http: HTTP1Client())
            let admin = try ServiceRunner.assemble(PricingService.definition, environment: env, logSink: .capturing())
            try await admin.application.test(.live) { client in try await body(client, replica, pool) }
            await other.stop()
            try await pool.execute("DELETE FROM platform.platform_config WHERE key = 'pricing.min_margin'")
            try await pool.shutdown()
        }

        static func offer(_ id: String, net: String = "100.00", currency: String = "EUR", city: String = "Paris") -> PriceableOffer {
            PriceableOffer(
                id: id, supplier: "globebeds", masterHotelId: 42, countryCode: "FR", city: city, stars: 4, board: .bedAndBreakfast, refundable: true,
                checkIn: CalendarDate("2027-03-10")!, net: Money(Amount(net)!, currency))
        }

        /// The replica's sell price for one offer, for `tenant`, in EUR.
        static func sell(_ replica: PricingClient, tenant: String = "t-plain", _ offer: PriceableOffer = offer("o")) async throws -> String? {
            try await replica.price(PriceBatchRequest(tenantId: tenant, currency: "EUR", offers: [offer]), origin: .job()).offers.first?.sell?.amount.description
        }

        @Test func operatorsRulesPriceEveryReplicaWithinAMoment() async throws {
            try await run { admin, replica, pool in
                func post(_ path: String, _ body: [String: Any]) async throws -> (HTTPResponse.Status, [String: Any]) {
                    let (status, json) = try await admin.call(path, .post, body: body, headers: admin.operatorHeaders(.post, path))
                    return (status, json as? [String: Any] ?? [:])
                }
                #expect(try await eventually { (try? await Self.sell(replica)) == "100.00" }, "no rule: net")
                let (created, everywhere) = try await post(Self.rules, ["name": "Everyone, everywhere", "effect": ["type": "percent", "percent": "10"]])
                #expect(created == .created, "\(everywhere)")
                let everywhereId = try #require(everywhere["id"] as? String)
                #expect(try await eventually(within: .seconds(3)) { (try? await Self.sell(replica)) == "110.00" }, "the other replica prices with it within a moment")

                // A group's rule in Paris, for the tenants of the group only.
                let groupPath = "/api/v1/admin/pricing/tenant-groups/t-gold"
                #expect(try await admin.call(groupPath, .put, body: ["groups": ["gold"]], headers: admin.operatorHeaders(.put, groupPath)).status == .ok)
                let (_, gold) = try await post(Self.rules, ["name": "Gold in Paris", "scope": ["tenant_group": "gold", "city": "Paris"], "effect": ["type": "percent", "percent": "4"]])
                let goldId = try #require(gold["id"] as? String)
                #expect(try await eventually(within: .seconds(3)) { (try? await Self.sell(replica, tenant: "t-gold")) == "104.00" })
                #expect(try await Self.sell(replica) == "110.00", "other tenants keep the general rule")
                #expect(try await Self.sell(replica, tenant: "t-gold", Self.offer("o", city: "Lyon")) == "110.00", "outside Paris the general rule")

                // Changes, and their history.
                let goldPath = "\(Self.rules)/\(goldId)"
                #expect(try await admin.call(goldPath, .patch, body: ["effect": ["type": "fixed", "amount": "8", "currency": "AUD"]], headers: admin.operatorHeaders(.patch, goldPath)).status == .ok)
                #expect(try await eventually(within: .seconds(3)) { (try? await Self.sell(replica, tenant: "t-gold")) == "105.00" }, "8 AUD = 5 EUR")
                #expect(try await post("\(goldPath)/disable", [:]).0 == .ok)
                #expect(try await eventually(within: .seconds(3)) { (try? await Self.sell(replica, tenant: "t-gold")) == "110.00" })
                let detail = try #require(try await admin.call(goldPath, .get, headers: admin.operatorHeaders(.get, goldPath)).json as? [String: Any])
                #expect((detail["changes"] as? [[String: Any]])?.map { $0["action"] as? String } == ["disabled", "updated", "created"])
                #expect((detail["rule"] as? [String: Any])?["enabled"] as? Bool == false)

                // The minimum margin from the config center guards a discount.
                let discountPath = "\(Self.rules)/\(everywhereId)"
                let discounted = try await admin.call(discountPath, .patch, body: ["effect": ["type": "percent", "percent": "-10"]], headers: admin.operatorHeaders(.patch, discountPath))
                #expect(discounted.status == .ok, "\(String(describing: discounted.json))")
                // A discount below the net: the minimum margin (0 % unless configured) keeps it at the net.
                let lowered = try await eventually(within: .seconds(3)) { try await replica.price(
                    PriceBatchRequest(tenantId: "t-plain", currency: "EUR", offers: [Self.offer("o")]), origin: .job()).offers.first?.guardApplied == "min_margin" }
                let now = try? await Self.sell(replica)
                #expect(lowered && now == "100.00", "\(String(describing: now))")
                try await pool.execute("INSERT INTO platform.platform_config (key, value) VALUES ('pricing.min_margin', '{\"percent\": \"3\"}'::jsonb)")
                #expect(try await eventually(within: .seconds(3)) { (try? await Self.sell(replica)) == "103.00" }, "config changes reach the price too")

                // Explain: which rule, the steps, the guard.
                let explainPath = "/api/v1/admin/pricing/explain"
                let explainBody: [String: Any] = [
                    "tenant_id": "t-plain", "currency": "JPY",
                    "offer": ["id": "x", "supplier": "globebeds", "master_hotel_id": 42, "country_code": "FR", "city": "Paris", "board": "BB",
                              "refundable": true, "check_in": "2027-03-10", "net": ["amount": "100.00", "currency": "EUR"]],
                ]
                // (This replica's config client learns of the change on its own, a moment apart from the other's.)
                var explained: [String: Any] = [:]
                _ = try await eventually(within: .seconds(3)) {
                    explained = try await post(explainPath, explainBody).1
                    return explained["guard"] as? String == "min_margin"
                }
                #expect((explained["rule"] as? [String: Any])?["id"] as? String == everywhereId && explained["guard"] as? String == "min_margin", "\(explained)")
                #expect((explained["sell"] as? [String: Any])?["amount"] as? String == "16480.00" && (explained["sell"] as? [String: Any])?["currency"] as? String == "JPY",
                        "103 EUR = 164.8 AUD = 16,480 JPY: \(explained)")
                var negative = explainBody
                negative["offer"] = (explainBody["offer"] as! [String: Any]).merging(["net": ["amount": "-1.00", "currency": "EUR"]]) { $1 }
                let refused = try await post(explainPath, negative)
                #expect(refused.0 == .unprocessableContent && refused.1["code"] as? String == "negative_amount", "\(refused)")
            }
        }

        @Test func aBatchOfThousandsIsPricedAndOffersWithoutARateAreMarked() async throws {
            try await run { _, replica, _ in
                #expect(try await eventually { (try? await Self.sell(replica)) != nil })
                let offers = (0..<2_000).map { Self.offer("o\($0)", net: "\(100 + $0).00") } + [Self.offer("negative", net: "-5.00"), Self.offer("gbp", currency: "GBP")]
                let started = ContinuousClock.now
                let priced = try await replica.price(PriceBatchRequest(tenantId: "t-plain", currency: "JPY", offers: offers), origin: .job(), timeout: .seconds(10))
                print("priced \(offers.count) offers in \(started.duration(to: .now))")
                #expect(priced.offers.count == 2_002 && priced.offers.map(\.id) == offers.map(\.id), "every offer, in order")
                #expect(priced.offers[1].sell == Money(Amount("16160")!, "JPY"), "101 EUR = 161.6 AUD = 16,160 JPY")
                #expect(priced.offers.last?.sell == nil && priced.offers.last?.unpriced == "no exchange rate for GBP")
                #expect(priced.offers[2_000].sell == nil && priced.offers[2_000].unpriced == "net is below zero", "\(priced.offers[2_000])")
                // Offer by offer (`POST /prices`, as a query-engine from before the compact shape sends it): the same prices.
                let flat = try await replica.service.post(
                    "/prices", json: PriceBatchRequest(tenantId: "t-plain", currency: "JPY", offers: offers), as: PriceBatchResult.self, origin: .job(),
                    timeout: .seconds(10))
                #expect(flat.offers == priced.offers)
            }
        }

        @Test func badRulesAreRefusedWithTheFieldToFix() async throws {
            try await run { admin, _, _ in
                let cases: [([String: Any], String)] = [
                    (["name": "x", "effect": ["type": "percent", "percent": "2000"]], "effect.percent"),
                    (["name": "x", "scope": ["country_code": "France"], "effect": ["type": "percent", "percent": "5"]], "scope.country_code"),
                    (["name": "x", "scope": ["tenant_id": "a", "tenant_group": "b"], "effect": ["type": "percent", "percent": "5"]], "scope"),
                ]
                for (body, field) in cases {
                    let (status, json) = try await admin.call(Self.rules, .post, body: body, headers: admin.operatorHeaders(.post, Self.rules))
                    #expect(status == .badRequest && (json as? [String: Any])?["field"] as? String == field, "\(field): \(String(describing: json))")
                }
                let misspelt = try await admin.call(Self.rules, .post, body: ["name": "x", "scope": ["countr_code": "FR"], "effect": ["type": "percent", "percent": "5"]],
                                                    headers: admin.operatorHeaders(.post, Self.rules))
                #expect(misspelt.status == .badRequest && ((misspelt.json as? [String: Any])?["detail"] as? String)?.contains("countr_code") == true,
                        "a misspelt condition is refused, not ignored: \(String(describing: misspelt.json))")
                #expect(try await admin.call(Self.rules, .post, body: ["name": "x"], headers: admin.operatorHeaders(.post, Self.rules)).status == .badRequest)
                #expect(try await admin.call(Self.rules, .get).status == .unauthorized, "operators only")
                let unknown = "\(Self.rules)/\(UUID().uuidString)"
                #expect(try await admin.call(unknown, .get, headers: admin.operatorHeaders(.get, unknown)).status == .notFound)
            }
        }
    }
}
