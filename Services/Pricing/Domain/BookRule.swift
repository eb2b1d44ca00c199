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

    /// Whether the rule's scope fits offers at `hotel`, their own terms aside (every scope field
    /// left out fits).
    func fits(_ hotel: HotelSubject) -> Bool {
        let scope = rule.scope
        if let tenantId = scope.tenantId, tenantId != hotel.tenantId { return false }
        if let tenantGroup = scope.tenantGroup, !hotel.tenantGroups.contains(tenantGroup) { return false }
        if let supplier = scope.supplier, supplier != hotel.supplier { return false }
        if let countryCode, countryCode != hotel.countryCode { return false }
        if let city, city != hotel.city { return false }
        if let masterHotelId = scope.masterHotelId, masterHotelId != hotel.masterHotelId { return false }
        if scope.minStars != nil || scope.maxStars != nil {
            guard let stars = hotel.stars, stars >= (scope.minStars ?? 0), stars <= (scope.maxStars ?? 5) else { return false }
        }
        if let from = scope.checkInFrom, hotel.checkIn < from { return false }
        if let to = scope.checkInTo, hotel.checkIn > to { return false }
        if scope.minDaysBefore != nil || scope.maxDaysBefore != nil {
            let days = hotel.bookingDate.nights(until: hotel.checkIn)
            if days < (scope.minDaysBefore ?? Int.min) || days > (scope.maxDaysBefore ?? Int.max) { return false }
        }
        return true
    }

    /// Whether it fits an offer's own terms (its hotel fitting already).
    func fits(board: Board, refundable: Bool, netInBase: Fixed?) -> Bool {
        let scope = rule.scope
        if let ruleBoard = scope.board, ruleBoard != board { return false }
        if let ruleRefundable = scope.refundable, ruleRefundable != refundable { return false }
        if minNet != nil || maxNet != nil {
            guard let netInBase else { return false }
            if let minNet, netInBase < minNet { return false }
            if let maxNet, maxNet < netInBase { return false }
        }
        return true
    }
}
