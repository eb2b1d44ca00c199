// What a markup rule may say: the limits an operator's rule is checked against before it is stored.

import Shared

enum MarkupRuleRules {
    static let percentRange = Amount(-50)...Amount(1000)
    static let priorityRange = -1000...1000

    /// Nil when `rule` may be stored; otherwise a 400 problem naming the field and what to fix.
    static func problem(_ rule: MarkupRule) -> Problem? {
        func invalid(_ field: String, _ detail: String) -> Problem {
            Problem(.badRequest, code: "invalid_rule", detail: "\(field) \(detail).", extensions: ["field": .string(field)])
        }
        if let reason = TextRule.name.violation(rule.name) { return invalid("name", reason) }
        let scope = rule.scope
        if scope.tenantId != nil && scope.tenantGroup != nil { return invalid("scope", "names a tenant or a tenant group, not both") }
        for (field, value) in [("scope.tenant_id", scope.tenantId), ("scope.tenant_group", scope.tenantGroup), ("scope.supplier", scope.supplier)] {
            if let value, let reason = TextRule.code.violation(value) { return invalid(field, reason) }
        }
        if let country = scope.countryCode, country.count != 2 || !country.utf8.allSatisfy({ (65...90).contains($0) }) {
            return invalid("scope.country_code", "must be an ISO 3166 code of two capital letters, like FR")
        }
        if let city = scope.city, let reason = TextRule(length: 1...100).violation(city) { return invalid("scope.city", reason) }
        if let hotel = scope.masterHotelId, hotel <= 0 { return invalid("scope.master_hotel_id", "must be a master hotel id") }
        if let problem = range("scope.min_stars", scope.minStars, "scope.max_stars", scope.maxStars, within: 0...5, invalid) { return problem }
        if let from = scope.checkInFrom, let to = scope.checkInTo, from > to { return invalid("scope.check_in_from", "must not be after check_in_to") }
        if let problem = range("scope.min_days_before", scope.minDaysBefore, "scope.max_days_before", scope.maxDaysBefore, within: 0...1000, invalid) {
            return problem
        }
        if let low = scope.minNet, low < .zero { return invalid("scope.min_net", "must not be negative") }
        if let low = scope.minNet, let high = scope.maxNet, low > high { return invalid("scope.min_net", "must not be above max_net") }
        switch rule.effect {
        case .percent(let percent):
            if !percentRange.contains(percent) { return invalid("effect.percent", "must be between -50 and 1000") }
        case .fixed(let money):
            if !Currency.isCode(money.currency) { return invalid("effect.currency", "must be an ISO 4217 code, like EUR") }
            if money.amount < .zero { return invalid("effect.amount", "must not be negative (a discount is a negative percent)") }
        }
        if !priorityRange.contains(rule.priority) { return invalid("priority", "must be between -1000 and 1000") }
        return nil
    }

    private static func range(
        _ lowField: String, _ low: Int?, _ highField: String, _ high: Int?, within bounds: ClosedRange<Int>, _ invalid: (String, String) -> Problem
    ) -> Problem? {
        if let low, !bounds.contains(low) { return invalid(lowField, "must be \(bounds.lowerBound) to \(bounds.upperBound)") }
        if let high, !bounds.contains(high) { return invalid(highField, "must be \(bounds.lowerBound) to \(bounds.upperBound)") }
        if let low, let high, low > high { return invalid(lowField, "must not be above \(highField.split(separator: ".").last ?? "")") }
        return nil
    }
}
