// What suppliers push through the gateway's webhook (`supplier.webhook.received`), applied once
// each (inbox):
//   {"type": "supplier.status", "status": "active" | "degraded" | "suspended"}  -> the registry
//   {"type": "hotels.updated", "hotel_codes": [...]}                              -> `supplier.hotels.updated`
// Anything else is acknowledged and logged.

import FoundationEssentials
import Logging
import Shared

enum SupplierPushes {
    struct Push: Decodable {
        var type: String
        var status: SupplierStatus?
        var hotelCodes: [String]?
        enum CodingKeys: String, CodingKey { case type, status, hotelCodes = "hotel_codes" }
    }

    static func handling(lanes: SupplierLanes, logger: Logger) -> EventHandling<SupplierWebhookEvent> {
        EventHandling(queue: "supplier-adapter.webhooks", events: [SupplierWebhookEvent.type], schema: "supplier") { events, transaction in
            var changedStatus = false
            for event in events {
                let received = event.payload
                guard let push = try? received.body.decode(as: Push.self) else {
                    logger.warning("supplier push not understood", metadata: ["supplier": .string(received.supplierCode), "webhookId": .string(received.webhookId)])
                    continue
                }
                switch (push.type, push.status, push.hotelCodes) {
                case ("supplier.status", let status?, _):
                    let updated = try transaction.connection.execute(
                        "UPDATE supplier.suppliers SET status = $2, updated_by = $3, updated_at = now() WHERE code = $1 AND status <> $2",
                        [received.supplierCode, status.rawValue, "webhook:" + received.webhookId])
                    changedStatus = changedStatus || updated > 0
                case ("hotels.updated", _, let codes?) where !codes.isEmpty:
                    transaction.emit(try EventEnvelope(
                        type: SupplierHotelsUpdatedEvent.type, producer: "supplier-adapter", tenantId: nil, traceId: event.envelope.traceId,
                        data: try JSONValue(encoding: SupplierHotelsUpdatedEvent(supplier: received.supplierCode, hotelCodes: codes))))
                default:
                    logger.info("supplier push ignored", metadata: ["supplier": .string(received.supplierCode), "type": .string(push.type)])
                }
            }
            if changedStatus { transaction.afterCommit { try await lanes.reload() } }
        }
    }
}
