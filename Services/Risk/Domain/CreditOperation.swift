// What an order's credit operation does to its reservation, decided from the reservation as it is
// (pure: the repository reads the state, asks here, and writes the answer with a compare-and-swap
// on the status it read, asking again if another operation got there first).

import FoundationEssentials
import Shared

enum CreditOperation: String, Sendable {
    case reserve, capture, release, refund

    /// An order's reservation as stored, with the answer its earlier `operation` gave, if any.
    struct State: Sendable {
        var reservation: CreditReservation
        var currency: String
        /// The amount the earlier call of this operation asked (nil: none given) and its answer.
        var earlier: (amount: Amount?, answer: CreditReservation)?
    }

    enum Decision: Equatable, Sendable {
        /// Answer again what the first call answered.
        case replay(CreditReservation)
        /// Change the reservation from `from` to `to`, moving the account by these amounts.
        case apply(to: CreditReservation, balanceChange: Amount, reservedChange: Amount)
    }

    /// The decision for this operation with `amount` (capture: nil for the whole reservation), or
    /// the problem that refuses it.
    func decide(_ state: State, amount: Amount?) throws -> Decision {
        if let earlier = state.earlier {
            guard earlier.amount == amount else {
                throw Problem(
                    .conflict, code: "idempotency_conflict",
                    detail: "Order \(state.reservation.orderId) already had a \(rawValue) with another amount; an operation is done once per order.")
            }
            return .replay(earlier.answer)
        }
        var next = state.reservation
        let currency = state.currency, held = state.reservation.amount.amount
        switch self {
        case .reserve:
            throw Problem(.conflict, code: "idempotency_conflict", detail: "Order \(state.reservation.orderId) already holds a reservation.")
        case .capture:
            try requireOpen(state.reservation)
            let taken = amount ?? held
            guard taken <= held else {
                throw Problem(.unprocessableContent, code: "capture_exceeds_reservation", detail: "Capture at most the \(held) \(currency) reserved.")
            }
            next.status = .captured
            next.captured = Money(taken, currency)
            return .apply(to: next, balanceChange: .zero - taken, reservedChange: .zero - held)
        case .release:
            try requireOpen(state.reservation)
            next.status = .released
            return .apply(to: next, balanceChange: .zero, reservedChange: .zero - held)
        case .refund:
            guard state.reservation.status == .captured else {
                throw Problem(.conflict, code: "not_captured", detail: "Order \(state.reservation.orderId) captured nothing (it is \(state.reservation.status.rawValue)): nothing to refund.")
            }
            guard let amount else { throw Problem(.badRequest, code: "invalid_amount", detail: "A refund needs an amount.") }
            let captured = state.reservation.captured.amount
            guard amount <= captured else {
                throw Problem(.unprocessableContent, code: "refund_exceeds_capture", detail: "Refund at most the \(captured) \(currency) captured.")
            }
            next.refunded = Money(amount, currency)
            return .apply(to: next, balanceChange: amount, reservedChange: .zero)
        }
    }

    private func requireOpen(_ reservation: CreditReservation) throws {
        guard reservation.status == .reserved else {
            throw Problem(
                .conflict, code: "reservation_closed",
                detail: "Order \(reservation.orderId)'s reservation is \(reservation.status.rawValue): it can no longer be \(self == .capture ? "captured" : "released").")
        }
    }

    /// The journal's word for this operation.
    var entry: CreditMovement.Entry {
        switch self {
        case .reserve: .reserved
        case .capture: .captured
        case .release: .released
        case .refund: .refunded
        }
    }

    var eventType: String { "credit." + entry.rawValue }
}
