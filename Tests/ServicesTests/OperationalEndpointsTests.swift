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
    @Test(arguments: allServices.map(\.name))
    func answersHealthReadyAndMetrics(_ name: String) async throws {
        let definition = try #require(allServices.first { $0.name == name })
        let app = try ServiceRunner.makeApplication(definition, environment: EnvironmentVariables(ServiceEnvironment.all), logSink: .capturing())
        try await app.test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(body?["service"] as? String == name)
            }
            // Ready once its dependencies answer: on a busy machine (every suite starting at once) the
            // first checks can miss their 2 s deadline.
            _ = try await eventually(within: .seconds(20)) { try await client.execute(uri: "/ready", method: .get) { $0.status == .ok } }
            try await client.execute(uri: "/ready", method: .get) { response in
                #expect(response.status == .ok, "\(name) not ready: \(String(buffer: response.body))")
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                let checks = body?["checks"] as? [[String: Any]] ?? []
                #expect(Set(checks.compactMap { $0["name"] as? String }) == Set(definition.dependencies.map(\.rawValue)))
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"http_requests_total{service="\#(name)",route="/health",method="GET",status="200"} 1"#))
                #expect(text.contains(#"http_request_duration_seconds_bucket{service="\#(name)",route="/ready""#))
            }
        }
    }
}
