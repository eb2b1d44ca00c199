// Applies the tenant's rate limit after authentication: 429 with Retry-After beyond it, and the
// X-RateLimit-* counters on every response.

import Hummingbird
import Shared

struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = PlatformRequestContext
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let tenant = context.identity?.tenantId else { return try await next(request, context) }
        let decision = await limiter.admit(tenant, limit: limiter.limit(for: tenant))
        var headers: HTTPFields = [
            .rateLimitLimit: String(decision.limit),
            .rateLimitRemaining: String(decision.remaining),
            .rateLimitReset: String(decision.resetAfter.wholeSecondsUp),
        ]
        guard decision.allowed else {
            headers[.retryAfter] = String(max(decision.resetAfter.wholeSecondsUp, 1))
            throw Problem(
                .tooManyRequests, code: "rate_limited",
                detail: "More than \(decision.limit) requests in the window; retry after \(max(decision.resetAfter.wholeSecondsUp, 1)) s.",
                headers: headers)
        }
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
