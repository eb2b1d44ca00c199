// The order's rules, pure: the declared transition table (what it allows, what it refuses, that no
// closed order moves again), display statuses, tolerance, the credit reserved and captured, and
// what cancelling keeps and refunds.

import Foundation
@testable import Order
@testable import Shared
import Testing

@Suite struct OrderDomainTests {
    @Test func transitionsComeOnlyFromTheTable() throws {
        var state = OrderState.start
        for event in [OrderEvent.creditReserved, .supplierRequested, .supplierUnknown, .supplierConfirmed, .paymentCaptured, .cancelledRefunded] {
            state = try OrderTransitions.next(state, on: event)
        }
        #expect(state == OrderState(order: .closed, payment: .refunded, supplier: .cancelled, closeReason: .customerCancelled))
        #expect(throws: OrderTransitions.Impossible.self) { try OrderTransitions.next(.start, on: .paymentCaptured) }
        #expect(throws: OrderTransitions.Impossible.self) {
            try OrderTransitions.next(OrderState(order: .created, payment: .pending, supplier: .unknown), on: .opsClosed)
        }
        // A supplier that answered nothing is never closed as failed without its FAILED first.
        #expect(throws: OrderTransitions.Impossible.self) {
            try OrderTransitions.next(OrderState(order: .created, payment: .pending, supplier: .requested), on: .closedSupplierFailed)
        }
        for (key, to) in OrderTransitions.table {
            #expect(!key.from.isFinal, "nothing leaves a final state: \(key.from) \(key.event)")
            #expect((to.order == .closed) == (to.closeReason != nil), "a closed order says why, an open one does not: \(to)")
        }
        for final in OrderTransitions.table.values where final.isFinal && final.order == .closed {
            for event in OrderEvent.allCases { #expect(OrderTransitions.table[.init(from: final, event: event)] == nil) }
        }
    }

    @Test func displayStatusFollowsStateAndStep() {
        #expect(DisplayStatus(.start, step: .review) == .inReview)
        #expect(DisplayStatus(OrderState(order: .created, payment: .pending, supplier: .none), step: .awaitConfirmation) == .onHold)
        #expect(DisplayStatus(OrderState(order: .created, payment: .pending, supplier: .unknown), step: .reconcile) == .pending)
        #expect(DisplayStatus(OrderState(order: .confirmed, payment: .paid, supplier: .confirmed), step: .cancel) == .cancelling)
        #expect(DisplayStatus(OrderState(order: .closed, payment: .closed, supplier: .none, closeReason: .riskRejected), step: .done) == .rejected)
        #expect(DisplayStatus(OrderState(order: .closed, payment: .closed, supplier: .failed, closeReason: .supplierFailed), step: .done) == .failed)
    }

    @Test func toleranceBoundsWhatIsReservedAndAccepted() {
        let agreed = Money(Amount("200.00")!, "EUR")
        let percent = PlaceOrderInput.Tolerance(percent: Amount("2.5")!)
        #expect(OrderMoney.maximum(agreed, tolerance: percent) == Money(Amount("205.00")!, "EUR"))
        #expect(OrderMoney.maximum(Money(Amount("99.99")!, "EUR"), tolerance: PlaceOrderInput.Tolerance(percent: Amount("3")!)).amount == Amount("102.98")!,
                "rounded down: never more than tolerated (102.9897)")
        #expect(OrderMoney.accepts(Money(Amount("205.00")!, "EUR"), agreed: agreed, tolerance: percent))
        #expect(!OrderMoney.accepts(Money(Amount("205.01")!, "EUR"), agreed: agreed, tolerance: percent))
        #expect(!OrderMoney.accepts(Money(Amount("200.01")!, "EUR"), agreed: agreed, tolerance: nil), "no tolerance: no rise")
        #expect(OrderMoney.accepts(Money(Amount("150.00")!, "EUR"), agreed: agreed, tolerance: nil), "a fall always")
        let amount = PlaceOrderInput.Tolerance(amount: Money(Amount("10")!, "EUR"))
        #expect(OrderMoney.accepts(Money(Amount("210.00")!, "EUR"), agreed: agreed, tolerance: amount))
        #expect(!OrderMoney.accepts(Money(Amount("210.00")!, "USD"), agreed: agreed, tolerance: amount))
    }

    @Test func creditIsChargedInTheAccountsCurrencyAndCancellationKeepsThePenaltyShare() {
        let rates = ExchangeRates(base: "CNY", rates: ["EUR": Amount("7.8")!, "USD": Amount("7.2")!])
        #expect(OrderMoney.charge(Money(Amount("100.00")!, "EUR"), in: "CNY", rates: rates) == Money(Amount("780.00")!, "CNY"))
        #expect(OrderMoney.charge(Money(Amount("100.00")!, "EUR"), in: "USD", rates: rates) == Money(Amount("108.34")!, "USD"), "108.333… rounded up")
        #expect(OrderMoney.charge(Money(Amount("100.00")!, "GBP"), in: "CNY", rates: rates) == nil)
        let sell = Money(Amount("100.00")!, "EUR")
        let policies = [CancellationPolicy(from: Date(timeIntervalSince1970: 1000), amount: Amount("30.00")!),
                        CancellationPolicy(from: Date(timeIntervalSince1970: 2000), amount: Amount("150.00")!)]
        #expect(OrderMoney.penalty(policies, sell: sell, at: Date(timeIntervalSince1970: 500)).amount == .zero)
        #expect(OrderMoney.penalty(policies, sell: sell, at: Date(timeIntervalSince1970: 1500)).amount == Amount("30.00")!)
        #expect(OrderMoney.penalty(policies, sell: sell, at: Date(timeIntervalSince1970: 2500)).amount == Amount("100.00")!, "never more than the price")
        let kept = OrderMoney.kept(Money(Amount("30.00")!, "EUR"), sell: sell, charge: Money(Amount("780.00")!, "CNY"))
        #expect(kept == Money(Amount("234.00")!, "CNY"), "the penalty's share of what was captured")
    }

    @Test func anAlternativeIsTheSameRoomWithinTheLimit() {
        let original = OfferTerms(
            tenantId: "t", supplier: "a", rateKey: "k", rateType: .bookable, masterHotelId: 7, hotelCode: "H", roomCode: "DBL", roomName: "Standard Double",
            board: .bedAndBreakfast, refundable: true, checkIn: CalendarDate("2027-01-10")!, checkOut: CalendarDate("2027-01-12")!,
            occupancy: Occupancy(adults: 2), net: Money(Amount("80")!, "USD"), sell: Money(Amount("100.00")!, "EUR"), cancellationPolicies: [], expires: 0)
        var other = original
        other.supplier = "b"
        other.roomName = "standard-double"
        other.sell = Money(Amount("104.00")!, "EUR")
        let limit = Money(Amount("105.00")!, "EUR")
        #expect(OrderMoney.equivalent(other, to: original, limit: limit))
        var dearer = other
        dearer.sell = Money(Amount("105.01")!, "EUR")
        #expect(!OrderMoney.equivalent(dearer, to: original, limit: limit))
        var nonRefundable = other
        nonRefundable.refundable = false
        #expect(!OrderMoney.equivalent(nonRefundable, to: original, limit: limit))
        var sameSupplier = other
        sameSupplier.supplier = "a"
        #expect(!OrderMoney.equivalent(sameSupplier, to: original, limit: limit))
    }
}
