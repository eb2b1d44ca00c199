// risk's internal credit API for order (`/credit/reservations`): an order reserves money on its
// tenant's account, then captures it (all or part), releases it, or refunds what was captured. Each
// operation is idempotent by (order id, operation): a replay answers what the first call answered.

import FoundationEssentials

public enum CreditReservationStatus: String, Codable, Sendable {
    /// Held; `expired` when nobody captured or released it in time (the sweeper released it).
    case reserved, captured, released, expired
}

public struct CreditReserveRequest: Codable, Sendable {
    public var tenantId: String
    public var orderId: String
    /// In the account's currency.
    public var amount: Money
    /// How long the money is held before the sweeper releases it (60 s to 24 h; 30 min when absent).
    public var holdSeconds: Int?

    public init(tenantId: String, orderId: String, amount: Money, holdSeconds: Int? = nil) {
        self.tenantId = tenantId
        self.orderId = orderId
        self.amount = amount
        self.holdSeconds = holdSeconds
    }

    enum CodingKeys: String, CodingKey { case tenantId = "tenant_id", orderId = "order_id", amount, holdSeconds = "hold_seconds" }
}

/// Capture (the amount optional: the whole reservation when absent) and refund (the amount required).
public struct CreditAmountRequest: Codable, Sendable {
    public var amount: Money?
    public init(amount: Money?) { self.amount = amount }
}

public struct CreditReservation: Codable, Sendable, Equatable {
    public var orderId: String
    public var tenantId: String
    public var status: CreditReservationStatus
    public var amount: Money
    public var captured: Money
    public var refunded: Money
    public var expiresAt: Date

    public init(orderId: String, tenantId: String, status: CreditReservationStatus, amount: Money, captured: Money, refunded: Money, expiresAt: Date) {
        self.orderId = orderId
        self.tenantId = tenantId
        self.status = status
        self.amount = amount
        self.captured = captured
        self.refunded = refunded
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id", tenantId = "tenant_id", status, amount, captured, refunded, expiresAt = "expires_at"
    }
}
