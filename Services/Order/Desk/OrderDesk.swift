// What the order API does, between HTTP and the saga: placing an order under its Idempotency-Key
// (replayed, refused while the first request runs, refused for another body), running its saga
// for a few seconds before answering 202 and letting it finish on its own, and the distributor's
// confirm and cancel.

import FoundationEssentials
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import Shared

struct OrderDesk: Sendable {
    let repository: OrderRepository
    let saga: BookingSaga
    let tokens: OfferTokens
    /// How long a request waits for the saga before answering 202 (the saga goes on).
    let answerWithin: Duration

    // MARK: Placing

    func place(_ input: PlaceOrderInput, key: String, tenant: String, clientIp: String?, origin: CallOrigin, requestId: String) async throws -> Response {
        let fingerprint = input.fingerprint
        let terms = try tokens.verify(input.offerId, tenant: tenant, now: Int(Date().timeIntervalSince1970))
        try Self.check(input, against: terms)
        let now = Date()
        let order = Order(
            id: UUID(), number: OrderNumber.make(), tenantId: tenant, clientReference: input.clientReference, state: .start, step: .check, version: 1,
            hold: input.hold ?? false, holdExpiresAt: nil, offerId: input.offerId, terms: terms, agreed: terms.sell, tolerance: input.priceTolerance,
            guests: input.guests, contact: input.contact, remark: input.remark, clientIp: clientIp, charge: nil, reserved: nil, risk: nil, supplierReference: nil, penalty: nil,
            refunded: nil, closing: nil, failure: nil, attempts: 0, refusedBy: [], createdAt: now, updatedAt: now, confirmedAt: nil, closedAt: nil)
        switch try await repository.place(order, key: key, fingerprint: fingerprint, answerWithin: answerWithin) {
        case .placed(let placed):
            return try await answerFinally(await drive(placed, origin: origin), tenant: tenant, key: key, requestId: requestId)
        case .existing(let record):
            guard record.fingerprint == fingerprint else {
                throw Problem(.unprocessableContent, code: "idempotency_key_reused",
                              detail: "This Idempotency-Key was used for another request body: use a new key for a new order.")
            }
            if let (status, body) = record.answer { return Self.replay(status: status, body: body) }
            guard !record.answering, try await repository.takeAnswering(tenant: tenant, key: key, within: answerWithin) else { throw Self.inFlight }
            guard var current = try await repository.order(record.orderId, tenant: tenant) else { throw Self.inFlight }
            if current.step.runsAlone, let claimed = try await repository.claim(current.id) {
                current = await drive(claimed, origin: origin)
            }
            return try await answerFinally(current, tenant: tenant, key: key, requestId: requestId)
        }
    }

    static let inFlight = Problem(
        .conflict, code: "idempotency_key_in_flight", detail: "A request with this Idempotency-Key is still being answered: retry in a moment.",
        headers: [.retryAfter: "1"])

    /// What the offer says the request must match: the number of guests, the tolerance's currency.
    static func check(_ input: PlaceOrderInput, against terms: OfferTerms) throws {
        let room = terms.occupancy.adults + terms.occupancy.childrenAges.count
        guard input.guests.count <= room else {
            throw Problem(.unprocessableContent, code: "too_many_guests", detail: "The offer's room is for \(room) guests; \(input.guests.count) were named.")
        }
        if let amount = input.priceTolerance?.amount, amount.currency != terms.sell.currency {
            throw Problem(.unprocessableContent, code: "tolerance_currency", detail: "price_tolerance.amount must be in the offer's currency, \(terms.sell.currency).")
        }
    }

    /// Runs the order's saga (its lease held) for at most `answerWithin`; the order as it is then
    /// (the saga goes on by itself when it takes longer).
    func drive(_ order: Order, origin: CallOrigin) async -> Order {
        let saga = saga, answerWithin = answerWithin
        let running = Task { await saga.run(order, origin: origin) }
        let finished: Order? = await withCheckedContinuation { continuation in
            let answered = NIOLockedValueBox(false)
            @Sendable func answer(_ order: Order?) {
                if answered.withLockedValue({ done in defer { done = true }; return !done }) { continuation.resume(returning: order) }
            }
            let timer = Task {
                try? await Task.sleep(for: answerWithin)
                answer(nil)
            }
            Task {
                let done = await running.value
                timer.cancel()
                answer(done)
            }
        }
        if let finished { return finished }
        return (try? await repository.order(order.id)) ?? order
    }

    /// The answer the order's state calls for, kept for the key once it is final.
    func answerFinally(_ order: Order, tenant: String, key: String, requestId: String) async throws -> Response {
        let (status, body, final) = Self.answer(order, requestId: requestId)
        try await repository.answered(tenant: tenant, key: key, final: final ? (status, body) : nil)
        return Self.response(status: status, body: body, replayed: false)
    }

