// Operators read the outbound webhook log (per tenant, per status) and replay a delivery.

import FoundationEssentials
import Hummingbird
import Shared

struct WebhookDeliveryController {
    let repository: WebhookRepository

    struct DeliveryList: ResponseEncodable { var deliveries: [WebhookDelivery] }

    func add(to admin: RouterGroup<PlatformRequestContext>) {
        admin.get("/webhook-deliveries") { request, _ in
            DeliveryList(deliveries: try await repository.deliveries(
                tenant: try request.queryUUID("tenant"), status: try request.query("status", as: WebhookDelivery.Status.self), limit: try request.limit()))
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
        try context.uuid("delivery", code: "invalid_delivery_id", naming: "a delivery id")
    }

    static func notFound(_ id: String) -> Problem { Problem(.notFound, code: "delivery_not_found", detail: "There is no webhook delivery \(id).") }
}

extension WebhookDelivery: ResponseEncodable {}
