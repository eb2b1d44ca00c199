// What the fast lane takes and what it answers with, shared by every connection: the routes it may
// proxy (live distributor routes no gateway route lies under), and the same authenticator, rate
// limiter, upstream proxy and access log as the router's routes.

import FoundationEssentials
import Glibc
import HTTPTypes
import Logging
import NIOHTTP1
import NIOConcurrencyHelpers
import Prometheus
import Shared

struct FastLaneRoutes: Sendable {
    /// The router's label for proxied routes, kept for the metrics: `/api/v1/**`.
    static let routeLabel = "/api/v1/**"

    let table: RouteTable
    /// Whether this lane takes each route of the table (by index): live distributor routes under
    /// which the gateway serves nothing itself.
    let eligible: [Bool]
    let authenticator: Authenticator
    let limiter: RateLimiter
    let proxy: UpstreamProxy
    let metrics: HTTPMetrics
    let logger: Logger
    let serverName: String
    /// `gateway_fast_lane_requests_total`: requests this lane answered.
    let answered: Counter

    init(
        table: RouteTable, ownPaths: [String], authenticator: Authenticator, limiter: RateLimiter, proxy: UpstreamProxy, metrics: HTTPMetrics,
        logger: Logger, serverName: String
    ) {
        self.table = table
        eligible = table.routes.map { route in
            route.availability == .live && route.role == .distributor && !ownPaths.contains { $0 == route.prefix || $0.hasPrefix(route.prefix + "/") }
        }
        self.authenticator = authenticator
        self.limiter = limiter
        self.proxy = proxy
        self.metrics = metrics
        self.logger = logger
        self.serverName = serverName
        answered = metrics.registry.makeCounter(name: "gateway_fast_lane_requests_total")
    }

    /// The route of a request this lane takes: a bodiless HTTP/1.1 keep-alive GET with a bearer
    /// token to an eligible route.
    func route(for request: HTTPRequestHead) -> UpstreamRoute? {
        let headers = request.headers
        guard request.method == .GET, request.version == .http1_1, headers.contains(name: "authorization") else { return nil }
        guard headers.first(name: "content-length").map({ $0 == "0" }) ?? true, !headers.contains(name: "transfer-encoding"),
            !headers.contains(name: "expect"), !headers.contains(name: "upgrade"), request.isKeepAlive
        else { return nil }
        guard let index = table.index(for: Self.split(request.uri).path), eligible[index] else { return nil }
        return table.routes[index]
    }

    /// A request target's path and query.
    static func split(_ target: String) -> (path: Substring, query: String?) {
        // On the bytes: a search by Character would segment graphemes all the way.
        guard let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return (target[...], nil) }
        return (target[..<mark], String(target[target.utf8.index(after: mark)...]))
    }
}

/// The Date header (RFC 9110 IMF-fixdate), made once a second.
enum HTTPDate {
    private static let cache = NIOLockedValueBox((second: 0, text: ""))

    static var now: String {
        let second = time(nil)
        return cache.withLockedValue { cache in
            if cache.second != second {
                var parts = tm()
                var seconds = second
                gmtime_r(&seconds, &parts)
                var buffer = [CChar](repeating: 0, count: 64)
                let count = strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
                cache = (second, String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            return cache.text
        }
    }
}
