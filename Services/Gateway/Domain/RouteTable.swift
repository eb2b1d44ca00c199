// The public API's routing table: which service answers which path under /api/v1, who may call
// it, and whether that service implements it yet. Later capabilities switch routes to `.live`.

import Glibc
import Shared

/// A service behind the gateway, reached at `<NAME>_URL` (the platform's directory of services).
typealias Upstream = PlatformService

extension PlatformService {
    var timeoutVariable: String { rawValue.uppercased().replacing("-", with: "_") + "_TIMEOUT_MS" }

    /// Search waits for slow suppliers up to QUERY_TIMEOUT_MS (10 s); booking and supplier calls can take longer.
    var defaultTimeout: Duration {
        switch self {
        case .queryEngine: .seconds(12)
        case .order, .supplierAdapter: .seconds(30)
        case .bi: .seconds(15)
        default: .seconds(5)
        }
    }
}

struct UpstreamRoute: Sendable, Equatable {
    enum Availability: Sendable { case live, planned }

    /// Public path prefix, matched on whole segments: `/api/v1/orders` matches `/api/v1/orders/42`.
    let prefix: String
    let upstream: Upstream
    let role: Role
    let availability: Availability
    /// When set, the upstream path replaces the matched prefix (otherwise the path is forwarded unchanged).
    var upstreamPrefix: String? = nil

    func upstreamPath(for path: Substring) -> String {
        guard let upstreamPrefix else { return String(path) }
        // By bytes: the path matched the prefix byte for byte (counting Characters walks both).
        return upstreamPrefix + Substring(path.utf8.dropFirst(prefix.utf8.count))
    }
}

struct RouteTable: Sendable {
    let routes: [UpstreamRoute]
    /// Each route's prefix as bytes, compared with memcmp: this runs on every request.
    private let prefixes: [[UInt8]]

    init(routes: [UpstreamRoute]) {
        self.routes = routes
        prefixes = routes.map { Array($0.prefix.utf8) }
    }

    func route(for path: Substring) -> UpstreamRoute? {
        index(for: path).map { routes[$0] }
    }

    /// The index of the longest prefix that matches whole path segments.
    func index(for path: Substring) -> Int? {
        var path = path
        return path.withUTF8 { bytes in
            var best: Int?
            guard let start = bytes.baseAddress else { return nil }
            for (index, prefix) in prefixes.enumerated() where !prefix.isEmpty && prefix.count <= bytes.count && prefix.count > (best.map { prefixes[$0].count } ?? -1) {
                guard prefix.withUnsafeBytes({ memcmp(start, $0.baseAddress!, prefix.count) }) == 0 else { continue }
                guard prefix.count == bytes.count || bytes[prefix.count] == UInt8(ascii: "/") else { continue }
                best = index
            }
            return best
        }
    }

    static let platform = RouteTable(routes: [
        // A trivial live endpoint per service: liveness through the gateway (and the gateway benchmark's target).
        UpstreamRoute(prefix: "/api/v1/services/query-engine/health", upstream: .queryEngine, role: .distributor, availability: .live, upstreamPrefix: "/health"),
        UpstreamRoute(prefix: "/api/v1/services/order/health", upstream: .order, role: .distributor, availability: .live, upstreamPrefix: "/health"),
        UpstreamRoute(prefix: "/api/v1/services/pricing/health", upstream: .pricing, role: .distributor, availability: .live, upstreamPrefix: "/health"),
        // Distributors.
        UpstreamRoute(prefix: "/api/v1/search", upstream: .queryEngine, role: .distributor, availability: .live),
        UpstreamRoute(prefix: "/api/v1/hotels", upstream: .queryEngine, role: .distributor, availability: .live),
        UpstreamRoute(prefix: "/api/v1/offers", upstream: .queryEngine, role: .distributor, availability: .live),
        UpstreamRoute(prefix: "/api/v1/orders", upstream: .order, role: .distributor, availability: .live),
        UpstreamRoute(prefix: "/api/v1/credit", upstream: .risk, role: .distributor, availability: .live),
        UpstreamRoute(prefix: "/api/v1/statements", upstream: .settlement, role: .distributor, availability: .live),
        UpstreamRoute(prefix: "/api/v1/reports", upstream: .bi, role: .distributor, availability: .live),
        // Operators.
        UpstreamRoute(prefix: "/api/v1/admin/suppliers", upstream: .supplierAdapter, role: .admin, availability: .live),
        UpstreamRoute(prefix: "/api/v1/admin/hotels", upstream: .matching, role: .admin, availability: .live),
        UpstreamRoute(prefix: "/api/v1/admin/mappings", upstream: .matching, role: .admin, availability: .live),
        UpstreamRoute(prefix: "/api/v1/admin/pricing/exchange-rates", upstream: .pricing, role: .admin, availability: .live),
        UpstreamRoute(prefix: "/api/v1/admin/pricing", upstream: .pricing, role: .admin, availability: .live),
        UpstreamRoute(prefix: "/api/v1/admin/orders", upstream: .order, role: .admin, availability: .live),
        UpstreamRoute(prefix: "/api/v1/admin/inventory", upstream: .inventory, role: .admin, availability: .live),
        UpstreamRoute(prefix: "/api/v1/admin/credit", upstream: .risk, role: .admin, availability: .live),
        UpstreamRoute(prefix: "/api/v1/admin/risk", upstream: .risk, role: .admin, availability: .live),
        UpstreamRoute(prefix: "/api/v1/admin/settlement", upstream: .settlement, role: .admin, availability: .live),
        UpstreamRoute(prefix: "/api/v1/admin/reports", upstream: .bi, role: .admin, availability: .live),
    ])
}
