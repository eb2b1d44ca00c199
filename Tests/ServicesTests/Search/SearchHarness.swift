// The whole search path on real ports: supplier-sim (a small world), supplier-adapter with its three
// suppliers, matching with them mapped, pricing, and query-engine, all against the real PostgreSQL,
// Redis and RabbitMQ; requests carry the identity the gateway would sign.

import Foundation
import HTTPTypes
import Hummingbird
@testable import Inventory
@testable import Matching
@testable import Pricing
@testable import QueryEngine
@testable import Shared
@testable import SupplierAdapter
@testable import SupplierSim
import Testing
import TestSupport

struct SearchStack: Sendable {
    let queryEngine: String
    let adapter: String
    let pricing: String
    let inventory: String
    let simulator: Simulator
    /// Our supplier code -> the simulator's.
    let suppliers: [String: String]
    let http = HTTP1Client()

    /// Signed as the gateway signs a caller's identity.
    static func headers(_ method: HTTPRequest.Method, _ path: String, tenant: String, role: String = "distributor") -> HTTPFields {
        let identity = CallerIdentity(tenantId: tenant, role: role)
        let requestId = UUID().uuidString
        let signature = GatewayIdentity(secret: ServiceEnvironment.secrets["GATEWAY_IDENTITY_SECRET"]!)
            .sign(identity, method: method.rawValue, path: path, requestId: requestId, now: Int(Date().timeIntervalSince1970))
        return [.tenantId: identity.tenantId, .role: identity.role, .requestId: requestId, .gatewaySignature: signature, .contentType: "application/json"]
    }

    /// A JSON call to query-engine as `tenant`: the status, the body's text and its object.
    func call(_ method: HTTPRequest.Method, _ path: String, _ body: [String: Any]? = nil, tenant: String = "t-search", timeout: Duration = .seconds(20)) async throws
        -> (status: Int, text: String, json: [String: Any])
    {
        let buffer = try body.map { ByteBuffer(data: try JSONSerialization.data(withJSONObject: $0)) }
        let response = try await http.execute(method, queryEngine + path, headers: Self.headers(method, path.split(separator: "?")[0].description, tenant: tenant), body: buffer, timeout: timeout)
        let text = String(buffer: response.body)
        return (response.status.code, text, (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:])
    }

    /// An operator's JSON call to inventory.
    func inventoryAdmin(_ method: HTTPRequest.Method, _ path: String, _ body: [String: Any]) async throws -> (status: Int, text: String) {
        let response = try await http.execute(method, inventory + path, headers: Self.headers(method, path, tenant: "ops", role: "admin"),
                                              body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)), timeout: .seconds(10))
        return (response.status.code, String(buffer: response.body))
    }

    func search(_ body: [String: Any], tenant: String = "t-search") async throws -> (status: Int, text: String, json: [String: Any]) {
        try await call(.post, "/api/v1/search", body, tenant: tenant)
    }
}

enum SearchHarness {
    /// This suite's base currency (other suites use CNY, HKD, SGD and AUD).
    static let base = "NZD"
    static let hotelsPerCity = 8

