// The gateway's pure rules: breaker transitions, route matching, webhook signatures, retry schedule.

@testable import Gateway
import Shared
import Testing

@Suite struct GatewayDomainTests {
    let start = ContinuousClock.now

    @Test func breakerOpensOnFailureRateAndProbesOnceWhenThePauseIsOver() {
        var breaker = CircuitBreaker(policy: BreakerPolicy(consecutiveFailures: 100, failureRate: 0.5, window: 10, minimumCalls: 10, openFor: .seconds(5)))
        for call in 0..<10 { breaker.record(success: call % 2 == 0, at: start) }
        #expect(breaker.state == .open(until: start + .seconds(5)))
        let early = breaker.permit(at: start + .seconds(4))
        #expect(!early)
        let probe = breaker.permit(at: start + .seconds(5))
        #expect(probe, "the first caller after the pause is the probe")
        #expect(breaker.state == .halfOpen)
        let second = breaker.permit(at: start + .seconds(5))
        #expect(!second, "only one probe at a time")
        breaker.record(success: false, at: start + .seconds(6))
        #expect(breaker.state == .open(until: start + .seconds(11)))
        let again = breaker.permit(at: start + .seconds(11))
        #expect(again)
        breaker.record(success: true, at: start + .seconds(11))
        #expect(breaker.state == .closed)
    }

    /// Names arrive in any case from NIO's parser (the fast lane) and lowercase from HTTP types.
    @Test(arguments: ["X-Tenant-Id", "x-tenant-id", "X-TENANT-ID", "Authorization", "Content-Length", "Transfer-Encoding", "Date", "server", "te", "TraceParent"])
    func droppedHeadersAreRecognisedInAnyCase(_ name: String) {
        #expect(UpstreamProxy.isDropped(name))
    }

    @Test(arguments: ["X-Tenant", "X-Tenant-Idx", "Content-Type", "Accept", "t", "Teapot", "X-Role-", "Cookie"])
    func otherHeadersGoOn(_ name: String) {
        #expect(!UpstreamProxy.isDropped(name))
    }

    @Test func breakerStaysClosedBelowTheThresholds() {
        var breaker = CircuitBreaker(policy: BreakerPolicy())
        for call in 0..<40 { breaker.record(success: call % 3 != 0, at: start) }
        #expect(breaker.state == .closed)
        for _ in 0..<4 { breaker.record(success: false, at: start) }
        #expect(breaker.state == .open(until: start + .seconds(10)), "a third failed, then five in a row")
    }

    @Test func routesMatchWholeSegmentsAndTheLongestPrefix() {
        let table = RouteTable.platform
        #expect(table.route(for: "/api/v1/orders/42")?.upstream == .order)
        #expect(table.route(for: "/api/v1/orders")?.upstream == .order)
        #expect(table.route(for: "/api/v1/ordersx") == nil)
        #expect(table.route(for: "/api/v1/admin/orders/1")?.role == .admin)
        let health = table.route(for: "/api/v1/services/order/health")
        #expect(health?.upstreamPath(for: "/api/v1/services/order/health") == "/health")
        #expect(table.route(for: "/api/v1/nothing") == nil)
    }

    @Test func webhookSignaturesVerifyAndRejectTamperingAndAge() throws {
        let body = Array(#"{"event":"hotel.closed"}"#.utf8)
        let header = WebhookSignature.header(secret: "s3cret-0123456789", timestamp: 1_800_000_000, body: body)
        try WebhookSignature.verify(header, secret: "s3cret-0123456789", body: body, now: 1_800_000_100)
        #expect(throws: WebhookSignature.Rejection.mismatch) {
            try WebhookSignature.verify(header, secret: "s3cret-0123456789", body: body + [32], now: 1_800_000_100)
        }
        #expect(throws: WebhookSignature.Rejection.mismatch) {
            try WebhookSignature.verify(header, secret: "other-secret-000000", body: body, now: 1_800_000_100)
        }
        #expect(throws: WebhookSignature.Rejection.stale) {
            try WebhookSignature.verify(header, secret: "s3cret-0123456789", body: body, now: 1_800_000_301)
        }
        #expect(throws: WebhookSignature.Rejection.malformed) {
            try WebhookSignature.verify("v1=abc", secret: "s3cret-0123456789", body: body, now: 1_800_000_000)
        }
    }

    @Test func deliveriesBackOffExponentiallyAndGiveUpAfterADay() {
        let schedule = DeliverySchedule()
        #expect(schedule.delay(afterAttempt: 1, age: .zero, jitter: 1) == .seconds(10))
        #expect(schedule.delay(afterAttempt: 4, age: .zero, jitter: 1) == .seconds(80))
        #expect(schedule.delay(afterAttempt: 20, age: .zero, jitter: 1) == .hours(1), "capped")
        #expect(schedule.delay(afterAttempt: 3, age: .hours(24), jitter: 0.5) == nil)
    }
}

@Suite struct VerifiedTokensTests {
    @Test func aCachedTokenStillExpires() throws {
        let signer = AccessTokenSigner(secret: "verified-tokens-test-secret-0123456789")
        let now = 1_795_256_957
        let claims = AccessClaims(tenantId: "t-1", role: .distributor, keyId: "hk_1", issuedAt: now, expiresAt: now + 60, tokenId: "j-1")
        let token = try signer.sign(claims)
        let cache = VerifiedTokens()
        #expect(try cache.claims(of: token, signer: signer, now: now) == claims)
        #expect(try cache.claims(of: token, signer: signer, now: now + 59) == claims, "served from the cache")
        #expect(throws: TokenRejection.expired) { try cache.claims(of: token, signer: signer, now: now + 60) }
        #expect(throws: TokenRejection.self, "a different text is checked afresh") { try cache.claims(of: token + "x", signer: signer, now: now) }
    }
}
