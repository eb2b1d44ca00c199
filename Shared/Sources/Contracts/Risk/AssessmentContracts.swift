// risk's assessment of an order (`POST /assessments`, internal, for order): a score 0-100 with every
// reason and its points, and a decision. One per order: asking again answers the stored assessment.

import FoundationEssentials

public enum RiskDecision: String, Codable, Sendable {
    case approve, review, reject
}

public struct RiskReason: Codable, Sendable, Equatable {
    public var code: String
    public var points: Int
    public var detail: String

    public init(code: String, points: Int, detail: String) {
        self.code = code
        self.points = points
        self.detail = detail
    }
}

public struct RiskGuest: Codable, Sendable, Equatable {
    public var firstName: String
    public var lastName: String
    public var email: String?

    public init(firstName: String, lastName: String, email: String? = nil) {
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
    }

    enum CodingKeys: String, CodingKey { case firstName = "first_name", lastName = "last_name", email }
}

public struct AssessmentRequest: Codable, Sendable, Equatable {
    public var tenantId: String
    public var orderId: String
    public var amount: Money
    public var checkIn: CalendarDate
    public var checkOut: CalendarDate
    public var masterHotelId: Int64?
    public var city: String?
    public var guests: [RiskGuest]
    /// The caller's address as the gateway saw it.
    public var clientIp: String?

    public init(
        tenantId: String, orderId: String, amount: Money, checkIn: CalendarDate, checkOut: CalendarDate, masterHotelId: Int64? = nil, city: String? = nil,
        guests: [RiskGuest], clientIp: String? = nil
    ) {
        self.tenantId = tenantId
        self.orderId = orderId
        self.amount = amount
        self.checkIn = checkIn
        self.checkOut = checkOut
        self.masterHotelId = masterHotelId
        self.city = city
        self.guests = guests
        self.clientIp = clientIp
    }

    enum CodingKeys: String, CodingKey {
        case tenantId = "tenant_id", orderId = "order_id", amount, checkIn = "check_in", checkOut = "check_out", masterHotelId = "master_hotel_id", city
        case guests, clientIp = "client_ip"
    }
}

public struct Assessment: Codable, Sendable, Equatable {
    /// Where a `review` decision stands: `pending` until an operator approves or rejects it.
    public enum Review: String, Codable, Sendable { case pending, approved, rejected }

    public var orderId: String
    public var tenantId: String
    public var score: Int
    public var decision: RiskDecision
    public var reasons: [RiskReason]
    public var review: Review?
    public var assessedAt: Date

    public init(orderId: String, tenantId: String, score: Int, decision: RiskDecision, reasons: [RiskReason], review: Review?, assessedAt: Date) {
        self.orderId = orderId
        self.tenantId = tenantId
        self.score = score
        self.decision = decision
        self.reasons = reasons
        self.review = review
        self.assessedAt = assessedAt
    }

    enum CodingKeys: String, CodingKey { case orderId = "order_id", tenantId = "tenant_id", score, decision, reasons, review, assessedAt = "assessed_at" }
}
