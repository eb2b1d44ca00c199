// bi on a real port with the real RabbitMQ and ClickHouse, and a scripted stream of events whose
// every report figure the test computes itself.

import Foundation
@testable import BI
import HTTPTypes
@testable import Shared
import Testing
import TestSupport

struct BIStack: Sendable {
    /// bi's routes, called with identities as the gateway signs them.
    let service: ServiceStack
    let clickhouse: ClickHouse

    /// A report through bi's own route, as `identity` (an operator's route when it is an admin).
    func report(_ name: String, _ query: String, as identity: CallerIdentity) async throws -> (status: Int, json: [String: Any], text: String) {
        let prefix = identity.role == "admin" ? "/api/v1/admin/reports/" : "/api/v1/reports/"
        let answer = try await service.exchange(.get, prefix + name + "?" + query, body: nil, as: identity)
        return (answer.status, (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]) ?? [:], answer.body)
    }

    /// Rows in ClickHouse for `tenants`, each event once.
    func stored(tenants: [String]) async throws -> Int {
        let list = tenants.map(ClickHouse.literal).joined(separator: ", ")
        let rows = try await clickhouse.rows("SELECT toString(count()) AS n FROM events FINAL WHERE tenant_id IN (\(list))")
        if case .string(let text)? = rows.first?["n"] { return Int(text) ?? 0 }
        return 0
    }

    static func run(_ extra: [String: String] = [:], _ body: @escaping @Sendable (BIStack) async throws -> Void) async throws {
        let server = LocalServer()
        let env = EnvironmentVariables(ServiceEnvironment.all.merging(["PORT": String(server.port), "HOST": "127.0.0.1"]) { $1 }.merging(extra) { $1 })
        try await server.start(try ServiceRunner.assemble(BIService.definition, environment: env, logSink: .capturing()).application)
        let pool = PostgresPool(settings: try PostgresSettings(env, applicationName: "test"), logger: .init(label: "test"))
        let stack = BIStack(service: ServiceStack(base: server.base, pool: pool), clickhouse: ClickHouse(endpoint: try ClickHouseEndpoint(env), http: HTTP1Client()))
        do {
            try await body(stack)
        } catch {
            Issue.record(error)
        }
        await stack.service.http.shutdown()
        await stack.clickhouse.http.shutdown()
        await server.stop()
        try await pool.shutdown()
    }

    static func publish(_ events: [EventEnvelope]) async throws {
        let publisher = EventPublisher(settings: try AMQPSettings(EnvironmentVariables(ServiceEnvironment.all)), logger: .init(label: "test"))
        for start in stride(from: 0, to: events.count, by: 1000) { try await publisher.publish(Array(events[start..<min(start + 1000, events.count)])) }
        try await publisher.shutdown()
    }
}
