// Booking and cancelling at a supplier. `client_reference` is the platform's order number: the one
// key a booking can be found by when the supplier's answer never arrived.

import FoundationEssentials

public struct Guest: Hashable, Codable, Sendable {
    public var givenName: String
    public var surname: String

    public init(givenName: String, surname: String) {
        self.givenName = givenName
        self.surname = surname
    }

    enum CodingKeys: String, CodingKey { case givenName = "given_name", surname }
}

public struct SupplierBookingRequest: Hashable, Codable, Sendable {
    public var rateKey: String
    public var clientReference: String
    public var holder: Guest
    public var remark: String?

    public init(rateKey: String, clientReference: String, holder: Guest, remark: String? = nil) {
        self.rateKey = rateKey
        self.clientReference = clientReference
        self.holder = holder
        self.remark = remark
    }

    enum CodingKeys: String, CodingKey { case rateKey = "rate_key", clientReference = "client_reference", holder, remark }
}

public enum SupplierBookingStatus: String, Codable, Sendable {
    case confirmed = "CONFIRMED", cancelled = "CANCELLED"
}

public struct SupplierBooking: Hashable, Codable, Sendable {
    public var supplier: String
    /// The supplier's booking reference.
    public var reference: String
    public var clientReference: String
    public var status: SupplierBookingStatus
    public var hotelCode: String
    public var roomCode: String
    public var board: Board
    public var checkIn: CalendarDate
    public var checkOut: CalendarDate
    public var holder: Guest
    public var net: Amount
    public var currency: String
    public var cancellationPolicies: [CancellationPolicy]

    public init(
        supplier: String, reference: String, clientReference: String, status: SupplierBookingStatus, hotelCode: String, roomCode: String,
        board: Board, checkIn: CalendarDate, checkOut: CalendarDate, holder: Guest, net: Amount, currency: String,
        cancellationPolicies: [CancellationPolicy]
    ) {
        self.supplier = supplier
        self.reference = reference
        self.clientReference = clientReference
        self.status = status
        self.hotelCode = hotelCode
        self.roomCode = roomCode
        self.board = board
        self.checkIn = checkIn
        self.checkOut = checkOut
        self.holder = holder
        self.net = net
        self.currency = currency
        self.cancellationPolicies = cancellationPolicies
    }

    enum CodingKeys: String, CodingKey {
        case supplier, reference, clientReference = "client_reference", status, hotelCode = "hotel_code", roomCode = "room_code", board
        case checkIn = "check_in", checkOut = "check_out", holder, net, currency, cancellationPolicies = "cancellation_policies"
    }
}

/// What cancelling costs, and whether it happened (`simulated` cancellations only quote the penalty).
public struct SupplierCancellation: Hashable, Codable, Sendable {
    public var supplier: String
    public var reference: String
    public var simulated: Bool
    public var status: SupplierBookingStatus
    public var penalty: Amount
    public var currency: String

    public init(supplier: String, reference: String, simulated: Bool, status: SupplierBookingStatus, penalty: Amount, currency: String) {
        self.supplier = supplier
        self.reference = reference
        self.simulated = simulated
        self.status = status
        self.penalty = penalty
        self.currency = currency
    }
}
