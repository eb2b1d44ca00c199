// A gateway under test with its real PostgreSQL and Redis, a bootstrap operator, and a stand-in
// upstream whose answers the test controls.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import Gateway
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import ServiceLifecycle
@testable import Shared
import Testing
import TestSupport

struct GatewayHarness {
    static let adminKey = "hk_test_operator"
    static let adminSecret = "test-operator-secret-0123456789abcdef"

    var environment: [String: String]
    /// The platform's routes and a planned distributor route (every service's routes are live): a
    /// route the gateway answers itself, without an upstream.
    static let plannedRoute = "/api/v1/planned-for-tests"
    static let routeTable = RouteTable(
        routes: RouteTable.platform.routes + [UpstreamRoute(prefix: plannedRoute, upstream: .bi, role: .distributor, availability: .planned)])
    /// The current test's operator key, secret and tenant.
    /// The routes the gateway under test serves ("GET /api/v1/...").
    @TaskLocal static var routes: [String] = []
    @TaskLocal static var admin: (key: String, secret: String, tenant: String?) = (adminKey, adminSecret, nil)
    /// Where the gateway under test serves /metrics and versions.
    @TaskLocal static var internalPort = 0

    init(_ extra: [String: String] = [:]) {
        environment = ServiceEnvironment.all.merging([
            "ADMIN_API_KEY": Self.adminKey, "ADMIN_API_SECRET": Self.adminSecret, "RATE_LIMIT_MAX": "1000",
            // Every gateway under test dispatches webhooks from the same table: all retry on the same fast schedule.
            "WEBHOOK_RETRY_BASE_MS": "100", "WEBHOOK_RETRY_MAX_MS": "400", "WEBHOOK_RETRY_FOR_MS": "6000", "WEBHOOK_TIMEOUT_MS": "2000",
            "INTERNAL_PORT": "\(freePort())",
        ]) { $1 }.merging(extra) { $1 }
    }

    var internalPort: Int { Int(environment["INTERNAL_PORT"] ?? "") ?? 0 }

    /// The gateway's /metrics, from its internal port.
    static func metrics(port: Int = internalPort) async throws -> String {
        let client = HTTP1Client()
        defer { Task { await client.shutdown() } }
        var answer: HTTP1Client.Response?
        _ = try await eventually { answer = try? await client.execute(.get, "http://127.0.0.1:\(port)/metrics", timeout: .seconds(5)); return answer != nil }
        return String(buffer: try #require(answer).body)
    }

    func run(logSink: LogSink = .capturing(), _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let (assembly, key, secret, tenant) = try await prepare(logSink: logSink)
        try await Self.$routes.withValue(assembly.routes) {
            try await Self.$admin.withValue((key, secret, tenant)) {
                try await Self.$internalPort.withValue(internalPort) { try await assembly.application.test(.live, body) }
            }
        }
    }

    /// The gateway assembled on a migrated database, with an operator tenant and key of its own.
    func prepare(logSink: LogSink) async throws -> (ServiceRunner.Assembly, key: String, secret: String, tenant: String) {
        let env = EnvironmentVariables(environment)
        #expect(await MigrateCommand.run(GatewayService.definition, environment: env, arguments: ["migrate", "up"]) == 0)
        let pool = PostgresPool(settings: try PostgresSettings(env, applicationName: "test"), logger: .init(label: "test"))
        let repository = TenantRepository(pool: pool)
        try await BootstrapOperator(repository: repository, keyId: Self.adminKey, secret: Self.adminSecret, logger: .init(label: "test")).ensure()
        // Each test acts through an operator tenant of its own, so rate-limit buckets are not shared between tests.
        let operatorTenant = Tenant(
            id: UUID().uuidString.lowercased(), name: "Test operators", kind: .operator, contactEmail: nil, status: .active,
            webhookURL: nil, hasWebhookSecret: false, createdAt: Date())
        _ = try await repository.create(operatorTenant, sealedWebhookSecret: nil)
        let key = APIKey(keyId: "hk_op_" + UUID().uuidString.prefix(8).lowercased(), tenantId: operatorTenant.id, role: .admin, label: nil, status: .active, createdAt: Date(), revokedAt: nil)
        let secret = UUID().uuidString
        _ = try await repository.addKey(key, secretHash: PasswordHash.make(secret, iterations: 1000))
        try await pool.shutdown()
        let assembly = try ServiceRunner.assemble(GatewayService.definition(table: Self.routeTable), environment: env, logSink: logSink)
        return (assembly, key.keyId, secret, operatorTenant.id)
    }
}

extension TestClientProtocol {
    /// A bearer token for a key, through POST /api/v1/auth/token.
    func token(key: String, secret: String) async throws -> String {
        let body = try JSONSerialization.data(withJSONObject: ["api_key": key, "api_secret": secret])
        return try await execute(uri: "/api/v1/auth/token", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body)) { response in
            #expect(response.status == .ok, "token: \(String(buffer: response.body))")
            let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
            return try #require(json?["access_token"] as? String)
        }
    }

    func adminToken() async throws -> String {
        try await token(key: GatewayHarness.admin.key, secret: GatewayHarness.admin.secret)
    }

    /// A new distributor tenant with one key: (tenant id, key, secret).
    func newDistributor(admin: String) async throws -> (tenant: String, key: String, secret: String) {
        let tenant = try await json("/api/v1/admin/tenants", .post, token: admin, body: ["name": "Test Travel \(UUID().uuidString.prefix(6))"], expect: .created)
        let id = try #require(tenant["id"] as? String)
        let key = try await json("/api/v1/admin/tenants/\(id)/keys", .post, token: admin, body: [:], expect: .created)
        return (id, try #require(key["api_key"] as? String), try #require(key["api_secret"] as? String))
    }

    @discardableResult
    func json(_ uri: String, _ method: HTTPRequest.Method, token: String, body: [String: Any]? = nil, headers extra: HTTPFields = [:], expect status: HTTPResponse.Status) async throws -> [String: Any] {
        var headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
        headers.append(contentsOf: extra)
        let buffer = try body.map { ByteBuffer(data: try JSONSerialization.data(withJSONObject: $0)) }
        return try await execute(uri: uri, method: method, headers: headers, body: buffer) { response in
            #expect(response.status == status, "\(method) \(uri): \(String(buffer: response.body))")
            return (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]) ?? [:]
        }
    }
}

/// An upstream service on a real port: answers GET /health with the identity headers it received,
/// after an optional delay, with a status the test sets.
final class StandInUpstream: Sendable {
    struct Behaviour: Sendable {
        var delay: Duration = .zero
        var status: HTTPResponse.Status = .ok
    }

    let server = LocalServer()
    let behaviour = NIOLockedValueBox(Behaviour())

    var url: String { server.base }

    func start() async throws {
        let router = Router()
        let behaviour = self.behaviour
        router.get("/health") { request, _ -> Response in
            let current = behaviour.withLockedValue { $0 }
            if current.delay > .zero { try await Task.sleep(for: current.delay) }
            let seen: [String: String] = [
                "tenant": request.headers[.tenantId] ?? "", "role": request.headers[.role] ?? "",
                "request_id": request.headers[.requestId] ?? "", "authorization": request.headers[.authorization] ?? "",
                "signature": request.headers[.gatewaySignature] ?? "", "path": request.uri.path,
            ]
            let body = try JSONSerialization.data(withJSONObject: seen)
            return Response(status: current.status, headers: [.contentType: "application/json", .server: "stand-in"], body: .init(byteBuffer: ByteBuffer(data: body)))
        }
        try await server.start(router)
    }

    func stop() async { await server.stop() }
}
