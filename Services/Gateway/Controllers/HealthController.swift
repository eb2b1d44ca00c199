// The operator health page: GET /api/v1/admin/health (JSON, operators only) and GET /admin/health
// (the HTML page; no data in it, it signs in and polls the JSON every 5 s).

import Hummingbird
import Shared

struct HealthController {
    let board: HealthBoard

    static let page = ByteBuffer(bytes: PackageResources.health_html)

    func add(admin: RouterGroup<PlatformRequestContext>, root: Router<PlatformRequestContext>) {
        admin.get("/health") { _, _ in await board.report() }
        root.get("/admin/health") { _, _ in
            Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8", .cacheControl: "no-cache",
                    .contentSecurityPolicy: "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'",
                ],
                body: .init(byteBuffer: Self.page))
        }
    }
}

extension HealthReport: ResponseEncodable {}
