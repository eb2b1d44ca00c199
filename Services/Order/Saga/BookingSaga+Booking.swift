// The saga's booking steps: book at the supplier (never twice: a lost answer is looked up by our
// reference), or hold and confirm rooms of a direct contract; then capture the credit. Nothing
// booked: release what is held and close. And the distributor's cancellation.

import FoundationEssentials
import Shared

extension BookingSaga {
    /// Books at the supplier. Only ever called with the supplier status NONE (or FAILED, a fallback
    /// to another supplier): found REQUESTED, an earlier call's answer was lost (a crash), so the
    /// booking is looked up instead.
    func book(_ order: Order, origin: CallOrigin) async throws -> Order {
        switch order.state.supplier {
        case .requested:
            return try await advance(order, .supplierUnknown, to: .reconcile, note: "booking_interrupted", origin: origin)
        case .unknown:
            return try await advance(order, nil, to: .reconcile, origin: origin)
        case .confirmed:
            return try await advance(order, nil, to: .capture, origin: origin)
        case .none, .failed, .cancelled:
            break
        }
        let requested = try await advance(order, .supplierRequested, to: .book, origin: origin)
        let lead = requested.guests[0]
        let request = SupplierBookingRequest(
            rateKey: requested.terms.rateKey, clientReference: requested.number, holder: Guest(givenName: lead.firstName, surname: lead.lastName),
            remark: requested.remark)
        let booking: SupplierBooking
        do {
            booking = try await keepingLease(requested) {
                try await calls.adapter.book(at: requested.terms.supplier, request, origin: origin, timeout: calls.bookTimeout)
            }
        } catch {
            if let refusal = Refusal(error) ?? Self.notReceived(error) { return try await supplierRefused(requested, refusal, origin: origin) }
            return try await advance(requested, .supplierUnknown, to: .reconcile, detail: .string("\(error)".prefixed(300)), origin: origin)
        }
        guard booking.status == .confirmed else {
            return try await supplierRefused(requested, Refusal(status: 409, code: "supplier_cancelled", detail: "The supplier answered with a cancelled booking."),
                                             origin: origin)
        }
        return try await advance(requested, .supplierConfirmed, to: .capture, origin: origin) { $0.supplierReference = booking.reference }
    }

    /// Answers of supplier-adapter that say the supplier never got the booking.
    static func notReceived(_ error: any Error) -> Refusal? {
        guard case ServiceCallError.answered(_, _, let status, let code?, let detail) = error,
            ["supplier_unreachable", "supplier_circuit_open", "supplier_busy", "supplier_disabled", "unknown_supplier"].contains(code)
        else { return nil }
        return Refusal(status: status, code: code, detail: detail)
    }

    /// Looks the booking up by our reference until the supplier knows it; not found after
    /// `reconcileAttempts` looks, it was not made.
    func reconcile(_ order: Order, origin: CallOrigin) async throws -> Order {
        let found = try await calls.adapter.bookings(of: order.terms.supplier, clientReference: order.number, origin: origin)
        if let booking = found.first(where: { $0.status == .confirmed }) {
            return try await advance(order, .supplierConfirmed, to: .capture, note: "reconciled", origin: origin) { $0.supplierReference = booking.reference }
        }
        if !found.isEmpty {
            return try await supplierRefused(order, Refusal(status: 409, code: "supplier_cancelled", detail: "The supplier holds this booking cancelled."), origin: origin)
        }
        guard order.attempts + 1 < settings.reconcileAttempts else {
            return try await supplierRefused(
                order, Refusal(status: 409, code: "supplier_booking_not_found", detail: "The supplier has no booking under our reference."), origin: origin)
        }
        throw SagaStop.retry(after: settings.backoff(order.attempts), failed: true)
    }

