// The OpenAPI document is served without a token and describes exactly the routes that exist.

import Foundation
@testable import Gateway
import HummingbirdTesting
@testable import Shared
import Testing

@Suite struct GatewayOpenAPITests {
    @Test func theDocumentIsServedAndMatchesTheRoutes() async throws {
        try await GatewayHarness().run { client in
            let document = try await client.execute(uri: "/api/v1/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                return try #require(JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            }
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let documented = Set(paths.flatMap { path, operations in
                operations.keys.filter { $0 != "parameters" }.map { "\($0.uppercased()) \(path)" }
            })

            let served = GatewayHarness.routes.filter { !$0.contains("**") && !$0.hasSuffix(" /metrics") }
            #expect(served.count > 20)
            let undocumented = served.filter { !documented.contains($0) }
            #expect(undocumented.isEmpty, "routes missing from docs/openapi.yaml: \(undocumented)")

            // What the document has beyond the gateway's own routes must be a live route of the table.
            let live = RouteTable.platform.routes.filter { $0.availability == .live }
            for operation in documented.subtracting(served) {
                let template = String(operation.split(separator: " ")[1])
                #expect(live.contains { Self.begins(template, with: $0.prefix) }, "\(operation) is documented but nothing serves it")
            }
            for route in live {
                #expect(paths.keys.contains { Self.begins($0, with: route.prefix) }, "the live route \(route.prefix) is not documented")
            }
        }
    }

    /// Whether a documented path template lies under a route prefix (`/a/{x}/b` under `/a`).
    static func begins(_ template: String, with prefix: String) -> Bool {
        let pattern = template.split(separator: "/"), concrete = prefix.split(separator: "/")
        return pattern.count >= concrete.count && zip(pattern, concrete).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }
}
