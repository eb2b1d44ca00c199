// Events about suppliers: a verified webhook the gateway received from one (for supplier-adapter to
// apply), and a supplier's hotel content having changed (for matching to map again).

import FoundationEssentials

/// `supplier.webhook.received`, produced by the gateway once the signature and replay checks pass.
public struct SupplierWebhookEvent: Equatable, Codable, Sendable {
    public static let type = "supplier.webhook.received"

    public var supplierCode: String
    public var webhookId: String
    public var receivedAt: Date
    /// The supplier's JSON as sent.
    public var body: JSONValue

    public init(supplierCode: String, webhookId: String, receivedAt: Date, body: JSONValue) {
        self.supplierCode = supplierCode
        self.webhookId = webhookId
        self.receivedAt = receivedAt
        self.body = body
    }

    enum CodingKeys: String, CodingKey { case supplierCode = "supplier_code", webhookId = "webhook_id", receivedAt = "received_at", body }
}

/// `supplier.hotels.updated`: these hotel records of a supplier changed (or are new).
public struct SupplierHotelsUpdatedEvent: Hashable, Codable, Sendable {
    public static let type = "supplier.hotels.updated"

    public var supplier: String
    public var hotelCodes: [String]

    public init(supplier: String, hotelCodes: [String]) {
        self.supplier = supplier
        self.hotelCodes = hotelCodes
    }

    enum CodingKeys: String, CodingKey { case supplier, hotelCodes = "hotel_codes" }
}
