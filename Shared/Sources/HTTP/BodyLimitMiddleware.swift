// Reads every body before a handler does: over the configured size is a 413, a body that cannot be
// read (malformed chunks, the client gone) a 400.

import Hummingbird

struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = PlatformRequestContext
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBytes {
            throw tooLarge("\(declared) bytes")
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: maxBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge("more than \(maxBytes) bytes")
        } catch {
            // A malformed chunked body, or a client gone mid-body: the caller's fault, never a 500.
            throw Problem.unreadableBody(error)
        }
        return try await next(request, context)
    }

    private func tooLarge(_ size: String) -> Problem {
        Problem(.contentTooLarge, code: "payload_too_large", detail: "The request body is \(size); the limit is \(maxBytes) bytes.")
    }
}
