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
    static let assets: [String: (body: ByteBuffer, type: String)] = {
        let script = "text/javascript; charset=utf-8"
        return [
            "admin.css": (ByteBuffer(bytes: PackageResources.admin_css), "text/css; charset=utf-8"),
            "admin.js": (ByteBuffer(bytes: PackageResources.admin_js), script),
            "widgets.js": (ByteBuffer(bytes: PackageResources.widgets_js), script),
            "pages.js": (ByteBuffer(bytes: PackageResources.pages_js), script),
            "overview.js": (ByteBuffer(bytes: PackageResources.overview_js), script),
            "suppliers.js": (ByteBuffer(bytes: PackageResources.suppliers_js), script),
            "hotels.js": (ByteBuffer(bytes: PackageResources.hotels_js), script),
            "pricing.js": (ByteBuffer(bytes: PackageResources.pricing_js), script),
            "inventory.js": (ByteBuffer(bytes: PackageResources.inventory_js), script),
            "distributors.js": (ByteBuffer(bytes: PackageResources.distributors_js), script),
            "credit.js": (ByteBuffer(bytes: PackageResources.credit_js), script),
            "risk.js": (ByteBuffer(bytes: PackageResources.risk_js), script),
            "orders.js": (ByteBuffer(bytes: PackageResources.orders_js), script),
            "settlement.js": (ByteBuffer(bytes: PackageResources.settlement_js), script),
            "config.js": (ByteBuffer(bytes: PackageResources.config_js), script),
            // Chart.js 3.9.1 (MIT), as Debian's libjs-chart.js ships it.
            "chart.umd.js": (ByteBuffer(bytes: PackageResources.chart_umd_js), script),
        ]
    }()

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
