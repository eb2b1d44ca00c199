// A markup rule as the rule book keeps it for pricing thousands of offers a call: shared rather than
// copied per offer, its place names in the case they are matched in, its net bounds, percent and
// precedence worked out once.

import FoundationEssentials
import Shared

final class BookRule: Sendable, Equatable {
    let rule: MarkupRule
    /// The rule's city in lower case, its country in upper case (offers match them in any case).
    let city: String?
    let countryCode: String?
    let minNet: Fixed?
    let maxNet: Fixed?
    /// A percent effect's percent.
    let percent: Fixed?
    let precedence: MarkupRule.Precedence

    init(_ rule: MarkupRule) {
        self.rule = rule
        city = rule.scope.city?.lowercased()
        countryCode = rule.scope.countryCode?.uppercased()
        minNet = rule.scope.minNet.flatMap(Fixed.init)
        maxNet = rule.scope.maxNet.flatMap(Fixed.init)
        if case .percent(let percent) = rule.effect { self.percent = Fixed(percent) ?? .zero } else { percent = nil }
        precedence = rule.precedence
    }

    static func == (a: BookRule, b: BookRule) -> Bool { a.rule == b.rule }

    /// Whether the rule's scope fits `subject` (every scope field left out fits).
    func fits(_ subject: PricingSubject) -> Bool {
        let scope = rule.scope, offer = subject.offer
        if let tenantId = scope.tenantId, tenantId != subject.tenantId { return false }
        if let tenantGroup = scope.tenantGroup, !subject.tenantGroups.contains(tenantGroup) { return false }
        if let supplier = scope.supplier, supplier != offer.supplier { return false }
        if let countryCode, countryCode != subject.countryCode { return false }
        if let city, city != subject.city { return false }
        if let masterHotelId = scope.masterHotelId, masterHotelId != offer.masterHotelId { return false }
        if scope.minStars != nil || scope.maxStars != nil {
            guard let stars = offer.stars, stars >= (scope.minStars ?? 0), stars <= (scope.maxStars ?? 5) else { return false }
        }
        if let board = scope.board, board != offer.board { return false }
        if let refundable = scope.refundable, refundable != offer.refundable { return false }
        if let from = scope.checkInFrom, offer.checkIn < from { return false }
        if let to = scope.checkInTo, offer.checkIn > to { return false }
        if scope.minDaysBefore != nil || scope.maxDaysBefore != nil {
            let days = subject.bookingDate.nights(until: offer.checkIn)
            if days < (scope.minDaysBefore ?? Int.min) || days > (scope.maxDaysBefore ?? Int.max) { return false }
        }
        if scope.minNet != nil || scope.maxNet != nil {
            guard let net = subject.netInBase else { return false }
            if let minNet, net < minNet { return false }
            if let maxNet, maxNet < net { return false }
        }
        return true
    }
}
