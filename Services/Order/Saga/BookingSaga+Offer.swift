// The saga's first steps, before anything is booked: the price check (within the distributor's
// tolerance), risk's decision, the credit reserved.

import FoundationEssentials
import Shared

extension BookingSaga {
    func check(_ order: Order, origin: CallOrigin) async throws -> Order {
        let answer: OfferCheck
        do {
            answer = try await calls.queryEngine.check(OfferCheckRequest(tenantId: order.tenantId, offerId: order.offerId), origin: origin)
        } catch {
            guard let refusal = Refusal(error) else { throw error }
            return try await fail(order, .createFailed, refusal.failure(), origin: origin)
        }
        switch answer.status {
        case .available:
            // The supplier's checked rate (a RECHECK rate books by it), at the same price.
            guard let offerId = answer.offerId, offerId != order.offerId, let checked = verify(offerId, order) else {
                return try await advance(order, nil, to: .assess, note: "price_checked", origin: origin)
            }
            return try await advance(order, nil, to: .assess, note: "price_checked", origin: origin) {
                $0.terms = checked
                $0.offerId = offerId
            }
        case .priceChanged:
            guard let offerId = answer.offerId, let renewed = verify(offerId, order) else {
                throw SagaStop.retry(after: settings.backoff(order.attempts), failed: true)
            }
            guard OrderMoney.accepts(renewed.sell, agreed: order.agreed, tolerance: order.tolerance) else {
                let failure = OrderFailure(
                    status: 409, code: "price_changed",
                    detail: "The price rose from \(order.agreed) to \(renewed.sell), beyond your price_tolerance: place a new order with this offer_id, or allow a larger rise.",
                    offerId: offerId, price: renewed.sell)
                return try await fail(order, .createFailed, failure, origin: origin)
            }
            return try await advance(order, nil, to: .assess, note: "price_changed", detail: .object(["price": .string("\(renewed.sell)")]), origin: origin) {
                $0.terms = renewed
                $0.offerId = offerId
            }
        case .soldOut:
            let failure = OrderFailure(status: 409, code: "sold_out", detail: "This offer is sold out: search again for another.")
            return try await fail(order, .createFailed, failure, origin: origin)
        }
    }

    func assess(_ order: Order, origin: CallOrigin) async throws -> Order {
        let guests = order.guests.enumerated().map { index, guest in
            RiskGuest(firstName: guest.firstName, lastName: guest.lastName, email: index == 0 ? order.contact.email : nil)
        }
        let request = AssessmentRequest(
            tenantId: order.tenantId, orderId: order.key, amount: order.sell, checkIn: order.terms.checkIn, checkOut: order.terms.checkOut,
            masterHotelId: order.terms.masterHotelId, guests: guests, clientIp: order.clientIp)
        do {
            return try await decided(order, try await calls.risk.assess(request, origin: origin), origin: origin)
        } catch {
            guard let refusal = Refusal(error) else { throw error }
            return try await fail(order, .createFailed, refusal.failure(), origin: origin)
        }
    }

    /// Goes on after risk's decision; a review still pending is asked about again later (or, past
    /// ORDER_EXPIRY_MINUTES, the order expires).
    func decided(_ order: Order, _ assessment: Assessment, origin: CallOrigin) async throws -> Order {
        let outcome = RiskOutcome(score: assessment.score, decision: assessment.decision, reasons: assessment.reasons.map(\.code))
        let detail = JSONValue.object(["score": .integer(assessment.score), "decision": .string(assessment.decision.rawValue)])
        switch (assessment.decision, assessment.review) {
        case (.approve, _), (.review, .approved?):
            return try await advance(order, nil, to: .reserve, note: "risk_approved", detail: detail, origin: origin) { $0.risk = outcome }
        case (.reject, _), (.review, .rejected?):
            let failure = OrderFailure(status: 422, code: "risk_rejected", detail: "The platform's risk checks declined this order.")
            return try await fail(order, .riskRejected, failure, origin: origin)
        case (.review, _):
            if order.step != .review {
                return try await advance(order, nil, to: .review, note: "risk_review", detail: detail, origin: origin) { $0.risk = outcome }
            }
            if Date() > order.createdAt + Double(settings.orderExpiry.components.seconds) {
                let failure = OrderFailure(status: 409, code: "review_expired", detail: "No decision was taken on this order's review in time.")
                return try await fail(order, .expired, failure, origin: origin)
            }
            throw SagaStop.retry(after: settings.reviewPoll, failed: false)
        }
    }

    /// Reserves the most the distributor accepted to pay (the price and its tolerance): a fallback
    /// to a dearer supplier within it needs no new reservation. Only the price is captured.
    func reserve(_ order: Order, origin: CallOrigin) async throws -> Order {
        let charge = order.charge ?? order.sell
        let reserved = order.reserved ?? OrderMoney.maximum(order.agreed, tolerance: order.tolerance)
        do {
            _ = try await calls.risk.reserve(
                CreditReserveRequest(tenantId: order.tenantId, orderId: order.key, amount: reserved, holdSeconds: settings.creditHoldSeconds), origin: origin)
        } catch {
            guard let refusal = Refusal(error) else { throw error }
            if refusal.code == "currency_mismatch", order.charge == nil {
                return try await convert(order, origin: origin)
            }
            return try await fail(order, .createFailed, refusal.failure(), origin: origin)
        }
        let next: SagaStep = order.hold && !order.isDirect ? .awaitConfirmation : .book
        return try await advance(order, .creditReserved, to: next, origin: origin) {
            $0.charge = charge
            $0.reserved = reserved
            if next == .awaitConfirmation { $0.holdExpiresAt = Date() + Double(self.settings.orderExpiry.components.seconds) }
        }
    }

    /// The price (and the most accepted) in the currency of the tenant's credit account, at today's rates.
    func convert(_ order: Order, origin: CallOrigin) async throws -> Order {
        let currency = try await calls.risk.accountCurrency(of: order.tenantId, origin: origin)
        let maximum = OrderMoney.maximum(order.agreed, tolerance: order.tolerance)
        guard let rates = await calls.rates.current(), let charge = OrderMoney.charge(order.sell, in: currency, rates: rates),
            let reserved = OrderMoney.charge(maximum, in: currency, rates: rates)
        else {
            let failure = OrderFailure(status: 422, code: "no_exchange_rate", detail: "\(order.sell.currency) cannot be converted to your account's \(currency) now: search in \(currency).")
            return try await fail(order, .createFailed, failure, origin: origin)
        }
        return try await advance(order, nil, to: .reserve, note: "charge_converted", detail: .object(["charge": .string("\(charge)")]), origin: origin) {
            $0.charge = charge
            $0.reserved = reserved
        }
    }
}
