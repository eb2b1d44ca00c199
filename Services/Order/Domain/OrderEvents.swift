// The events an order's change publishes (through the outbox, with the change).

import FoundationEssentials
import Shared

enum OrderEvents {
    /// What `event` (just applied, `order` as it is after it) tells the rest of the platform.
    static func envelopes(for event: OrderEvent, _ order: Order, trace: TraceContext?) throws -> [EventEnvelope] {
        let types: [String] = switch event {
        case .creditReserved: [OrderEventType.created]
        case .paymentCaptured: [OrderEventType.confirmed, OrderEventType.paymentCaptured]
        case .cancelledRefunded: [OrderEventType.cancelled, OrderEventType.paymentRefunded]
        case .cancelledUnrefunded: [OrderEventType.cancelled]
        case .completed: [OrderEventType.completed]
        case .createFailed, .riskRejected, .closedSupplierFailed, .expired, .opsClosed, .withdrawn: [OrderEventType.closed]
        case .supplierRequested, .supplierConfirmed, .supplierUnknown, .supplierFailed: []
        }
        let data = data(order)
        return try types.map { try EventEnvelope(type: $0, producer: "order", tenantId: order.tenantId, trace: trace, payload: data) }
    }

    static func data(_ order: Order) -> OrderEventData {
        OrderEventData(
            order: OrderSummary(
                orderId: order.id.uuidString.lowercased(), number: order.number, clientReference: order.clientReference, status: order.display.rawValue,
                orderStatus: order.state.order.rawValue, paymentStatus: order.state.payment.rawValue, supplierStatus: order.state.supplier.rawValue,
                closeReason: order.state.closeReason?.rawValue, hotelId: order.terms.masterHotelId, roomName: order.terms.roomName, checkIn: order.terms.checkIn,
                checkOut: order.terms.checkOut, price: order.sell, penalty: order.penalty, refunded: order.refunded),
            internal: OrderInternals(supplier: order.terms.supplier, supplierReference: order.supplierReference, net: order.terms.net, charge: order.charge,
                                     supplierPenalty: order.supplierPenalty, cost: order.terms.cost.map { Money($0, order.sell.currency) }, city: order.terms.city))
    }
}
