// The booking path on real ports: the search stack (simulated suppliers, supplier-adapter, matching,
// pricing, inventory, query-engine), with risk and order beside it, against the real PostgreSQL,
// Redis and RabbitMQ. Calls carry the identity the gateway would sign.

import Foundation
import HTTPTypes
import Hummingbird
@testable import Order
@testable import Risk
@testable import Shared
import Testing
import TestSupport

struct BookingStack: Sendable {
    let search: SearchStack
    let order: ServiceStack
    let risk: ServiceStack
    /// Where order finds the others (for another order process).
    let urls: [String: String]

    /// A distributor with a prepaid account in EUR holding `balance`.
    func distributor(balance: String = "100000.00", currency: String = "EUR") async throws -> CallerIdentity {
        let tenant = ServiceStack.unique("t-book")
        try await risk.open(tenant, currency: currency, balance: balance)
        return CallerIdentity(tenantId: tenant, role: "distributor")
    }

    /// Offers for `tenant` in Paris, 30+ days ahead: (offer id, supplier code, total amount).
    func offers(_ tenant: CallerIdentity, daysAhead: Int = 45) async throws -> [(id: String, supplier: String, total: String)] {
        let found = try await search.search(SupplyChainTests.SearchTests.paris(daysAhead), tenant: tenant.tenantId)
        #expect(found.status == 200, "\(found.text.prefix(300))")
        let tokens = OfferTokens(secret: ServiceEnvironment.secrets["OFFER_TOKEN_SECRET"]!)
        return ((found.json["hotels"] as? [[String: Any]]) ?? []).flatMap { hotel in
            ((hotel["rooms"] as? [[String: Any]]) ?? []).flatMap { ($0["offers"] as? [[String: Any]]) ?? [] }
        }.compactMap { offer in
            guard let id = offer["offer_id"] as? String, let terms = try? tokens.verify(id, tenant: tenant.tenantId, now: Int(Date().timeIntervalSince1970)) else { return nil }
            return (id, terms.supplier, terms.sell.amount.description)
        }
    }

    static func body(_ offer: String, guest: String = "Ana", extra: [String: Any] = [:]) -> [String: Any] {
        ["offer_id": offer, "guests": [["first_name": guest, "last_name": "Lima"]], "contact": ["email": "ana@example.com", "phone": "+33 1 23 45 67"],
         "client_reference": "AG-\(UUID().uuidString.prefix(8))"].merging(extra) { $1 }
    }

    /// POST /api/v1/orders with an Idempotency-Key.
    func place(_ body: [String: Any], key: String = UUID().uuidString, as tenant: CallerIdentity) async throws -> (status: Int, json: [String: Any], replayed: Bool, text: String) {
        try await place(data: try JSONSerialization.data(withJSONObject: body), key: key, as: tenant)
    }

    func place(data: Data, key: String, as tenant: CallerIdentity) async throws -> (status: Int, json: [String: Any], replayed: Bool, text: String) {
        let answer = try await order.exchange(.post, "/api/v1/orders", body: data, headers: [.idempotencyKey: key], as: tenant)
        let json = (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]) ?? [:]
        return (answer.status, json, answer.headers[.idempotentReplayed] == "true", answer.body)
    }

    /// The order, read until `done` holds for it (or 60 s).
    func order(_ id: String, as tenant: CallerIdentity, until done: @escaping @Sendable ([String: Any]) -> Bool = { _ in true }) async throws -> [String: Any] {
        var last: [String: Any] = [:]
        _ = try await eventually(within: .seconds(60)) {
            last = try await order.call(.get, "/api/v1/orders/\(id)", as: tenant).json
            return done(last)
        }
        return last
    }

    func adminOrder(_ id: String) async throws -> [String: Any] {
        try await order.call(.get, "/api/v1/admin/orders/\(id)", as: ServiceStack.admin).json
    }

    /// A direct contract on the first hotel of Paris: `rooms` of DBL/BAR for two nights from 45 days ahead, at 21 EUR a night.
    func contract(rooms: Int) async throws -> Int {
        let catalog = try await search.call(.get, "/api/v1/hotels?city=Paris&country=FR")
        let hotel = try #require((catalog.json["hotels"] as? [[String: Any]])?.first?["id"] as? Int)
        let (checkIn, _) = SupplyChainTests.SearchTests.stay(45)
        for (method, path, body) in [
            (HTTPRequest.Method.post, "/api/v1/admin/inventory/hotels", ["hotel_id": hotel, "name": "Direct", "currency": "EUR"] as [String: Any]),
            (.put, "/api/v1/admin/inventory/hotels/\(hotel)/room-types/DBL", ["name": "Double", "max_occupancy": 2]),
            (.put, "/api/v1/admin/inventory/hotels/\(hotel)/rate-plans/BAR", ["name": "Flexible", "board": "BB", "refundable": true]),
            (.post, "/api/v1/admin/inventory/hotels/\(hotel)/calendar", ["updates": [
                ["room_type": "DBL", "from": checkIn, "to": SupplyChainTests.SearchTests.stay(46).0, "allotment": rooms, "prices": ["BAR": "21.00"]]]]),
        ] {
            let answer = try await search.inventoryAdmin(method, path, body)
            #expect((200..<300).contains(answer.status), "\(path): \(answer.text)")
        }
        return hotel
    }

    func reservation(_ id: String) async throws -> [String: Any] {
        try await risk.call(.get, "/credit/reservations/\(id)").json
    }
}

enum BookingHarness {
    static func run(order extra: [String: String] = [:], risk riskExtra: [String: String] = [:], _ body: @escaping @Sendable (BookingStack) async throws -> Void)
        async throws
    {
        try await SearchHarness.run { search in
            // The config center (order reads `order.fallback.enabled`), owned by the gateway.
            let pool = PostgresPool(settings: try PostgresSettings(EnvironmentVariables(ServiceEnvironment.all), applicationName: "test"), logger: .init(label: "test"))
            try await Migrator(pool: pool, schema: PlatformMigrations.schema, migrations: PlatformMigrations.all).up()
            try await pool.shutdown()
            let riskEnv = ["PRICING_URL": search.pricing, "DEFAULT_CURRENCY": SearchHarness.base].merging(riskExtra) { $1 }
            try await ServiceStack.run(RiskService.definition, riskEnv) { risk in
                let urls = [
                    "QUERY_ENGINE_URL": search.queryEngine, "RISK_URL": risk.base, "INVENTORY_URL": search.inventory, "SUPPLIER_ADAPTER_URL": search.adapter,
                    "PRICING_URL": search.pricing, "DEFAULT_CURRENCY": SearchHarness.base, "ORDER_KEEPER_INTERVAL_MS": "300",
                ]
                try await ServiceStack.run(OrderService.definition, urls.merging(extra) { $1 }) { order in
                    try await body(BookingStack(search: search, order: order, risk: risk, urls: urls))
                }
            }
        }
    }
}
