// One change to the calendar: a room type, a range of nights (both included), optionally only some
// weekdays, and any of the night's fields; prices per rate plan. An operator's request and a
// channel manager's message both become a list of these, applied in one transaction.

import FoundationEssentials
import Shared

struct CalendarUpdate: Codable, Sendable, Equatable {
    var roomType: String
    var from: CalendarDate
    var to: CalendarDate
    /// ISO weekdays (1 Monday ... 7 Sunday) the update applies to; every day when absent.
    var weekdays: [Int]?
    var allotment: Int?
    var stopSell: Bool?
    var minStay: Int?
    var closedToArrival: Bool?
    var releaseDays: Int?
    /// Net price per room and night, by rate plan code.
    var prices: [String: Amount]?

    enum CodingKeys: String, CodingKey {
        case roomType = "room_type", from, to, weekdays, allotment, stopSell = "stop_sell", minStay = "min_stay"
        case closedToArrival = "closed_to_arrival", releaseDays = "release_days", prices
    }

    /// The nights it covers, for the event and the error messages.
    var nights: Int { from.nights(until: to) + 1 }

    /// Whether it changes anything of a night other than its prices.
    var changesNights: Bool { allotment != nil || stopSell != nil || minStay != nil || closedToArrival != nil || releaseDays != nil }

    /// The weekdays as PostgreSQL's `isodow` values.
    var days: [Int] { weekdays ?? Array(1...7) }
}

extension CalendarUpdate {
    /// The most nights one update may span, and the furthest ahead a night may be set.
    static let maximumSpan = 731
    static let horizonDays = 800

    /// Why this update cannot be applied, as the field and the reason; nil when it can.
    func violation(today: CalendarDate) -> (field: String, reason: String)? {
        if ContractRules.code.violation(roomType) != nil { return ("room_type", "must be a room type code") }
        if to < from { return ("to", "must not be before from") }
        if from < today { return ("from", "must not be before today (\(today))") }
        if nights > Self.maximumSpan { return ("to", "must be at most \(Self.maximumSpan) nights after from") }
        if to.dayNumber - today.dayNumber > Self.horizonDays { return ("to", "must be at most \(Self.horizonDays) days from today") }
        if let weekdays, weekdays.isEmpty || !weekdays.allSatisfy((1...7).contains) { return ("weekdays", "must list ISO weekdays 1 (Monday) to 7 (Sunday)") }
        if let allotment, !(0...10_000).contains(allotment) { return ("allotment", "must be 0 to 10000 rooms") }
        if let minStay, !(1...60).contains(minStay) { return ("min_stay", "must be 1 to 60 nights") }
        if let releaseDays, !(0...365).contains(releaseDays) { return ("release_days", "must be 0 to 365 days") }
        if let prices {
            if prices.isEmpty && !changesNights { return ("prices", "must name at least one rate plan") }
            for (plan, price) in prices {
                if ContractRules.code.violation(plan) != nil { return ("prices", "keys must be rate plan codes") }
                if price <= .zero || price.value > 1_000_000 { return ("prices.\(plan)", "must be above 0 and at most 1000000") }
            }
        } else if !changesNights {
            return ("updates", "each update must set at least one field")
        }
        return nil
    }
}
