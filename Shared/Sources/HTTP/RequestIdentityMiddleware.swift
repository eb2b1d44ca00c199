// Takes X-Request-Id and traceparent from the request or makes them, puts them in every log line of the
// request, and echoes them on the response.

import Hummingbird
import Logging

struct RequestIdentityMiddleware: RouterMiddleware {
    typealias Context = PlatformRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.requestId = RequestId.accepting(request.headers.first(.requestId)) ?? RequestId.generate()
        context.trace = TraceContext.continuing(request.headers.first(.traceparent)) ?? .root()
        context.logger.attach(requestId: context.requestId, trace: context.trace)
        var response = try await next(request, context)
        response.headers[.requestId] = context.requestId
        response.headers[.traceparent] = context.trace.traceparent
        return response
    }
}

public enum RequestId {
    /// A caller's id is kept when it is short and plain, so it can go into logs and headers safely.
    public static func accepting(_ header: String?) -> String? {
        guard let header, (1...128).contains(header.utf8.count), header.utf8.allSatisfy(isIdByte) else { return nil }
        return header
    }

    public static func generate() -> String { RandomHex.make(bytes: 16) }

    /// ASCII letters and digits, `-`, `_`, `.` and `:`.
    static func isIdByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"):
            true
        default: false
        }
    }
}

extension Logger {
    /// Every line logged for the request carries its id and trace.
    public mutating func attach(requestId: String, trace: TraceContext) {
        self[metadataKey: "requestId"] = .string(requestId)
        self[metadataKey: "hb.request.id"] = .string(requestId)
        self[metadataKey: "traceId"] = .string(trace.traceId)
        self[metadataKey: "spanId"] = .string(trace.spanId)
    }
}
