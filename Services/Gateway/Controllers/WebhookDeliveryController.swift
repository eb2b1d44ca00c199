// Operators read the outbound webhook log (per tenant, per status) and replay a delivery.

import FoundationEssentials
import Hummingbird
import Shared

struct WebhookDeliveryController {
    let repository: WebhookRepository

    struct DeliveryList: ResponseEncodable { var deliveries: [WebhookDelivery] }

    func add(to admin: RouterGroup<PlatformRequestContext>) {
        admin.get("/webhook-deliveries") { request, _ in
            let query = request.uri.queryParameters
            let tenant = try query["tenant"].map { text in
                guard let id = UUID(uuidString: String(text)) else { throw Self.invalid("tenant must be a tenant id (a UUID).") }
                return id.uuidString.lowercased()
            }
            let status = try query["status"].map { text in
                guard let status = WebhookDelivery.Status(rawValue: String(text)) else { throw Self.invalid("status must be pending, delivered or dead.") }
                return status
            }
            let limit = try query["limit"].map { text in
                guard let limit = Int(text), (1...500).contains(limit) else { throw Self.invalid("limit must be 1 to 500.") }
                return limit
            } ?? 50
            return DeliveryList(deliveries: try await repository.deliveries(tenant: tenant, status: status, limit: limit))
        }
        admin.get("/webhook-deliveries/{delivery}") { _, context in
            let id = try Self.deliveryId(context)
            guard let delivery = try await repository.delivery(id) else { throw Self.notFound(id) }
            return delivery
        }
        admin.post("/webhook-deliveries/{delivery}/replay") { _, context in
            let id = try Self.deliveryId(context)
            guard let delivery = try await repository.replay(id) else { throw Self.notFound(id) }
            return EditedResponse(status: .accepted, response: delivery)
        }
    }

    static func deliveryId(_ context: PlatformRequestContext) throws -> String {
        let text = try context.parameters.require("delivery")
        guard let id = UUID(uuidString: text) else { throw Problem(.badRequest, code: "invalid_delivery_id", detail: "'\(text)' is not a delivery id (a UUID).") }
        return id.uuidString.lowercased()
    }

    static func invalid(_ detail: String) -> Problem { Problem(.badRequest, code: "invalid_query", detail: detail) }
    static func notFound(_ id: String) -> Problem { Problem(.notFound, code: "delivery_not_found", detail: "There is no webhook delivery \(id).") }
}

extension WebhookDelivery: ResponseEncodable {}
