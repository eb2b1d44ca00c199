// An order's state (seed 001): four separate dimensions — the order, its payment, its supplier
// booking and, once closed, why — changed only by the events of one declared table. Anything the
// table does not list is an impossible transition: refused, logged and counted, never written.

enum OrderStatus: String, Codable, Sendable, CaseIterable {
    case initial = "INIT", created = "CREATED", confirmed = "CONFIRMED", completed = "COMPLETED", closed = "CLOSED"
}

enum PaymentStatus: String, Codable, Sendable, CaseIterable {
    case initial = "INIT", pending = "PENDING", paid = "PAID", refunded = "REFUNDED", closed = "CLOSED"
}

/// For a direct contract, `REQUESTED` is rooms held in inventory and not yet confirmed.
enum SupplierStatus: String, Codable, Sendable, CaseIterable {
    case none = "NONE", requested = "REQUESTED", confirmed = "CONFIRMED", unknown = "UNKNOWN", failed = "FAILED", cancelled = "CANCELLED"
}

enum CloseReason: String, Codable, Sendable, CaseIterable {
    case createFailed = "CREATE_FAILED", customerCancelled = "CUSTOMER_CANCELLED", paymentTimeout = "PAYMENT_TIMEOUT", opsClosed = "OPS_CLOSED"
    case expired = "EXPIRED", supplierFailed = "SUPPLIER_FAILED", riskRejected = "RISK_REJECTED"
}

struct OrderState: Hashable, Sendable, CustomStringConvertible {
    var order: OrderStatus
    var payment: PaymentStatus
    var supplier: SupplierStatus
    var closeReason: CloseReason?

    static let start = OrderState(order: .initial, payment: .initial, supplier: .none)

    var isFinal: Bool { order == .closed || order == .completed }

    var description: String { "\(order.rawValue)/\(payment.rawValue)/\(supplier.rawValue)" + (closeReason.map { "/\($0.rawValue)" } ?? "") }
}

enum OrderEvent: String, Codable, Sendable, CaseIterable {
    /// Price checked, risk approved and the tenant's credit reserved: the order exists.
    case creditReserved = "credit_reserved"
    /// Refused before anything was reserved (the offer, its price, the tenant's credit).
    case createFailed = "create_failed"
    case riskRejected = "risk_rejected"
    /// About to ask the supplier to book (or inventory to hold): persisted before the call.
    case supplierRequested = "supplier_requested"
    case supplierConfirmed = "supplier_confirmed"
    /// The supplier's answer never came: a reconciler asks it by our reference.
    case supplierUnknown = "supplier_unknown"
    case supplierFailed = "supplier_failed"
    case paymentCaptured = "payment_captured"
    /// The supplier refused and nothing is booked: credit released, closed.
    case closedSupplierFailed = "closed_supplier_failed"
    /// An unconfirmed hold (or a review) past ORDER_EXPIRY_MINUTES.
    case expired
    case opsClosed = "ops_closed"
    /// The distributor gave up an order on hold (credit, and rooms held, released).
    case withdrawn
    /// Cancelled by the distributor: refunded (in part or whole) or, when the penalty is everything, not.
    case cancelledRefunded = "cancelled_refunded"
    case cancelledUnrefunded = "cancelled_unrefunded"
    /// The stay's check-out date has passed.
    case completed
}

enum OrderTransitions {
    /// The only transitions there are: (state, event) -> state.
    static let table: [Key: OrderState] = {
        var table: [Key: OrderState] = [:]
        func add(_ from: OrderState, _ event: OrderEvent, _ to: OrderState) {
            precondition(table.updateValue(to, forKey: Key(from: from, event: event)) == nil, "\(from) \(event) declared twice")
        }
        func state(_ order: OrderStatus, _ payment: PaymentStatus, _ supplier: SupplierStatus, _ reason: CloseReason? = nil) -> OrderState {
            OrderState(order: order, payment: payment, supplier: supplier, closeReason: reason)
        }
        let start = OrderState.start
        add(start, .creditReserved, state(.created, .pending, .none))
        add(start, .createFailed, state(.closed, .closed, .none, .createFailed))
        add(start, .riskRejected, state(.closed, .closed, .none, .riskRejected))
        add(start, .expired, state(.closed, .closed, .none, .expired))
        add(start, .opsClosed, state(.closed, .closed, .none, .opsClosed))
        for supplier in [SupplierStatus.none, .failed] {
            add(state(.created, .pending, supplier), .supplierRequested, state(.created, .pending, .requested))
        }
        for supplier in [SupplierStatus.requested, .unknown] {
            add(state(.created, .pending, supplier), .supplierConfirmed, state(.created, .pending, .confirmed))
            add(state(.created, .pending, supplier), .supplierFailed, state(.created, .pending, .failed))
        }
        add(state(.created, .pending, .requested), .supplierUnknown, state(.created, .pending, .unknown))
        add(state(.created, .pending, .confirmed), .paymentCaptured, state(.confirmed, .paid, .confirmed))
        add(state(.created, .pending, .failed), .closedSupplierFailed, state(.closed, .closed, .failed, .supplierFailed))
        // Unconfirmed holds: nothing booked (a supplier's offer) or rooms held in inventory (given back).
        add(state(.created, .pending, .none), .expired, state(.closed, .closed, .none, .expired))
        add(state(.created, .pending, .requested), .expired, state(.closed, .closed, .cancelled, .expired))
        add(state(.created, .pending, .none), .opsClosed, state(.closed, .closed, .none, .opsClosed))
        add(state(.created, .pending, .failed), .opsClosed, state(.closed, .closed, .failed, .opsClosed))
        add(state(.created, .pending, .requested), .opsClosed, state(.closed, .closed, .cancelled, .opsClosed))
        add(state(.created, .pending, .none), .withdrawn, state(.closed, .closed, .none, .customerCancelled))
        add(state(.created, .pending, .requested), .withdrawn, state(.closed, .closed, .cancelled, .customerCancelled))
        add(state(.confirmed, .paid, .confirmed), .cancelledRefunded, state(.closed, .refunded, .cancelled, .customerCancelled))
        add(state(.confirmed, .paid, .confirmed), .cancelledUnrefunded, state(.closed, .paid, .cancelled, .customerCancelled))
        add(state(.confirmed, .paid, .confirmed), .completed, state(.completed, .paid, .confirmed))
        return table
    }()

    struct Key: Hashable, Sendable {
        var from: OrderState
        var event: OrderEvent
    }

    struct Impossible: Error, CustomStringConvertible {
        var from: OrderState
        var event: OrderEvent
        var description: String { "no transition from \(from) on \(event.rawValue)" }
    }

    static func next(_ state: OrderState, on event: OrderEvent) throws(Impossible) -> OrderState {
        guard let next = table[Key(from: state, event: event)] else { throw Impossible(from: state, event: event) }
        return next
    }
}
