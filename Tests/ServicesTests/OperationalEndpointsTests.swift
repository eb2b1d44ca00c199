// Every executable answers /health, /ready (its real dependencies up) and /metrics.

@testable import BI
import Foundation
@testable import Gateway
import Hummingbird
import HummingbirdTesting
@testable import Inventory
@testable import Matching
@testable import Order
@testable import Pricing
@testable import QueryEngine
@testable import Risk
@testable import Settlement
import Shared
@testable import SupplierAdapter
@testable import SupplierSim
import Testing
import TestSupport

let allServices: [ServiceDefinition] = [
    GatewayService.definition, QueryEngineService.definition, OrderService.definition,
    SupplierAdapterService.definition, MatchingService.definition, PricingService.definition,
    SettlementService.definition, InventoryService.definition, RiskService.definition,
    BIService.definition, SupplierSimService.definition,
]

@Suite struct OperationalEndpointsTests {
    /// Every service on its port; the public entry (the gateway) in full on its internal port only.
    @Test(arguments: allServices.map(\.name))
    func answersHealthReadyAndMetrics(_ name: String) async throws {
        let definition = try #require(allServices.first { $0.name == name })
        let internalPort = freePort()
        // Its background work must not take other suites' jobs and messages from the shared tables
        // (inventory's sync, due in two minutes, must not hold up its stop either).
        let environment = ServiceEnvironment.all.merging(["INTERNAL_PORT": "\(internalPort)", "MAPPING_JOBS": "off", "SYNC_INTERVAL_MS": "120000"]) { $1 }
        let app = try ServiceRunner.makeApplication(definition, environment: EnvironmentVariables(environment), logSink: .capturing())
        let started = ContinuousClock.now
        defer { #expect(started.duration(to: .now) < .seconds(60), "\(name) stops without waiting out its background loops' pauses") }
        try await app.test(.live) { client in
            let port = definition.isPublicEntry ? internalPort : try #require(client.port)
            let http = HTTP1Client()
            defer { Task { await http.shutdown() } }
            func get(_ path: String) async throws -> (status: Int, body: ByteBuffer) {
                let response = try await http.execute(.get, "http://127.0.0.1:\(port)\(path)", timeout: .seconds(10))
                return (response.status.code, response.body)
            }
            #expect(try await eventually { (try? await get("/health"))?.status == 200 })
            let health = try JSONSerialization.jsonObject(with: Data(buffer: try await get("/health").body)) as? [String: Any]
            #expect(health?["service"] as? String == name)
            // Ready once its dependencies answer: on a busy machine (every suite starting at once) the
            // first checks can miss their 2 s deadline.
            // (200 also while degraded: wait for every dependency.)
            _ = try await eventually(within: .seconds(20)) { String(buffer: try await get("/ready").body).contains(#""status":"ready""#) }
            let ready = try await get("/ready")
            #expect(ready.status == 200, "\(name) not ready: \(String(buffer: ready.body))")
            let body = try JSONSerialization.jsonObject(with: Data(buffer: ready.body)) as? [String: Any]
            #expect(body?["status"] as? String == "ready")
            let checks = body?["checks"] as? [[String: Any]] ?? []
            #expect(Set(checks.compactMap { $0["name"] as? String }) == Set(definition.dependencies.map(\.rawValue)))
            let text = String(buffer: try await get("/metrics").body)
            #expect(text.contains(#"http_requests_total{service="\#(name)",route="/health",method="GET",status="200"}"#))
            #expect(text.contains(#"http_request_duration_seconds_bucket{service="\#(name)",route="/ready""#))
            if definition.isPublicEntry {
                try await client.execute(uri: "/metrics", method: .get) { #expect($0.status == .notFound, "no metrics on the public port") }
                try await client.execute(uri: "/health", method: .get) { response in
                    #expect(!String(buffer: response.body).contains("version"), "no version on the public port")
                }
            }
        }
    }
}
