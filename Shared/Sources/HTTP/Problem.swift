// application/problem+json (RFC 9457) with a stable `code` and the request id.

import FoundationEssentials
import Glibc
import Hummingbird
import NIOHTTP1

/// An error a domain can throw that says what went wrong in terms a caller can act on.
public protocol ProblemConvertible: Error {
    var status: HTTPResponse.Status { get }
    /// Stable, lower_snake_case, documented in docs/errors.md.
    var code: String { get }
    /// What happened and what to fix.
    var detail: String { get }
}

/// A problem raised directly by platform code.
public struct Problem: ProblemConvertible, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let detail: String
    public var extensions: [String: ProblemExtension]
    /// Sent with the problem: `Retry-After`, rate-limit counters.
    public var headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status, code: String, detail: String, extensions: [String: ProblemExtension] = [:], headers: HTTPFields = [:]
    ) {
        self.status = status
        self.code = code
        self.detail = detail
        self.extensions = extensions
        self.headers = headers
    }
}

/// Extra problem members, e.g. the readiness checks that failed.
public enum ProblemExtension: Sendable, Encodable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case object([String: ProblemExtension])
    case array([ProblemExtension])

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        }
    }
}

/// The body as sent.
struct ProblemDocument: Encodable {
    let type: String
    let title: String
    let status: Int
    let detail: String
    let code: String
    let requestId: String
    let extensions: [String: ProblemExtension]

    enum CodingKeys: String, CodingKey { case type, title, status, detail, code, requestId = "request_id" }

    struct ExtensionKey: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(status, forKey: .status)
        try container.encode(detail, forKey: .detail)
        try container.encode(code, forKey: .code)
        try container.encode(requestId, forKey: .requestId)
        var extra = encoder.container(keyedBy: ExtensionKey.self)
        for (key, value) in extensions { try extra.encode(value, forKey: ExtensionKey(stringValue: key)) }
    }
}

extension Problem {
    static let typePrefix = "https://hotel-platform.dev/problems/"

    /// Any thrown error as a problem: ours as they are, Hummingbird's and decoding errors translated, the rest a 500.
    public static func from(_ error: any Error) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let convertible as any ProblemConvertible:
            return Problem(convertible.status, code: convertible.code, detail: convertible.detail)
        case is HTTPParserError:
            return unreadableBody(error)
        case let database as PostgresError where database.isConnectionFailure:
            return Problem(
                .serviceUnavailable, code: "database_unavailable", detail: "The service's database does not answer; retry in a few seconds.",
                headers: [.retryAfter: "5"])
        case RedisError.connection:
            return Problem(.serviceUnavailable, code: "cache_unavailable", detail: "The service's cache does not answer; retry in a few seconds.", headers: [.retryAfter: "5"])
        case let decoding as DecodingError:
            return Problem(.badRequest, code: "invalid_body", detail: DecodingErrorText.describe(decoding))
        case let http as any HTTPResponseError:
            return Problem(http.status, code: codeForStatus(http.status), detail: (http as? HTTPError)?.body ?? http.status.reasonPhrase)
        default:
            return Problem(.internalServerError, code: "internal_error", detail: "An unexpected error occurred; quote the request_id when reporting it.")
        }
    }

    /// A request whose body could not be read (malformed chunked framing, a chunk longer than
    /// declared, the client gone mid-body); the connection is not reused.
    static func unreadableBody(_ error: any Error) -> Problem {
        Problem(
            .badRequest, code: "malformed_request",
            detail: "The request body could not be read (\(error)): check its Content-Length or chunked framing.",
            headers: [.connection: "close"])
    }

    static func codeForStatus(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "bad_request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 409: "conflict"
        case 413: "payload_too_large"
        case 415: "unsupported_media_type"
        case 422: "unprocessable"
        case 429: "rate_limited"
        case 501: "not_implemented"
        case 502: "bad_gateway"
        case 503: "unavailable"
        case 504: "gateway_timeout"
        default: status.code >= 500 ? "internal_error" : "bad_request"
        }
    }

    public func response(requestId: String) -> Response {
        let (headers, body) = rendered(requestId: requestId)
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    /// The headers and problem+json body as sent.
    public func rendered(requestId: String) -> (headers: HTTPFields, body: ByteBuffer) {
        let document = ProblemDocument(
            type: Self.typePrefix + code, title: status.reasonPhrase, status: status.code,
            detail: detail, code: code, requestId: requestId, extensions: extensions
        )
        let body = (try? PlatformJSON.encoder.encode(document)) ?? Data("{}".utf8)
        return ([.contentType: "application/problem+json"] + headers, ByteBuffer(bytes: body))
    }
}

/// A decoding error in words a client can act on: which field, what was wrong.
public enum DecodingErrorText {
    public static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "Missing field '\(path(context.codingPath + [key]))'."
        case .typeMismatch(let type, let context):
            return "Field '\(path(context.codingPath))' must be \(describe(type))."
        case .valueNotFound(let type, let context):
            return "Field '\(path(context.codingPath))' must be \(describe(type)), not null."
        case .dataCorrupted(let context):
            let at = context.codingPath.isEmpty ? "The body" : "Field '\(path(context.codingPath))'"
            return context.codingPath.isEmpty ? "The body is not valid JSON." : "\(at) is invalid: \(context.debugDescription)"
        @unknown default:
            return "The body could not be read."
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacing(".[", with: "[")
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "true or false"
        default: "a \(type)"
        }
    }
}
