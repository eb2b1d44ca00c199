// What suppliers push through the gateway's webhook (`supplier.webhook.received`), applied once
// each (inbox):
//   {"type": "supplier.status", "status": "active" | "degraded" | "suspended"}  -> the registry
//   {"type": "hotels.updated", "hotel_codes": [...]}                              -> `supplier.hotels.updated`
// Anything else is acknowledged and logged.

import FoundationEssentials
import Logging
import Shared

enum SupplierPushes {
    static let spec = ConsumerSpec(queue: "supplier-adapter.webhooks", bindingKeys: [SupplierWebhookEvent.type])
    static let consumer = "supplier-adapter.webhooks"

    struct Push: Decodable {
        var type: String
        var status: SupplierStatus?
        var hotelCodes: [String]?
        enum CodingKeys: String, CodingKey { case type, status, hotelCodes = "hotel_codes" }
    }

    static func handler(pool: PostgresPool, lanes: SupplierLanes, logger: Logger) -> EventConsumer.Handler {
        { batch in
            let events = try batch.map { try EventEnvelope(delivery: $0) }
            let changedStatus = try await pool.transaction { connection in
                let fresh = try Inbox.record(events.map(\.id), consumer: consumer, schema: "supplier", on: connection)
                var changed = false
                for event in events where fresh.contains(event.id) {
                    let received = try event.payload(as: SupplierWebhookEvent.self)
                    guard let push = try? received.body.decode(as: Push.self) else {
                        logger.warning("supplier push not understood", metadata: ["supplier": .string(received.supplierCode), "webhookId": .string(received.webhookId)])
                        continue
                    }
                    switch (push.type, push.status, push.hotelCodes) {
                    case ("supplier.status", let status?, _):
                        let updated = try connection.execute(
                            "UPDATE supplier.suppliers SET status = $2, updated_by = $3, updated_at = now() WHERE code = $1 AND status <> $2",
                            [received.supplierCode, status.rawValue, "webhook:" + received.webhookId])
                        changed = changed || updated > 0
                    case ("hotels.updated", _, let codes?) where !codes.isEmpty:
                        let update = try EventEnvelope(type: SupplierHotelsUpdatedEvent.type, producer: "supplier-adapter", tenantId: nil, traceId: event.traceId,
                                                       data: try JSONValue(encoding: SupplierHotelsUpdatedEvent(supplier: received.supplierCode, hotelCodes: codes)))
                        try Outbox.append([update], schema: "supplier", on: connection)
                    default:
                        logger.info("supplier push ignored", metadata: ["supplier": .string(received.supplierCode), "type": .string(push.type)])
                    }
                }
                return changed
            }
            if changedStatus { try await lanes.reload() }
        }
    }
}
