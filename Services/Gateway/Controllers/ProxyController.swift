// Everything under /api/v1 the gateway does not answer itself goes through the routing table.

import Hummingbird
import Shared

struct ProxyController {
    let table: RouteTable
    let proxy: UpstreamProxy

    func add(to group: RouterGroup<PlatformRequestContext>) {
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            group.on("**", method: method) { request, context in try await forward(request, context) }
        }
    }

    func forward(_ request: Request, _ context: PlatformRequestContext) async throws -> Response {
        guard let route = table.route(for: request.uri.path[...]) else {
            throw Problem(.notFound, code: "no_route", detail: "No public API at \(request.uri.path); see /api/v1/openapi.json.")
        }
        if route.role == .admin { try AdminOnlyMiddleware.requireAdmin(context) }
        guard route.availability == .live else {
            throw Problem(
                .notImplemented, code: "not_implemented", detail: "\(route.prefix) (served by \(route.upstream.rawValue)) is not available yet.",
                extensions: ["upstream": .string(route.upstream.rawValue)])
        }
        return try await proxy.forward(request, route: route, context: context)
    }
}