    static func run(queryEngine extra: [String: String] = [:], _ body: @escaping @Sendable (SearchStack) async throws -> Void) async throws {
        let simServer = LocalServer()
        try await simServer.start(try ServiceRunner.assemble(SupplierSimService.definition, environment: EnvironmentVariables([
            "PORT": String(simServer.port), "HOST": "127.0.0.1", "SIM_SECRET": SupplyHarness.simulatorSecret, "SIM_HOTELS_PER_CITY": String(hotelsPerCity),
            "LOG_LEVEL": "warning",
        ]), logSink: .capturing()).application)
        let simulator = Simulator(server: simServer)

        func environment(_ server: LocalServer, _ more: [String: String] = [:]) -> EnvironmentVariables {
            EnvironmentVariables(ServiceEnvironment.all.merging(["PORT": String(server.port), "HOST": "127.0.0.1", "DEFAULT_CURRENCY": base]) { $1 }.merging(more) { $1 })
        }
        let adapterServer = LocalServer(), pricingServer = LocalServer(), matchingServer = LocalServer(), engineServer = LocalServer(), inventoryServer = LocalServer()
        // One attempt per call: a failing supplier is an error at once, not a timeout after retries.
        let adapterEnv = environment(adapterServer, ["RETRY_MAX_ATTEMPTS": "1"]), pricingEnv = environment(pricingServer)
        let matchingEnv = environment(matchingServer, ["SUPPLIER_ADAPTER_URL": adapterServer.base, "PRICING_URL": pricingServer.base])
        let inventoryEnv = environment(inventoryServer)
        for (definition, env) in [(SupplierAdapterService.definition, adapterEnv), (PricingService.definition, pricingEnv), (MatchingService.definition, matchingEnv),
                                  (InventoryService.definition, inventoryEnv)] {
            #expect(await MigrateCommand.run(definition, environment: env, arguments: ["migrate", "up"]) == 0)
        }
        let pool = PostgresPool(settings: try PostgresSettings(adapterEnv, applicationName: "test"), logger: .init(label: "test"))
        try await pool.truncate("matching.price_quotes, matching.mappings, matching.supplier_hotels, matching.master_hotels, matching.mapping_jobs, matching.supplier_scores")
        try await pool.truncate("pricing.markup_rule_changes, pricing.markup_rules, pricing.tenant_groups")
        let rates = ExchangeRateRepository(pool: pool, base: base)
        for (currency, rate) in [("EUR", "1.8"), ("USD", "1.66"), ("CNY", "0.23")] { _ = try await rates.set(currency, to: Amount(rate)!, by: "test") }
        try await pool.shutdown()

        try await adapterServer.start(try ServiceRunner.assemble(SupplierAdapterService.definition, environment: adapterEnv, logSink: .capturing()).application)
        try await pricingServer.start(try ServiceRunner.assemble(PricingService.definition, environment: pricingEnv, logSink: .capturing()).application)
        try await matchingServer.start(try ServiceRunner.assemble(MatchingService.definition, environment: matchingEnv, logSink: .capturing()).application)
        try await inventoryServer.start(try ServiceRunner.assemble(InventoryService.definition, environment: inventoryEnv, logSink: .capturing()).application)
        let http = HTTP1Client()
        var suppliers: [String: String] = [:]
        for supplier in SimulatedSupplier.all.map(\.code) {
            let (code, registration) = simulator.registration(supplier)
            let path = "/api/v1/admin/suppliers"
            let answer = try await http.execute(.post, adapterServer.base + path, headers: SearchStack.headers(.post, path, tenant: "ops", role: "admin"),
                                                body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: registration)), timeout: .seconds(10))
            #expect(answer.status == .created, "\(String(buffer: answer.body))")
            suppliers[code] = supplier
        }
        for code in suppliers.keys.sorted() { try await map(code, matching: matchingServer.base, http: http) }

        let engineEnv = environment(engineServer, [
            "MATCHING_URL": matchingServer.base, "SUPPLIER_ADAPTER_URL": adapterServer.base, "PRICING_URL": pricingServer.base, "INVENTORY_URL": inventoryServer.base,
        ].merging(extra) { $1 })
        try await engineServer.start(try ServiceRunner.assemble(QueryEngineService.definition, environment: engineEnv, logSink: .capturing()).application)
        defer {
            Task {
                for server in [engineServer, inventoryServer, matchingServer, pricingServer, adapterServer, simServer] { await server.stop() }
            }
        }
        try await body(SearchStack(queryEngine: engineServer.base, adapter: adapterServer.base, pricing: pricingServer.base, inventory: inventoryServer.base, simulator: simulator, suppliers: suppliers))
    }

    /// One mapping run of `supplier` through matching's operators' API, waited for.
    static func map(_ supplier: String, matching: String, http: HTTP1Client) async throws {
        let path = "/api/v1/admin/mappings/jobs"
        let started = try await http.execute(.post, matching + path, headers: SearchStack.headers(.post, path, tenant: "ops", role: "admin"),
                                             body: ByteBuffer(string: #"{"supplier": "\#(supplier)"}"#), timeout: .seconds(10))
        let job = try #require(try JSONSerialization.jsonObject(with: Data(buffer: started.body)) as? [String: Any])
        let id = try #require(job["id"] as? String)
        let done = try await eventually(within: .seconds(120)) {
            let statusPath = "/api/v1/admin/mappings/jobs/\(id)"
            let answer = try await http.execute(.get, matching + statusPath, headers: SearchStack.headers(.get, statusPath, tenant: "ops", role: "admin"), timeout: .seconds(10))
            return (try? JSONSerialization.jsonObject(with: Data(buffer: answer.body)) as? [String: Any])?["status"] as? String == "succeeded"
        }
        #expect(done, "mapping \(supplier)")
    }
}
