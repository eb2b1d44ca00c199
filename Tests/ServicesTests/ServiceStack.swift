// One service started in the test process against the real infrastructure, with its schema
// migrated, a pool on the same database, and JSON calls that carry the identity the gateway signs.

import Foundation
import HTTPTypes
import NIOCore
@testable import Shared
import Testing
import TestSupport

struct ServiceStack: Sendable {
    let base: String
    let pool: PostgresPool
    /// Hundreds of connections opened at once on a busy machine: some SYNs are retried after a second or three.
    let http = HTTP1Client(connectTimeout: .seconds(10))

    static let admin = CallerIdentity(tenantId: "00000000-0000-0000-0000-00000000000a", role: "admin")

    /// A JSON call; identity headers as the gateway signs them when `as` is given.
    func call(_ method: HTTPRequest.Method, _ path: String, _ body: [String: Any]? = nil, as identity: CallerIdentity? = nil) async throws
        -> (status: Int, json: [String: Any], replayed: Bool)
    {
        let answer = try await exchange(method, path, body: try body.map { try JSONSerialization.data(withJSONObject: $0) }, as: identity)
        let json = (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]) ?? [:]
        return (answer.status, json, answer.headers[.idempotentReplayed] == "true")
    }

    /// Any body; the answer's text.
    func exchange(_ method: HTTPRequest.Method, _ path: String, body: Data?, contentType: String = "application/json", headers extra: HTTPFields = [:],
                  as identity: CallerIdentity? = nil) async throws -> (status: Int, body: String, headers: HTTPFields)
    {
        var headers: HTTPFields = [.contentType: contentType]
        headers.append(contentsOf: extra)
        if let identity {
            let requestId = UUID().uuidString
            let signature = GatewayIdentity(secret: ServiceEnvironment.secrets["GATEWAY_IDENTITY_SECRET"]!)
                .sign(identity, method: method.rawValue, path: String(path.split(separator: "?")[0]), requestId: requestId, now: Int(Date().timeIntervalSince1970))
            let identityFields: HTTPFields = [.tenantId: identity.tenantId, .role: identity.role, .requestId: requestId, .gatewaySignature: signature]
            headers.append(contentsOf: identityFields)
        }
        let response = try await http.execute(method, base + path, headers: headers, body: body.map { ByteBuffer(data: $0) }, timeout: .seconds(30))
        return (response.status.code, String(buffer: response.body), response.headers)
    }

    /// Runs `definition` (migrated first) for `body`; `extra` overrides its environment.
    static func run(_ definition: ServiceDefinition, _ extra: [String: String] = [:], _ body: @escaping @Sendable (ServiceStack) async throws -> Void) async throws {
        let server = LocalServer()
        let env = EnvironmentVariables(ServiceEnvironment.all.merging(["PORT": String(server.port), "HOST": "127.0.0.1"]) { $1 }.merging(extra) { $1 })
        #expect(await MigrateCommand.run(definition, environment: env, arguments: ["migrate", "up"]) == 0)
        let pool = PostgresPool(settings: try PostgresSettings(env, applicationName: "test"), logger: .init(label: "test"))
        try await server.start(try ServiceRunner.assemble(definition, environment: env, logSink: .capturing()).application)
        let stack = ServiceStack(base: server.base, pool: pool)
        do {
            try await body(stack)
        } catch {
            Issue.record(error)
        }
        await stack.http.shutdown()
        await server.stop()
        try await pool.shutdown()
    }

    static func unique(_ prefix: String) -> String { prefix + "-" + UUID().uuidString.prefix(8).lowercased() }
}
