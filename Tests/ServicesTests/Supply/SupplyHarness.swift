// supplier-adapter under test with its real PostgreSQL, RabbitMQ and Redis, in front of a real
// supplier-sim on a port of its own (own bookings, own fault plans). Suppliers are registered
// under codes unique to the test, so tests share the registry without meeting.

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import HummingbirdTesting
@testable import Shared
@testable import SupplierAdapter
@testable import SupplierSim
import Testing
import TestSupport

struct SupplyHarness {
    static let simulatorSecret = "test-sim-secret"

    var adapterEnvironment: [String: String]

    init(_ extra: [String: String] = [:]) {
        adapterEnvironment = ServiceEnvironment.all.merging(["RETRY_BACKOFF_MS": "10", "RETRY_MAX_ATTEMPTS": "3"]) { $1 }.merging(extra) { $1 }
    }

    /// Runs `body` with a started simulator and the adapter's test client.
    func run(_ body: @escaping @Sendable (Simulator, any TestClientProtocol) async throws -> Void) async throws {
        let simulator = try await Simulator.start()
        // Beside the simulator, as in dev (a test may unset it with "").
        let env = EnvironmentVariables(["SUPPLIER_SIMULATOR_URL": simulator.server.base].merging(adapterEnvironment) { $1 })
        #expect(await MigrateCommand.run(SupplierAdapterService.definition, environment: env, arguments: ["migrate", "up"]) == 0)
        let assembly = try ServiceRunner.assemble(SupplierAdapterService.definition, environment: env, logSink: .capturing())
        do {
            try await assembly.application.test(.router) { client in try await body(simulator, client) }
        } catch {
            await simulator.server.stop()
            throw error
        }
        await simulator.server.stop()
    }
}

/// A supplier-sim on a real port.
struct Simulator: Sendable {
    let server: LocalServer

    static func start() async throws -> Simulator {
        let server = LocalServer()
        // A small world (20 hotels a city) is enough for protocol tests and cheap to build.
        let env = EnvironmentVariables([
            "PORT": String(server.port), "HOST": "127.0.0.1", "SIM_SECRET": SupplyHarness.simulatorSecret, "LOG_LEVEL": "warning", "SIM_HOTELS_PER_CITY": "20",
        ])
        let assembly = try ServiceRunner.assemble(SupplierSimService.definition, environment: env, logSink: .capturing())
        try await server.start(assembly.application)
        return Simulator(server: server)
    }

    var credentials: SimulatorCredentials { SimulatorCredentials(secretBase: SupplyHarness.simulatorSecret) }

    /// The base URL supplier-adapter registers for a simulated supplier.
    func baseURL(_ supplier: String) -> String {
        SimulatedSupplier.named(supplier)?.protocolKind == .openTravelXML ? "\(server.base)/\(supplier)/ota" : "\(server.base)/\(supplier)"
    }

    /// A registration of one of its suppliers for supplier-adapter, under a code of its own: (code, body).
    func registration(_ supplier: String, secret: String? = nil, extra: [String: Any] = [:]) -> (code: String, body: [String: Any]) {
        let code = "\(supplier)-\(UUID().uuidString.prefix(8).lowercased())"
        let kind = SimulatedSupplier.named(supplier)!.protocolKind
        var body: [String: Any] = [
            "code": code, "name": "Simulated \(supplier)", "protocol": kind.rawValue, "base_url": baseURL(supplier),
            "credentials": ["key": kind == .openTravelXML ? credentials.user(supplier) : credentials.key(supplier), "secret": secret ?? credentials.secret(supplier)],
        ]
        body.merge(extra) { $1 }
        return (code, body)
    }

    func setFaults(_ supplier: String, _ plan: [String: Any]) async throws {
        var request = URLRequest(url: URL(string: "\(server.base)/admin/faults/\(supplier)")!)
        request.httpMethod = "PUT"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: plan)
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
    }

    /// The bookings the simulated supplier holds for our reference.
    func bookings(_ supplier: String, clientReference: String) async throws -> [[String: Any]] {
        let url = URL(string: "\(server.base)/admin/bookings?supplier=\(supplier)&client_reference=\(clientReference)")!
        let (data, _) = try await URLSession.shared.data(from: url)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
    }
}

extension TestClientProtocol {
    /// Identity headers as the gateway signs them for an operator.
    func operatorHeaders(_ method: HTTPRequest.Method, _ path: String) -> HTTPFields {
        identityHeaders(method, path, CallerIdentity(tenantId: "00000000-0000-0000-0000-00000000000a", role: "admin"))
    }

    /// Identity headers as the gateway signs them for `identity`.
    func identityHeaders(_ method: HTTPRequest.Method, _ path: String, _ identity: CallerIdentity) -> HTTPFields {
        let requestId = UUID().uuidString
        let signature = GatewayIdentity(secret: ServiceEnvironment.secrets["GATEWAY_IDENTITY_SECRET"]!)
            .sign(identity, method: method.rawValue, path: path, requestId: requestId, now: Int(Date().timeIntervalSince1970))
        return [.tenantId: identity.tenantId, .role: identity.role, .requestId: requestId, .gatewaySignature: signature]
    }

    /// Sends JSON and returns the status and the decoded answer (an object, an array, or nil).
    func call(_ uri: String, _ method: HTTPRequest.Method, body: Any? = nil, headers extra: HTTPFields = [:]) async throws -> (status: HTTPResponse.Status, json: Any?) {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers.append(contentsOf: extra)
        let buffer = try body.map { ByteBuffer(data: try JSONSerialization.data(withJSONObject: $0)) }
        return try await execute(uri: uri, method: method, headers: headers, body: buffer) { response in
            (response.status, try? JSONSerialization.jsonObject(with: Data(buffer: response.body)))
        }
    }

    /// Registers a simulated supplier under a code of its own: the code.
    func register(_ supplier: String, on simulator: Simulator, secret: String? = nil, extra: [String: Any] = [:]) async throws -> String {
        let (code, body) = simulator.registration(supplier, secret: secret, extra: extra)
        let path = "/api/v1/admin/suppliers"
        let (status, json) = try await call(path, .post, body: body, headers: operatorHeaders(.post, path))
        #expect(status == .created, "register \(code): \(String(describing: json))")
        return code
    }

    /// A stay two to four weeks ahead, as suppliers refuse the past.
    func stay(nights: Int = 2) -> (String, String) {
        let checkIn = CalendarDate(utc: Date()).adding(days: 21)
        return (checkIn.description, checkIn.adding(days: nights).description)
    }

    /// The metric lines whose text contains every one of `parts`.
    func metricLines(_ parts: String...) async throws -> [String] {
        try await execute(uri: "/metrics", method: .get) { response in
            String(buffer: response.body).split(separator: "\n").map(String.init).filter { line in !line.hasPrefix("#") && parts.allSatisfy(line.contains) }
        }
    }
}