    /// The supplier did not book. With config `order.fallback.enabled`, the same room is booked at
    /// the next-ranked supplier that sells it within the distributor's tolerance; otherwise the
    /// credit is released and the order closes (SUPPLIER_FAILED).
    func supplierRefused(_ order: Order, _ refusal: Refusal, origin: CallOrigin) async throws -> Order {
        let detail = JSONValue.object(["code": .string(refusal.code), "detail": .string(refusal.detail.prefixed(300))])
        var refused = order
        refused.refusedBy.append(order.terms.supplier)
        if let (offerId, terms) = await alternative(to: refused, origin: origin) {
            return try await advance(order, .supplierFailed, to: .book, note: "fallback", detail: detail, origin: origin) { next in
                let charge = OrderMoney.scaled(next.charge ?? next.sell, from: next.sell, to: terms.sell)
                next.charge = next.reserved.map { reserved in Money(min(charge.amount, reserved.amount), charge.currency) } ?? charge
                next.terms = terms
                next.offerId = offerId
                next.refusedBy = refused.refusedBy
            }
        }
        let failure = OrderFailure(status: 409, code: "supplier_failed", detail: "The supplier could not book this offer (\(refusal.code)): search again.")
        return try await advance(order, .supplierFailed, to: .release, detail: detail, origin: origin) {
            $0.closing = .supplierFailed
            $0.failure = failure
            $0.refusedBy = refused.refusedBy
        }
    }

    /// The first equivalent offer at a supplier that has not refused (the same room name, board and
    /// refundability) within the distributor's tolerance of the agreed price, checked with its
    /// supplier now; nil when fallback is off, used up, or finds nothing.
    func alternative(to order: Order, origin: CallOrigin) async -> (String, OfferTerms)? {
        guard config?.value("order.fallback.enabled", as: Bool.self, default: false) == true, order.refusedBy.count <= settings.maximumFallbacks else { return nil }
        guard let found = try? await calls.queryEngine.alternatives(OfferCheckRequest(tenantId: order.tenantId, offerId: order.offerId), origin: origin) else {
            return nil
        }
        let limit = OrderMoney.maximum(order.agreed, tolerance: order.tolerance)
        for offerId in found.offers {
            guard let terms = verify(offerId, order), !order.refusedBy.contains(terms.supplier), OrderMoney.equivalent(terms, to: order.terms, limit: limit),
                let check = try? await calls.queryEngine.check(OfferCheckRequest(tenantId: order.tenantId, offerId: offerId), origin: origin),
                check.status != .soldOut, let checkedId = check.offerId, let checked = verify(checkedId, order),
                OrderMoney.equivalent(checked, to: order.terms, limit: limit)
            else { continue }
            return (checkedId, checked)
        }
        return nil
    }

    func verify(_ offerId: String, _ order: Order) -> OfferTerms? {
        try? calls.tokens.verify(offerId, tenant: order.tenantId, now: Int(Date().timeIntervalSince1970))
    }

    /// Direct contract: holds the rooms in inventory (a replay of the same order's hold is the same
    /// hold), then confirms them, or waits for the distributor's confirm.
    func holdRooms(_ order: Order, origin: CallOrigin) async throws -> Order {
        var current = order
        if current.state.supplier != .requested {
            current = try await advance(current, .supplierRequested, to: .book, origin: origin)
        }
        let seconds = current.hold ? Int(settings.orderExpiry.components.seconds) + 300 : settings.inventoryHoldSeconds
        do {
            let hold = try await calls.inventory.hold(HoldRequest(orderId: current.key, rateKey: current.terms.rateKey, rooms: 1, holdSeconds: seconds), origin: origin)
            guard hold.status == .held || hold.status == .confirmed else {
                return try await supplierRefused(current, Refusal(status: 409, code: "hold_\(hold.status.rawValue)", detail: "The rooms are no longer held."), origin: origin)
            }
        } catch {
            guard let refusal = Refusal(error) else { throw error }
            return try await supplierRefused(current, refusal, origin: origin)
        }
        guard current.hold else { return try await advance(current, nil, to: .confirm, note: "rooms_held", origin: origin) }
        return try await advance(current, nil, to: .awaitConfirmation, note: "rooms_held", origin: origin) {
            $0.holdExpiresAt = Date() + Double(self.settings.orderExpiry.components.seconds)
        }
    }

