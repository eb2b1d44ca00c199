// Orders as the API shows them: to their distributor (no supplier, no net price), and to operators
// (everything, with the history of every change and saga step).

import FoundationEssentials
import Hummingbird
import Shared

struct OrderView: ResponseEncodable, Sendable {
    struct Hotel: Encodable, Sendable {
        var id: Int64
        var roomName: String
        var board: Board
        var refundable: Bool
        enum CodingKeys: String, CodingKey { case id, roomName = "room_name", board, refundable }
    }

    struct FailureView: Encodable, Sendable {
        var code: String
        var detail: String
    }

    var id: String
    var number: String
    var clientReference: String?
    var status: DisplayStatus
    var orderStatus: OrderStatus
    var paymentStatus: PaymentStatus
    var supplierStatus: SupplierStatus
    var closeReason: CloseReason?
    var hotel: Hotel
    var checkIn: CalendarDate
    var checkOut: CalendarDate
    var occupancy: Occupancy
    var guests: [PlaceOrderInput.Person]
    var contact: PlaceOrderInput.Contact
    var price: Money
    /// The credit reserved or captured for it (the account's currency).
    var charge: Money?
    var cancellationPolicies: [CancellationPolicy]
    var hold: Bool
    var holdExpiresAt: Date?
    var penalty: Money?
    var refunded: Money?
    var failure: FailureView?
    var createdAt: Date
    var updatedAt: Date
    var confirmedAt: Date?
    var closedAt: Date?

    init(_ order: Order) {
        id = order.key
        number = order.number
        clientReference = order.clientReference
        status = order.display
        orderStatus = order.state.order
        paymentStatus = order.state.payment
        supplierStatus = order.state.supplier
        closeReason = order.state.closeReason
        hotel = Hotel(id: order.terms.masterHotelId, roomName: order.terms.roomName, board: order.terms.board, refundable: order.terms.refundable)
        checkIn = order.terms.checkIn
        checkOut = order.terms.checkOut
        occupancy = order.terms.occupancy
        guests = order.guests
        contact = order.contact
        price = order.sell
        charge = order.charge
        cancellationPolicies = order.terms.cancellationPolicies
        hold = order.hold
        holdExpiresAt = order.holdExpiresAt
        penalty = order.penalty
        refunded = order.refunded
        failure = order.failure.map { FailureView(code: $0.code, detail: $0.detail) }
        createdAt = order.createdAt
        updatedAt = order.updatedAt
        confirmedAt = order.confirmedAt
        closedAt = order.closedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, number, clientReference = "client_reference", status, orderStatus = "order_status", paymentStatus = "payment_status"
        case supplierStatus = "supplier_status", closeReason = "close_reason", hotel, checkIn = "check_in", checkOut = "check_out", occupancy, guests, contact
        case price, charge, cancellationPolicies = "cancellation_policies", hold, holdExpiresAt = "hold_expires_at", penalty, refunded, failure
        case createdAt = "created_at", updatedAt = "updated_at", confirmedAt = "confirmed_at", closedAt = "closed_at"
    }
}

/// An operator's view: the distributor's, and the supplier side, the saga and the history.
struct OrderAdminView: ResponseEncodable, Sendable {
    var order: OrderView
    var tenantId: String
    var supplier: String
    var supplierReference: String?
    var net: Money
    var step: SagaStep
    var attempts: Int
    var risk: RiskOutcome?
    var history: [HistoryEntry]

    enum CodingKeys: String, CodingKey {
        case order, tenantId = "tenant_id", supplier, supplierReference = "supplier_reference", net, step, attempts, risk, history
    }
}

struct HistoryEntry: Encodable, Sendable {
    var at: Date
    var actor: String
    var event: String
    var from: String?
    var to: String?
    var step: String?
    var detail: JSONValue?
}

/// What cancelling costs: quoted (`simulate=true`) or done.
struct CancellationView: ResponseEncodable, Sendable {
    var orderId: String
    var simulated: Bool
    var status: DisplayStatus
    var penalty: Money
    var refund: Money

    enum CodingKeys: String, CodingKey { case orderId = "order_id", simulated, status, penalty, refund }
}
