// The operator console (docs/console.md): GET /admin (the page) and GET /admin/assets/{file} (its
// stylesheet, scripts and Chart.js), embedded in the binary: no build step, nothing to deploy beside
// the gateway. The page holds no data; it signs in and calls the public admin API with the
// operator's token, so it can do nothing the API forbids. A strict Content-Security-Policy: scripts
// and styles from this origin only (none inline), no frames, no other origins.

import Hummingbird
import HTTPTypes
import Shared

struct ConsoleController {
    static let policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    static let page = ByteBuffer(bytes: PackageResources.admin_html)

    /// Every asset by file name, with its media type.
    static let assets: [String: (body: ByteBuffer, type: String)] = [
        "admin.css": (ByteBuffer(bytes: PackageResources.admin_css), "text/css; charset=utf-8"),
        "admin.js": (ByteBuffer(bytes: PackageResources.admin_js), "text/javascript; charset=utf-8"),
        "pages.js": (ByteBuffer(bytes: PackageResources.pages_js), "text/javascript; charset=utf-8"),
        // Chart.js 3.9.1 (MIT), as Debian's libjs-chart.js ships it.
        "chart.umd.js": (ByteBuffer(bytes: PackageResources.chart_umd_js), "text/javascript; charset=utf-8"),
    ]

    func add(root: Router<PlatformRequestContext>) {
        root.get("/admin") { _, _ in Self.answer(Self.page, type: "text/html; charset=utf-8") }
        root.get("/admin/assets/:file") { _, context in
            guard let asset = Self.assets[try context.parameters.require("file")] else {
                throw Problem(.notFound, code: "not_found", detail: "No such console file.")
            }
            return Self.answer(asset.body, type: asset.type)
        }
    }

    static func answer(_ body: ByteBuffer, type: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type, .cacheControl: "no-cache", .contentSecurityPolicy: policy,
                HTTPField.Name("X-Content-Type-Options")!: "nosniff", HTTPField.Name("Referrer-Policy")!: "no-referrer",
            ],
            body: .init(byteBuffer: body))
    }
}