    /// Confirms held rooms (direct contract); a supplier's offer on hold goes on to be booked.
    func confirm(_ order: Order, origin: CallOrigin) async throws -> Order {
        guard order.isDirect else { return try await advance(order, nil, to: .book, origin: origin) }
        do {
            let hold = try await calls.inventory.apply(.confirm, toHoldOf: order.key, origin: origin)
            guard hold.status == .confirmed else {
                return try await supplierRefused(order, Refusal(status: 409, code: "hold_\(hold.status.rawValue)", detail: "The rooms are no longer held."), origin: origin)
            }
        } catch {
            guard let refusal = Refusal(error) else { throw error }
            return try await supplierRefused(order, refusal, origin: origin)
        }
        return try await advance(order, .supplierConfirmed, to: .capture, origin: origin)
    }

    func capture(_ order: Order, origin: CallOrigin) async throws -> Order {
        do {
            _ = try await calls.risk.apply(.capture, to: order.key, amount: order.charge, origin: origin)
        } catch {
            if let refusal = Refusal(error) {
                logger.critical("booked, but the credit cannot be captured", metadata: [
                    "orderId": .string(order.key), "code": .string(refusal.code), "detail": .string(refusal.detail),
                ])
            }
            throw error
        }
        return try await advance(order, .paymentCaptured, to: .done, origin: origin) { $0.confirmedAt = Date() }
    }

    /// Gives back the credit reserved and any rooms held, then closes with `closing`.
    func release(_ order: Order, origin: CallOrigin) async throws -> Order {
        if order.state.payment == .pending {
            do { _ = try await calls.risk.apply(.release, to: order.key, origin: origin) } catch where Refusal(error)?.status == 404 {}
        }
        if order.isDirect {
            do { _ = try await calls.inventory.apply(.release, toHoldOf: order.key, origin: origin) } catch where Refusal(error) != nil {}
        }
        let event: OrderEvent = switch order.closing {
        case .expired: .expired
        case .opsClosed: .opsClosed
        case .customerCancelled: .withdrawn
        default: .closedSupplierFailed
        }
        return try await advance(order, event, to: .done, origin: origin)
    }

    /// Cancels a confirmed booking at the supplier (or in inventory), then refunds the credit less
    /// the penalty fixed when the cancellation was asked for.
    func cancel(_ order: Order, origin: CallOrigin) async throws -> Order {
        var supplierPenalty: Money?
        if order.isDirect {
            do {
                _ = try await calls.inventory.apply(.cancel, toHoldOf: order.key, origin: origin)
            } catch where Refusal(error) != nil {
                guard try await calls.inventory.hold(of: order.key, origin: origin).status == .cancelled else { throw error }
            }
        } else if let reference = order.supplierReference {
            do {
                let cancelled = try await calls.adapter.cancel(at: order.terms.supplier, reference: reference, simulate: false, origin: origin)
                supplierPenalty = Money(cancelled.penalty, cancelled.currency)
            } catch where Refusal(error) != nil {
                // Cancelled already (a step repeated after a crash)? The supplier's own record says.
                let held = try await calls.adapter.bookings(of: order.terms.supplier, clientReference: order.number, origin: origin)
                guard held.contains(where: { $0.reference == reference && $0.status == .cancelled }) else { throw error }
            }
        }
        let charge = order.charge ?? order.sell
        let kept = OrderMoney.kept(order.penalty ?? Money(.zero, order.sell.currency), sell: order.sell, charge: charge)
        let refund = Money((charge.amount - kept.amount).rounded(toScale: Currency.minorUnits(charge.currency)), charge.currency)
        if refund.amount > .zero {
            _ = try await calls.risk.apply(.refund, to: order.key, amount: refund, origin: origin)
        }
        let charged = supplierPenalty
        return try await advance(order, refund.amount > .zero ? .cancelledRefunded : .cancelledUnrefunded, to: .done, origin: origin) {
            $0.refunded = refund
            $0.supplierPenalty = charged
        }
    }
}

extension Refusal {
    init(status: Int, code: String, detail: String) {
        self.status = status
        self.code = code
        self.detail = detail
    }
}

extension String {
    func prefixed(_ count: Int) -> String { String(prefix(count)) }
}
