// A direct contract: a master hotel the platform sells from its own allotments, its room types and
// its rate plans (board, refundability, the cancellation terms), all priced in one currency.

import FoundationEssentials
import Shared

struct ContractHotel: Codable, Sendable, Equatable {
    var hotelId: Int64
    var name: String
    var currency: String
    /// The channel manager (a supplier code) that sends this hotel's updates, and the hotel's code there.
    var channel: String?
    var channelHotelCode: String?
    var onSale: Bool
    var roomTypes: [RoomType]
    var ratePlans: [RatePlan]

    enum CodingKeys: String, CodingKey {
        case hotelId = "hotel_id", name, currency, channel, channelHotelCode = "channel_hotel_code", onSale = "on_sale"
        case roomTypes = "room_types", ratePlans = "rate_plans"
    }
}

struct RoomType: Codable, Sendable, Equatable {
    var code: String
    var name: String
    /// Guests (adults and children) one room takes.
    var maxOccupancy: Int

    enum CodingKeys: String, CodingKey { case code, name, maxOccupancy = "max_occupancy" }
}

struct RatePlan: Codable, Sendable, Equatable {
    var code: String
    var name: String
    var board: Board
    var refundable: Bool
    /// For refundable plans: from `days_before` check-in on, cancelling costs `percent` of the stay.
    var cancellation: [CancellationRule]

    /// The penalties for a stay booked at `moment`: a non-refundable plan costs everything at once.
    func policies(checkIn: CalendarDate, total: Amount, bookedAt moment: Date) -> [CancellationPolicy] {
        guard refundable else { return [CancellationPolicy(from: Self.minute(moment), amount: total)] }
        return cancellation.sorted { $0.daysBefore > $1.daysBefore }.map { rule in
            CancellationPolicy(from: checkIn.adding(days: -rule.daysBefore).instant(), amount: rule.share(of: total))
        }
    }

    /// Whole minutes: the same offer asked twice in a minute carries the same terms.
    static func minute(_ moment: Date) -> Date {
        Date(timeIntervalSince1970: (moment.timeIntervalSince1970 / 60).rounded(.down) * 60)
    }
}

struct CancellationRule: Codable, Sendable, Equatable {
    var daysBefore: Int
    var percent: Amount

    func share(of total: Amount) -> Amount {
        Amount(total.value * percent.value / 100).rounded(toScale: 2)
    }

    enum CodingKeys: String, CodingKey { case daysBefore = "days_before", percent }
}

/// What operators may write, checked before it reaches the database.
enum ContractRules {
    static let code = TextRule(length: 1...50, format: .code)
    static let name = TextRule(length: 1...200)

    static func check(_ room: RoomType) throws {
        try code.check(room.code, field: "code", code: "invalid_room_type")
        try name.check(room.name, field: "name", code: "invalid_room_type")
        guard (1...20).contains(room.maxOccupancy) else {
            throw Problem(.unprocessableContent, code: "invalid_room_type", detail: "max_occupancy must be 1 to 20 guests.")
        }
    }

    static func check(_ plan: RatePlan) throws {
        try code.check(plan.code, field: "code", code: "invalid_rate_plan")
        try name.check(plan.name, field: "name", code: "invalid_rate_plan")
        guard plan.cancellation.count <= 10 else {
            throw Problem(.unprocessableContent, code: "invalid_rate_plan", detail: "cancellation holds at most 10 rules.")
        }
        guard plan.refundable || plan.cancellation.isEmpty else {
            throw Problem(.unprocessableContent, code: "invalid_rate_plan", detail: "A non-refundable plan costs everything at booking; leave cancellation empty.")
        }
        for rule in plan.cancellation {
            guard (0...365).contains(rule.daysBefore), rule.percent > .zero, rule.percent <= Amount(Decimal(100)) else {
                throw Problem(.unprocessableContent, code: "invalid_rate_plan",
                              detail: "Each cancellation rule needs days_before 0 to 365 and a percent above 0 and at most 100.")
            }
        }
        guard Set(plan.cancellation.map(\.daysBefore)).count == plan.cancellation.count else {
            throw Problem(.unprocessableContent, code: "invalid_rate_plan", detail: "Two cancellation rules have the same days_before.")
        }
    }
}
