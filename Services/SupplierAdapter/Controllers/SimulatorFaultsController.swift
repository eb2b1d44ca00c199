// The supplier simulator's fault plans, for operators in dev and test (the console's Suppliers
// page): only when SUPPLIER_SIMULATOR_URL names the simulator, and only for a supplier registered
// at it (its base_url starts with that URL; the next path segment is the simulator's own code).
//   GET|PUT|DELETE /api/v1/admin/suppliers/{code}/simulator-faults

import FoundationEssentials
import HTTPTypes
import Hummingbird
import NIOCore
import Shared

struct SimulatorFaultsController: Sendable {
    let simulatorURL: String?
    let repository: SupplierRepository
    let http: HTTP1Client

    struct Plans: Decodable {
        let faults: [String: JSONValue]
    }

    func add(to router: Router<PlatformRequestContext>) {
        let faults = router.group("api/v1/admin/suppliers/:code/simulator-faults")
        faults.get { _, context in
            let target = try await simulated(context)
            let answer = try await send(.get, "\(target.simulator)/admin/faults", body: nil)
            let plans = try PlatformJSON.decoder.decode(Plans.self, from: Data(buffer: answer.body))
            // No plan set: the simulator answers faithfully.
            return try PlatformJSON.answer(plans.faults[target.code] ?? .object([:]), replayed: false, status: .ok)
        }
        faults.put { request, context in
            let target = try await simulated(context)
            let body = try await request.body.collect(upTo: 16 * 1024)
            return Self.relay(try await send(.put, "\(target.simulator)/admin/faults/\(target.code)", body: body))
        }
        faults.delete { _, context in
            let target = try await simulated(context)
            return Self.relay(try await send(.delete, "\(target.simulator)/admin/faults/\(target.code)", body: nil))
        }
    }

    /// The simulator's URL and its code for the supplier named in the path.
    func simulated(_ context: PlatformRequestContext) async throws -> (simulator: String, code: String) {
        _ = try context.requireOperator()
        guard let simulatorURL else {
            throw Problem(.notFound, code: "simulator_not_configured", detail: "Fault plans exist only beside the supplier simulator (dev and test): set SUPPLIER_SIMULATOR_URL.")
        }
        let code = try context.parameters.require("code")
        guard let supplier = try await repository.find(code) else {
            throw Problem(.notFound, code: "unknown_supplier", detail: "No supplier '\(code)' is registered.")
        }
        guard let simulated = Self.simulatedCode(baseURL: supplier.baseURL, simulator: simulatorURL) else {
            throw Problem(.conflict, code: "not_simulated", detail: "'\(code)' is a real supplier (\(supplier.baseURL)): only the simulator's suppliers take fault plans.")
        }
        return (simulatorURL, simulated)
    }

    /// "globebeds" for base URL http://sim:8090/globebeds (or .../globebeds/ota) under http://sim:8090.
    static func simulatedCode(baseURL: String, simulator: String) -> String? {
        guard baseURL.hasPrefix(simulator + "/") else { return nil }
        let code = baseURL.dropFirst(simulator.count + 1).split(separator: "/").first.map(String.init)
        return code?.isEmpty == false ? code : nil
    }

    func send(_ method: HTTPRequest.Method, _ url: String, body: ByteBuffer?) async throws -> HTTP1Client.Response {
        do {
            return try await http.execute(method, url, headers: body == nil ? [:] : [.contentType: "application/json"], body: body, timeout: .seconds(5))
        } catch {
            throw Problem(.badGateway, code: "simulator_unreachable", detail: "The supplier simulator at \(simulatorURL ?? "") did not answer: \(error).")
        }
    }

    /// The simulator's answer as it came: the plan set, 204, or its refusal of a bad plan.
    static func relay(_ answer: HTTP1Client.Response) -> Response {
        var headers = HTTPFields()
        if let type = answer.headers[.contentType] { headers[.contentType] = type }
        return Response(status: answer.status, headers: headers, body: .init(byteBuffer: answer.body))
    }
}
