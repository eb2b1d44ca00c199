// What a supplier sells, in the platform's own words whatever the supplier's protocol: the contract
// between supplier-adapter and its callers (query-engine, order, inventory).

import FoundationEssentials

public enum Board: String, Codable, Sendable, CaseIterable {
    case roomOnly = "RO", bedAndBreakfast = "BB", halfBoard = "HB", fullBoard = "FB", allInclusive = "AI"
}

/// BOOKABLE rates can be booked as they are; RECHECK rates must pass a rate check first.
public enum RateType: String, Codable, Sendable {
    case bookable = "BOOKABLE", recheck = "RECHECK"
}

/// From `from` on, cancelling costs `amount` (in the offer's currency).
public struct CancellationPolicy: Hashable, Codable, Sendable {
    public var from: Date
    public var amount: Amount

    public init(from: Date, amount: Amount) {
        self.from = from
        self.amount = amount
    }

    /// The penalty for cancelling at `moment`: the largest amount whose deadline has passed.
    public static func penalty(_ policies: [CancellationPolicy], at moment: Date) -> Amount {
        policies.filter { $0.from <= moment }.map(\.amount).max() ?? .zero
    }

    /// The supplier's policies (amounts of its `net`) as the distributor's: the same share of the
    /// `sell` price, in its currency and minor units, never more than it. All of the net (a
    /// non-refundable rate) is all of the price: nothing comes back but what the supplier gives back.
    public static func scaled(_ policies: [CancellationPolicy], net: Amount, sell: Money) -> [CancellationPolicy] {
        let scale = Currency.minorUnits(sell.currency)
        return policies.map { policy in
            let amount = net > .zero && policy.amount < net
                ? sell.amount.scaled(by: policy.amount, over: net, toScale: scale) : sell.amount.rounded(toScale: scale)
            return CancellationPolicy(from: policy.from, amount: min(amount, sell.amount))
        }
    }
}

public struct Occupancy: Hashable, Codable, Sendable {
    public var adults: Int
    public var childrenAges: [Int]

    public init(adults: Int, childrenAges: [Int] = []) {
        self.adults = adults
        self.childrenAges = childrenAges
    }

    enum CodingKeys: String, CodingKey { case adults, childrenAges = "children_ages" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        adults = try container.decode(Int.self, forKey: .adults)
        childrenAges = try container.decodeIfPresent([Int].self, forKey: .childrenAges) ?? []
    }
}

public struct SupplierOffer: Hashable, Codable, Sendable {
    public var supplier: String
    public var hotelCode: String
    public var roomCode: String
    public var roomName: String
    public var board: Board
    public var refundable: Bool
    public var cancellationPolicies: [CancellationPolicy]
    /// What the platform pays the supplier for the whole stay.
    public var net: Amount
    /// The price below which the room must not be sold, when the supplier imposes one.
    public var sellingRate: Amount?
    public var currency: String
    /// The supplier's own key for this rate: opaque, passed back to rate check and book.
    public var rateKey: String
    public var rateType: RateType
    /// Rooms left at this rate, when the supplier says.
    public var allotment: Int?

    public init(
        supplier: String, hotelCode: String, roomCode: String, roomName: String, board: Board, refundable: Bool,
        cancellationPolicies: [CancellationPolicy], net: Amount, sellingRate: Amount?, currency: String, rateKey: String,
        rateType: RateType, allotment: Int?
    ) {
        self.supplier = supplier
        self.hotelCode = hotelCode
        self.roomCode = roomCode
        self.roomName = roomName
        self.board = board
        self.refundable = refundable
        self.cancellationPolicies = cancellationPolicies
        self.net = net
        self.sellingRate = sellingRate
        self.currency = currency
        self.rateKey = rateKey
        self.rateType = rateType
        self.allotment = allotment
    }

    enum CodingKeys: String, CodingKey {
        case supplier, hotelCode = "hotel_code", roomCode = "room_code", roomName = "room_name", board, refundable
        case cancellationPolicies = "cancellation_policies", net, sellingRate = "selling_rate", currency
        case rateKey = "rate_key", rateType = "rate_type", allotment
    }
}
