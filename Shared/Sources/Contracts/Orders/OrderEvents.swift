// The events order publishes (`order.created`, `order.confirmed`, `order.cancelled`, `order.closed`,
// `order.completed`, `payment.captured`, `payment.refunded`): the order as its distributor sees it,
// and beside it what only the platform may know (the supplier, the net price, the credit moved). The
// gateway delivers `order.*` to the distributor's webhook without `internal`.

import FoundationEssentials

public enum OrderEventType {
    public static let created = "order.created"
    public static let confirmed = "order.confirmed"
    public static let cancelled = "order.cancelled"
    public static let closed = "order.closed"
    public static let completed = "order.completed"
    public static let paymentCaptured = "payment.captured"
    public static let paymentRefunded = "payment.refunded"
}

public struct OrderEventData: Codable, Sendable, Equatable {
    public var order: OrderSummary
    public var `internal`: OrderInternals

    public init(order: OrderSummary, internal: OrderInternals) {
        self.order = order
        self.internal = `internal`
    }
}

/// What the distributor may see.
public struct OrderSummary: Codable, Sendable, Equatable {
    public var orderId: String
    public var number: String
    public var clientReference: String?
    /// The display status (PENDING, CONFIRMED, CANCELLED, ...).
    public var status: String
    public var orderStatus: String
    public var paymentStatus: String
    public var supplierStatus: String
    public var closeReason: String?
    public var hotelId: Int64
    public var roomName: String
    public var checkIn: CalendarDate
    public var checkOut: CalendarDate
    public var price: Money
    /// On cancellation: what it cost (in the price's currency).
    public var penalty: Money?
    /// On cancellation: what went back to the tenant's credit (in its account's currency).
    public var refunded: Money?

    public init(
        orderId: String, number: String, clientReference: String?, status: String, orderStatus: String, paymentStatus: String, supplierStatus: String,
        closeReason: String?, hotelId: Int64, roomName: String, checkIn: CalendarDate, checkOut: CalendarDate, price: Money, penalty: Money?, refunded: Money?
    ) {
        (self.orderId, self.number, self.clientReference, self.status) = (orderId, number, clientReference, status)
        (self.orderStatus, self.paymentStatus, self.supplierStatus, self.closeReason) = (orderStatus, paymentStatus, supplierStatus, closeReason)
        (self.hotelId, self.roomName, self.checkIn, self.checkOut) = (hotelId, roomName, checkIn, checkOut)
        (self.price, self.penalty, self.refunded) = (price, penalty, refunded)
    }

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id", number, clientReference = "client_reference", status, orderStatus = "order_status", paymentStatus = "payment_status"
        case supplierStatus = "supplier_status", closeReason = "close_reason", hotelId = "hotel_id", roomName = "room_name", checkIn = "check_in"
        case checkOut = "check_out", price, penalty, refunded
    }
}

/// For the platform's own consumers (settlement, bi): never sent to a distributor.
public struct OrderInternals: Codable, Sendable, Equatable {
    public var supplier: String
    public var supplierReference: String?
    /// What the platform owes the supplier, in the supplier's currency.
    public var net: Money
    /// The credit reserved for the order, in the tenant account's currency.
    public var charge: Money?
    /// What the supplier charged for cancelling (in the net's currency), when it said.
    public var supplierPenalty: Money?
    /// The net in the price's currency, as pricing converted it when the offer was made: the margin is the price less it.
    public var cost: Money?
    /// The hotel's city.
    public var city: String?

    public init(supplier: String, supplierReference: String?, net: Money, charge: Money?, supplierPenalty: Money? = nil, cost: Money? = nil, city: String? = nil) {
        (self.supplier, self.supplierReference, self.net, self.charge, self.supplierPenalty) = (supplier, supplierReference, net, charge, supplierPenalty)
        (self.cost, self.city) = (cost, city)
    }

    enum CodingKeys: String, CodingKey {
        case supplier, supplierReference = "supplier_reference", net, charge, supplierPenalty = "supplier_penalty", cost, city
    }
}
