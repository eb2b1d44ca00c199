// Where an order's booking saga stands: the step to run next, persisted with every state change so
// that a crash resumes the saga there instead of repeating what was done. Each step's call out is
// idempotent by order id, but one: booking at a supplier, which is only ever made from `book`
// with the supplier status NONE; found REQUESTED there after a crash, the booking is looked up by
// our reference instead (`reconcile`).

enum SagaStep: String, Codable, Sendable, CaseIterable {
    /// Price-check the offer (the price may have moved since the search).
    case check
    /// Ask risk for a decision.
    case assess
    /// Waiting for an operator's decision on risk's review.
    case review
    /// Reserve the price on the tenant's credit.
    case reserve
    /// A hold: credit reserved (and, for a direct contract, rooms held), waiting for the distributor's confirm.
    case awaitConfirmation = "await_confirmation"
    /// Book at the supplier, or hold the rooms in inventory.
    case book
    /// Confirm the rooms held in inventory; a supplier's offer on hold goes on to `book`.
    case confirm
    /// The supplier's answer was lost: ask it by our reference until it knows.
    case reconcile
    /// Booked: capture the credit.
    case capture
    /// Nothing booked: give back the credit (and rooms), then close with `closing`.
    case release
    /// Cancel at the supplier (or inventory), then refund less the penalty.
    case cancel
    case done

    /// Steps the saga runs by itself (`review` asks risk now and then whether an operator decided);
    /// the others wait for the distributor or are over.
    var runsAlone: Bool { self != .awaitConfirmation && self != .done }
}

/// What a distributor sees of an order's state, in one word.
enum DisplayStatus: String, Codable, Sendable, CaseIterable {
    case pending = "PENDING", inReview = "IN_REVIEW", onHold = "ON_HOLD", confirmed = "CONFIRMED", cancelling = "CANCELLING"
    case cancelled = "CANCELLED", completed = "COMPLETED", expired = "EXPIRED", rejected = "REJECTED", failed = "FAILED"

    init(_ state: OrderState, step: SagaStep) {
        switch (state.order, step) {
        case (.closed, _):
            self = switch state.closeReason {
            case .customerCancelled: .cancelled
            case .expired: .expired
            case .riskRejected: .rejected
            default: .failed
            }
        case (.completed, _): self = .completed
        case (.confirmed, .cancel): self = .cancelling
        case (.confirmed, _): self = .confirmed
        case (_, .review): self = .inReview
        case (_, .awaitConfirmation): self = .onHold
        default: self = .pending
        }
    }
}
