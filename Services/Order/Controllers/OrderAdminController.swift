// Operators' orders (through the gateway, admin role), any tenant's:
//   GET  /api/v1/admin/orders[?tenant_id=&supplier=&status=&...&cursor=&limit=]
//   GET  /api/v1/admin/orders/{id}              the order, its supplier side, the saga's step and every change
//   POST /api/v1/admin/orders/{id}/close        {reason?} force close (OPS_CLOSED), releasing the credit and rooms held
//   POST /api/v1/admin/orders/{id}/reconcile    ask the supplier again now about a booking whose answer was lost
// Risk reviews are decided at risk (`/api/v1/admin/risk/reviews/{order}/approve|reject`); the order
// goes on as soon as risk's `risk.review.decided` arrives.

import FoundationEssentials
import Hummingbird
import Shared

struct OrderAdminController: Sendable {
    let desk: OrderDesk

    struct CloseInput: Decodable { var reason: String? }

    func add(to router: Router<PlatformRequestContext>) {
        let admin = router.group("api/v1/admin/orders")
        admin.get { request, context -> OrderList in
            _ = try context.requireOperator()
            var filter = try OrderController.filter(request)
            filter.tenant = try TextRule.code.check(request.uri.queryParameters["tenant_id"].map(String.init), field: "tenant_id", code: "invalid_query")
            filter.supplier = try TextRule.code.check(request.uri.queryParameters["supplier"].map(String.init), field: "supplier", code: "invalid_query")
            return try await OrderController.list(desk.repository, filter, request)
        }
        admin.get(":id") { _, context -> OrderAdminView in
            _ = try context.requireOperator()
            return try await view(try await desk.find(try OrderController.id(context), tenant: nil))
        }
        admin.post(":id/close") { request, context -> OrderAdminView in
            let who = try context.requireOperator()
            let input = try await request.decode(as: CloseInput.self, context: context)
            let reason = try TextRule.note.check(input.reason, field: "reason")
            return try await view(try await close(try OrderController.id(context), by: who.tenantId, reason: reason, origin: context.origin))
        }
        admin.post(":id/reconcile") { _, context -> OrderAdminView in
            _ = try context.requireOperator()
            let order = try await desk.find(try OrderController.id(context), tenant: nil)
            guard order.step == .reconcile else {
                throw Problem(.conflict, code: "not_reconciling", detail: "Order \(order.number)'s booking is not unknown (step \(order.step.rawValue)).")
            }
            try await desk.repository.wake(order.id, resetAttempts: true)
            if let claimed = try await desk.repository.claim(order.id) { return try await view(await desk.drive(claimed, origin: context.origin)) }
            return try await view(order)
        }
    }

    func view(_ order: Order) async throws -> OrderAdminView {
        OrderAdminView(
            order: OrderView(order), tenantId: order.tenantId, supplier: order.terms.supplier, supplierReference: order.supplierReference, net: order.terms.net,
            step: order.step, attempts: order.attempts, risk: order.risk, history: try await desk.repository.history(of: order.id))
    }

    /// Closes an order that is not booked: what it holds is released first. A booked order is
    /// cancelled instead; one whose booking answer was lost is reconciled first.
    func close(_ id: UUID, by operatorTenant: String, reason: String?, origin: CallOrigin) async throws -> Order {
        let order = try await desk.find(id, tenant: nil)
        if order.state.closeReason == .opsClosed { return order }
        guard !order.state.isFinal else {
            throw Problem(.conflict, code: "order_closed", detail: "Order \(order.number) is \(order.display.rawValue) already.")
        }
        guard order.state.order != .confirmed else {
            throw Problem(.conflict, code: "order_booked", detail: "Order \(order.number) is booked: cancel it instead of closing it.")
        }
        guard !(order.state.supplier == .unknown || (order.state.supplier == .requested && !order.isDirect)) else {
            throw Problem(.conflict, code: "booking_outcome_unknown",
                          detail: "Order \(order.number)'s booking may exist at the supplier: reconcile it first (POST .../reconcile).")
        }
        guard let claimed = try await desk.repository.claim(id) else {
            throw Problem(.conflict, code: "order_busy", detail: "Order \(order.number) is being changed right now: retry in a moment.", headers: [.retryAfter: "1"])
        }
        let failure = OrderFailure(status: 409, code: "ops_closed", detail: "An operator closed this order" + (reason.map { ": \($0)" } ?? "."))
        let detail: JSONValue? = reason.map { .object(["reason": .string($0)]) }
        let closing = try await desk.saga.advance(claimed, nil, to: .release, note: "close_requested", actor: "operator:\(operatorTenant)", detail: detail, origin: origin) {
            $0.closing = .opsClosed
            $0.failure = failure
        }
        return await desk.drive(closing, origin: origin)
    }
}
