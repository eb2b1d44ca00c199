// HTTP to suppliers (HTTPS in the real world): one AsyncHTTPClient with a connection pool sized for
// the busiest supplier, no redirects, a deadline on every call, and failures sorted into
// "never reached" (safe to repeat anything) and "no answer" (the supplier may have acted).

import AsyncHTTPClient
import FoundationEssentials
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
    let client: HTTPClient
    static let maxResponseBytes = 32 << 20

    init(maxConnectionsPerHost: Int) {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout.connect = .seconds(3)
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(8, maxConnectionsPerHost)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)], body: [UInt8]?, timeout: Duration) async throws(SupplierFailure) -> SupplierReply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        do {
            let response = try await client.execute(request, deadline: deadline)
            var buffer = try await response.body.collect(upTo: Self.maxResponseBytes)
            return SupplierReply(
                status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type") ?? "",
                body: buffer.readBytes(length: buffer.readableBytes) ?? [])
        } catch let error as HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout: throw .timeout
            case .connectTimeout: throw .unreachable("connect timed out")
            case .invalidURL: throw .unreachable("invalid URL \(url)")
            case .bodyLengthMismatch: throw .malformed("\(error)")
            default:
                // Closed mid-answer or a broken response: the request may have been acted on.
                if NIODeadline.now() >= deadline { throw .timeout }
                throw .malformed("the connection failed mid-answer: \(error)")
            }
        } catch let error as NIOTooManyBytesError {
            throw .malformed("response larger than \(Self.maxResponseBytes) bytes: \(error)")
        } catch {
            // Connection refused, DNS failure: nothing reached the supplier.
            if NIODeadline.now() >= deadline { throw .timeout }
            throw .unreachable("\(error)")
        }
    }

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
