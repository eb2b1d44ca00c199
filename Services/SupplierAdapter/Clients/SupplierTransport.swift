// HTTP to suppliers (HTTPS in the real world): the kit's HTTP1Client with a connection pool sized
// for the busiest supplier, no redirects, a deadline on every call, and failures sorted into
// "never reached" (safe to repeat anything) and "no answer" (the supplier may have acted).

import FoundationEssentials
import HTTPTypes
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Shared

struct SupplierReply: Sendable {
    var status: Int
    var contentType: String
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
}

struct SupplierTransport: Service {
    let client: HTTP1Client
    static let maxResponseBytes = 32 << 20

    init(maxConnectionsPerHost: Int) {
        client = HTTP1Client(connectTimeout: .seconds(3), maxIdlePerHost: max(8, maxConnectionsPerHost), maxResponseBytes: Self.maxResponseBytes)
    }

    func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)], body: [UInt8]?, timeout: Duration) async throws(SupplierFailure) -> SupplierReply {
        var fields = HTTPFields()
        for (name, value) in headers {
            guard let name = HTTPField.Name(name) else { throw .unreachable("invalid header name \(name)") }
            fields.append(HTTPField(name: name, value: value))
        }
        let deadline = ContinuousClock.now + timeout
        do {
            let response = try await client.execute(
                HTTPRequest.Method(method.rawValue)!, url, headers: fields, body: body.map { ByteBuffer(bytes: $0) }, timeout: timeout)
            return SupplierReply(status: response.status.code, contentType: response.headers[.contentType] ?? "", body: Array(buffer: response.body))
        } catch let failure as HTTP1Client.Failure {
            switch failure {
            case .timeout: throw .timeout
            // Not connected, or TLS refused the supplier's certificate: nothing reached the supplier.
            case .connect(let reason): throw .unreachable(reason)
            case .invalidURL: throw .unreachable("invalid URL \(url)")
            case .responseTooLarge: throw .malformed("response larger than \(Self.maxResponseBytes) bytes")
            // Closed mid-answer: the request may have been acted on.
            case .closed: throw ContinuousClock.now >= deadline ? .timeout : .malformed("the connection closed mid-answer")
            }
        } catch {
            // A response HTTP could not parse: the request reached the supplier.
            throw .malformed("a broken response: \(error)")
        }
    }

    func run() async throws {
        try await client.run()
    }
}
