// Calls from one service to another's internal API: JSON in and out, a deadline on every call, and
// the caller's request id and trace carried on (the callee's log lines join the same trace). A
// non-2xx answer is a `ServiceCallError` with the callee's problem code.

import FoundationEssentials
import HTTPTypes
import NIOCore

/// On whose behalf a call is made: the request being served (its id and trace), or a job.
public struct CallOrigin: Sendable {
    public var requestId: String
    public var trace: TraceContext

    public init(requestId: String, trace: TraceContext) {
        self.requestId = requestId
        self.trace = trace
    }

    /// A call a background job starts: a new request id and trace.
    public static func job() -> CallOrigin {
        let trace = TraceContext.root()
        return CallOrigin(requestId: trace.traceId, trace: trace)
    }
}

extension PlatformRequestContext {
    /// Calls made while serving this request continue its id and trace.
    public var origin: CallOrigin { CallOrigin(requestId: requestId, trace: trace) }
}

public enum ServiceCallError: Error, CustomStringConvertible, Sendable {
    /// The service answered with a status that is not 2xx (its problem code, when it sent one).
    case answered(PlatformService, path: String, status: Int, code: String?, detail: String)
    /// No answer within the call's deadline.
    case timeout(PlatformService, path: String)
    /// No answer: refused, closed.
    case unreachable(PlatformService, path: String, reason: String)

    public var description: String {
        switch self {
        case .answered(let service, let path, let status, let code, let detail):
            "\(service.rawValue) answered \(status)\(code.map { " \($0)" } ?? "") to \(path): \(detail.prefix(300))"
        case .timeout(let service, let path): "\(service.rawValue) did not answer \(path) in time"
        case .unreachable(let service, let path, let reason): "\(service.rawValue) did not answer \(path): \(reason)"
        }
    }
}

/// What the callee's problem+json says, as far as a caller needs it.
struct ProblemBody: Decodable {
    var code: String?
    var detail: String?
}

public struct ServiceClient: Sendable {
    public let service: PlatformService
    public let baseURL: String
    let http: HTTP1Client

    public init(_ service: PlatformService, baseURL: String, http: HTTP1Client) {
        self.service = service
        self.baseURL = baseURL
        self.http = http
    }

    public func get<Answer: Decodable>(_ path: String, as: Answer.Type, origin: CallOrigin, timeout: Duration) async throws -> Answer {
        try await call(.get, path, body: nil, origin: origin, timeout: timeout)
    }

    public func post<Answer: Decodable>(_ path: String, _ body: some Encodable, as: Answer.Type, origin: CallOrigin, timeout: Duration) async throws -> Answer {
        try await call(.post, path, body: ByteBuffer(bytes: try PlatformJSON.encoder.encode(body)), origin: origin, timeout: timeout)
    }

    /// For a document on a hot path, written and read by hand (JSONWriter, JSONReader).
    public func post<Answer: JSONReadable>(_ path: String, json body: some JSONWritable, as: Answer.Type, origin: CallOrigin, timeout: Duration)
        async throws -> Answer
    {
        let bytes = try await exchange(.post, path, body: ByteBuffer(bytes: JSONWriter.bytes(of: body, capacity: 64 * 1024)), origin: origin, timeout: timeout)
        return try JSONReader.read(Answer.self, from: bytes)
    }

    /// A JSON body, the answer read by hand (JSONReader: a long answer on a hot path).
    public func post<Answer: JSONReadable>(_ path: String, _ body: some Encodable, reading: Answer.Type, origin: CallOrigin, timeout: Duration)
        async throws -> Answer
    {
        let bytes = try await exchange(.post, path, body: ByteBuffer(bytes: try PlatformJSON.encoder.encode(body)), origin: origin, timeout: timeout)
        return try JSONReader.read(Answer.self, from: bytes)
    }

    func call<Answer: Decodable>(_ method: HTTPRequest.Method, _ path: String, body: ByteBuffer?, origin: CallOrigin, timeout: Duration) async throws -> Answer {
        try PlatformJSON.decoder.decode(Answer.self, from: Data(try await exchange(method, path, body: body, origin: origin, timeout: timeout)))
    }

    /// The answer's body when its status is 2xx; otherwise what went wrong, as a ServiceCallError.
    func exchange(_ method: HTTPRequest.Method, _ path: String, body: ByteBuffer?, origin: CallOrigin, timeout: Duration) async throws -> [UInt8] {
        var headers: HTTPFields = [.requestId: origin.requestId, .traceparent: origin.trace.traceparent]
        if body != nil { headers[.contentType] = "application/json" }
        let response: HTTP1Client.Response
        do {
            response = try await http.execute(method, baseURL + path, headers: headers, body: body, timeout: timeout)
        } catch HTTP1Client.Failure.timeout {
            throw ServiceCallError.timeout(service, path: path)
        } catch {
            throw ServiceCallError.unreachable(service, path: path, reason: "\(error)")
        }
        let bytes = Array(response.body.readableBytesView)
        guard (200..<300).contains(response.status.code) else {
            let problem = try? PlatformJSON.decoder.decode(ProblemBody.self, from: Data(bytes))
            throw ServiceCallError.answered(
                service, path: path, status: response.status.code, code: problem?.code, detail: problem?.detail ?? String(decoding: bytes, as: UTF8.self))
        }
        return bytes
    }
}