    /// 201 and the order once it is confirmed or on hold; the problem when it could not be made;
    /// 202 and the order while it is still on its way.
    static func answer(_ order: Order, requestId: String) -> (status: Int, body: String, final: Bool) {
        if order.state.order == .closed, let failure = order.failure {
            let (_, body) = failure.problem(order: order).rendered(requestId: requestId)
            return (failure.status, String(buffer: body), true)
        }
        let body = String(decoding: (try? PlatformJSON.encoder.encode(OrderView(order))) ?? Data(), as: UTF8.self)
        switch order.display {
        case .pending, .inReview: return (202, body, false)
        default: return (201, body, true)
        }
    }

    static func replay(status: Int, body: String) -> Response {
        response(status: status, body: body, replayed: true)
    }

    static func response(status: Int, body: String, replayed: Bool) -> Response {
        var headers: HTTPFields = [.contentType: status >= 400 ? "application/problem+json" : "application/json; charset=utf-8"]
        if replayed { headers[.idempotentReplayed] = "true" }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    // MARK: Confirm and cancel

    func confirm(_ id: UUID, tenant: String, origin: CallOrigin, requestId: String) async throws -> Response {
        let order = try await find(id, tenant: tenant)
        switch order.display {
        case .onHold:
            break
        case .confirmed where order.hold, .cancelling where order.hold, .cancelled where order.hold, .completed where order.hold:
            // Confirmed already: the same answer again.
            return try PlatformJSON.answer(OrderView(order), replayed: true, status: .ok)
        default:
            throw Self.notOnHold(order)
        }
        if let expires = order.holdExpiresAt, expires <= Date() {
            throw Problem(.conflict, code: "hold_expired", detail: "Order \(order.number)'s hold expired at \(Timestamp.iso8601Milliseconds(expires)).")
        }
        let claimed = try await claimed(order, at: .awaitConfirmation)
        let confirming = try await saga.advance(claimed, nil, to: .confirm, note: "confirm_requested", actor: "distributor:\(tenant)", origin: origin)
        let (status, body, _) = Self.answer(await drive(confirming, origin: origin), requestId: requestId)
        return Self.response(status: status == 201 ? 200 : status, body: body, replayed: false)
    }

    func cancel(_ id: UUID, tenant: String, simulate: Bool, origin: CallOrigin) async throws -> CancellationView {
        let order = try await find(id, tenant: tenant)
        let now = Date()
        switch order.display {
        case .cancelled, .cancelling:
            return Self.cancellation(order, simulated: false)
        case .confirmed:
            var quoted = order
            quoted.penalty = OrderMoney.penalty(order.terms.cancellationPolicies, sell: order.sell, at: now)
            guard !simulate else { return Self.cancellation(quoted, simulated: true) }
            let claimed = try await claimed(order, at: .done)
            let cancelling = try await saga.advance(claimed, nil, to: .cancel, note: "cancel_requested", actor: "distributor:\(tenant)", origin: origin) {
                $0.penalty = quoted.penalty
            }
            return Self.cancellation(await drive(cancelling, origin: origin), simulated: false)
        case .onHold:
            guard !simulate else { return Self.cancellation(order, simulated: true) }
            let claimed = try await claimed(order, at: .awaitConfirmation)
            let releasing = try await saga.advance(claimed, nil, to: .release, note: "cancel_requested", actor: "distributor:\(tenant)", origin: origin) {
                $0.closing = .customerCancelled
            }
            return Self.cancellation(await drive(releasing, origin: origin), simulated: false)
        default:
            throw Problem(.conflict, code: "order_not_cancellable", detail: "Order \(order.number) is \(order.display.rawValue): it cannot be cancelled now.")
        }
    }

    static func cancellation(_ order: Order, simulated: Bool) -> CancellationView {
        let penalty = order.penalty ?? Money(.zero, order.sell.currency)
        let charge = order.charge ?? order.sell
        let refund = order.refunded ?? Money(charge.amount - OrderMoney.kept(penalty, sell: order.sell, charge: charge).amount, charge.currency)
        return CancellationView(orderId: order.key, simulated: simulated, status: order.display, penalty: penalty, refund: refund)
    }

    // MARK: Parts

    func find(_ id: UUID, tenant: String?) async throws -> Order {
        guard let order = try await repository.order(id, tenant: tenant) else { throw Self.unknown(id.uuidString.lowercased()) }
        return order
    }

    /// The order's lease, if the order is still at `step` and nobody else is running it.
    func claimed(_ order: Order, at step: SagaStep) async throws -> Order {
        guard let claimed = try await repository.claim(order.id) else {
            throw Problem(.conflict, code: "order_busy", detail: "Order \(order.number) is being changed right now: retry in a moment.", headers: [.retryAfter: "1"])
        }
        guard claimed.step == step else {
            try await repository.letGo(claimed)
            throw Problem(.conflict, code: "order_changed", detail: "Order \(order.number) changed meanwhile: read it again.")
        }
        return claimed
    }

    static func notOnHold(_ order: Order) -> Problem {
        Problem(.conflict, code: "order_not_on_hold", detail: "Order \(order.number) is \(order.display.rawValue): only an order on hold is confirmed.")
    }

    static func unknown(_ id: String) -> Problem {
        Problem(.notFound, code: "unknown_order", detail: "There is no order \(id.prefix(64)).")
    }
}
