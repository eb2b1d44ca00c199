// GET /api/v1/openapi.json: the public API's description (docs/openapi.yaml), public like health.

import Hummingbird
import Shared

struct OpenAPIController {
    /// docs/openapi.yaml as JSON, embedded at build time.
    static let document = ByteBuffer(bytes: PackageResources.openapi_json)

    func add(to api: RouterGroup<PlatformRequestContext>) {
        api.get("/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: Self.document))
        }
    }
}
