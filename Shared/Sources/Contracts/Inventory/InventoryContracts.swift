// inventory's internal API for query-engine and order. Direct contracts are sold as one more
// supplier, `direct`, whose hotel codes are matching's master hotel ids: availability and rate
// checks take and give supplier-adapter's shapes. Holds keep rooms for an order, idempotent by order id:
//   GET  /contracted-hotels                      -> [Int64] master hotels with a contract on sale
//   POST /availability                           AvailabilityQuery -> AvailabilityResult
//   POST /rate-checks                            RateCheckRequest -> RateCheckResult
//   POST /holds                                  HoldRequest -> 201 Hold (a replay: 200, the same hold)
//   GET  /holds/{order}
//   POST /holds/{order}/confirm | release | cancel   -> Hold

import FoundationEssentials

/// The supplier code direct contracts are sold under.
public let directSupplier = "direct"

public enum HoldStatus: String, Codable, Sendable {
    /// Rooms kept for the order until `expires_at`; `expired` when the sweeper gave them back.
    case held, confirmed, released, expired, cancelled
}

public struct HoldRequest: Codable, Sendable, Equatable {
    public var orderId: String
    /// The offer's rate key, as availability gave it: the hotel, room type, rate plan, stay and price.
    public var rateKey: String
    public var rooms: Int
    /// How long the rooms are kept unconfirmed (60 s to 24 h; 15 min when absent).
    public var holdSeconds: Int?

    public init(orderId: String, rateKey: String, rooms: Int, holdSeconds: Int? = nil) {
        self.orderId = orderId
        self.rateKey = rateKey
        self.rooms = rooms
        self.holdSeconds = holdSeconds
    }

    enum CodingKeys: String, CodingKey { case orderId = "order_id", rateKey = "rate_key", rooms, holdSeconds = "hold_seconds" }
}

public struct Hold: Codable, Sendable, Equatable {
    public var orderId: String
    public var hotelId: Int64
    public var roomType: String
    public var ratePlan: String
    public var checkIn: CalendarDate
    public var checkOut: CalendarDate
    public var rooms: Int
    public var status: HoldStatus
    /// What the platform owes the hotel for all rooms and nights.
    public var net: Money
    public var cancellationPolicies: [CancellationPolicy]
    public var expiresAt: Date

    public init(orderId: String, hotelId: Int64, roomType: String, ratePlan: String, checkIn: CalendarDate, checkOut: CalendarDate, rooms: Int,
                status: HoldStatus, net: Money, cancellationPolicies: [CancellationPolicy], expiresAt: Date) {
        self.orderId = orderId
        self.hotelId = hotelId
        self.roomType = roomType
        self.ratePlan = ratePlan
        self.checkIn = checkIn
        self.checkOut = checkOut
        self.rooms = rooms
        self.status = status
        self.net = net
        self.cancellationPolicies = cancellationPolicies
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id", hotelId = "hotel_id", roomType = "room_type", ratePlan = "rate_plan", checkIn = "check_in", checkOut = "check_out"
        case rooms, status, net, cancellationPolicies = "cancellation_policies", expiresAt = "expires_at"
    }
}

/// `inventory.updated`: what can be sold of a room type changed on these nights (both included).
public struct InventoryUpdatedEvent: Codable, Sendable, Equatable {
    public static let type = "inventory.updated"

    public enum Cause: String, Codable, Sendable {
        case calendar, channel, hold, release, expiry, cancellation
    }

    public var hotelId: Int64
    public var roomType: String
    public var firstNight: CalendarDate
    public var lastNight: CalendarDate
    public var cause: Cause

    public init(hotelId: Int64, roomType: String, firstNight: CalendarDate, lastNight: CalendarDate, cause: Cause) {
        self.hotelId = hotelId
        self.roomType = roomType
        self.firstNight = firstNight
        self.lastNight = lastNight
        self.cause = cause
    }

    enum CodingKeys: String, CodingKey { case hotelId = "hotel_id", roomType = "room_type", firstNight = "first_night", lastNight = "last_night", cause }
}

public struct InventoryClient: Sendable {
    public let service: ServiceClient

    public init(baseURL: String, http: HTTP1Client) {
        service = ServiceClient(.inventory, baseURL: baseURL, http: http)
    }

    public func contractedHotels(origin: CallOrigin) async throws -> [Int64] {
        try await service.get("/contracted-hotels", as: [Int64].self, origin: origin, timeout: .seconds(2))
    }

    public func availability(_ query: AvailabilityQuery, origin: CallOrigin, timeout: Duration) async throws -> AvailabilityResult {
        try await service.post("/availability", query, reading: AvailabilityResult.self, origin: origin, timeout: timeout)
    }

    public func checkRate(_ request: RateCheckRequest, origin: CallOrigin, timeout: Duration) async throws -> RateCheckResult {
        try await service.post("/rate-checks", request, as: RateCheckResult.self, origin: origin, timeout: timeout)
    }

    public func hold(_ request: HoldRequest, origin: CallOrigin) async throws -> Hold {
        try await service.post("/holds", request, as: Hold.self, origin: origin, timeout: .seconds(5))
    }

    public func hold(of order: String, origin: CallOrigin) async throws -> Hold {
        try await service.get("/holds/\(order.percentEncoded)", as: Hold.self, origin: origin, timeout: .seconds(5))
    }

    public enum Step: String, Sendable { case confirm, release, cancel }

    public func apply(_ step: Step, toHoldOf order: String, origin: CallOrigin) async throws -> Hold {
        try await service.post("/holds/\(order.percentEncoded)/\(step.rawValue)", [String: String](), as: Hold.self, origin: origin, timeout: .seconds(5))
    }
}
