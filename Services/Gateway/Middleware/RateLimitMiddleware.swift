// Applies the tenant's rate limit after authentication: 429 with Retry-After beyond it, and the
// X-RateLimit-* counters on every response.

import HTTPTypes
import Hummingbird
import Shared

struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = PlatformRequestContext
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let tenant = context.identity?.tenantId else { return try await next(request, context) }
        let decision = await limiter.admit(tenant, limit: limiter.limit(for: tenant))
        let headers = decision.headers
        if let refusal = decision.refusal { throw refusal }
        do {
            var response = try await next(request, context)
            response.headers.append(contentsOf: headers)
            return response
        } catch var problem as Problem {
            problem.headers.append(contentsOf: headers)
            throw problem
        }
    }
}

extension RateDecision {
    /// The X-RateLimit-* counters every response carries.
    var counters: [(name: HTTPField.Name, value: String)] {
        [(.rateLimitLimit, String(limit)), (.rateLimitRemaining, String(remaining)), (.rateLimitReset, String(resetAfter.wholeSecondsUp))]
    }

    var headers: HTTPFields { HTTPFields(counters.map { HTTPField(name: $0.name, value: $0.value) }) }

    /// The 429 for a refused request, with the counters and Retry-After.
    var refusal: Problem? {
        guard !allowed else { return nil }
        let wait = max(resetAfter.wholeSecondsUp, 1)
        var headers = self.headers
        headers[.retryAfter] = String(wait)
        return Problem(.tooManyRequests, code: "rate_limited", detail: "More than \(limit) requests in the window; retry after \(wait) s.", headers: headers)
    }
}
