// One order as the order service keeps it: who placed it, the offer's terms as booked, its state,
// where its saga stands, and the money: the price sold, the credit charged for it (in the tenant
// account's currency), the penalty kept and the refund given on cancellation.

import FoundationEssentials
import Shared

struct Order: Sendable {
    var id: UUID
    /// Our reference at the supplier (its client reference).
    var number: String
    var tenantId: String
    var clientReference: String?
    var state: OrderState
    var step: SagaStep
    var version: Int
    var hold: Bool
    var holdExpiresAt: Date?
    /// The offer being booked (a price check may have renewed it).
    var offerId: String
    var terms: OfferTerms
    /// The price of the offer the order was placed with: the tolerance is measured from it.
    var agreed: Money
    var tolerance: PlaceOrderInput.Tolerance?
    var guests: [PlaceOrderInput.Person]
    var contact: PlaceOrderInput.Contact
    var remark: String?
    /// The distributor's caller as the gateway saw it.
    var clientIp: String?
    /// The credit to capture for the price, in the tenant account's currency.
    var charge: Money?
    /// The credit reserved: the most the distributor accepted (the price and its tolerance), in the same currency.
    var reserved: Money?
    var risk: RiskOutcome?
    var supplierReference: String?
    var penalty: Money?
    var refunded: Money?
    /// What the supplier charged for cancelling, as it answered (none for a direct contract).
    var supplierPenalty: Money? = nil
    /// The reason the `release` step closes with.
    var closing: CloseReason?
    var failure: OrderFailure?
    var attempts: Int
    /// The suppliers that refused to book it (with order.fallback.enabled, others are tried).
    var refusedBy: [String]
    var createdAt: Date
    var updatedAt: Date
    var confirmedAt: Date?
    var closedAt: Date?

    var isDirect: Bool { terms.supplier == directSupplier }
    var sell: Money { terms.sell }
    var display: DisplayStatus { DisplayStatus(state, step: step) }
}

struct RiskOutcome: Codable, Sendable, Equatable {
    var score: Int
    var decision: RiskDecision
    var reasons: [String]
}

/// Why an order could not be made, as its POST answers it (problem+json) for as long as it is replayed.
struct OrderFailure: Codable, Sendable, Equatable {
    var status: Int
    var code: String
    var detail: String
    /// PRICE_CHANGED beyond the tolerance: the offer at its new price, to place a new order with.
    var offerId: String?
    var price: Money?

    enum CodingKeys: String, CodingKey { case status, code, detail, offerId = "offer_id", price }

    func problem(order: Order) -> Problem {
        var extensions: [String: ProblemExtension] = ["order_id": .string(order.id.uuidString.lowercased()), "order_status": .string(order.display.rawValue)]
        if let offerId { extensions["offer_id"] = .string(offerId) }
        if let price { extensions["price"] = .object(["amount": .string(price.amount.description), "currency": .string(price.currency)]) }
        return Problem(.init(code: status), code: code, detail: detail, extensions: extensions)
    }
}

/// An order number: `HP` and 14 characters of Crockford base 32 (70 random bits), unique in practice
/// and backed by the column's unique index.
enum OrderNumber {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    static func make() -> String {
        "HP" + String(Digest.randomBytes(14).map { alphabet[Int($0 & 31)] })
    }
}
