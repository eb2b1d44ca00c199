// A markup rule: which offers it fits (its scope) and what it adds to their net price (its effect).
// Every scope field left out matches everything.

import FoundationEssentials
import Shared

struct MarkupRule: Codable, Sendable, Equatable {
    var id: String
    var name: String
    var scope: Scope
    var effect: Effect
    /// Breaks ties between equally specific rules: higher wins (then the newer).
    var priority: Int
    var enabled: Bool
    var createdAt: Date
    var updatedAt: Date
    var updatedBy: String

    struct Scope: Codable, Sendable, Equatable {
        /// One tenant, or every tenant of a group (pricing's tenant groups), or (both nil) everyone.
        var tenantId: String?
        var tenantGroup: String?
        var supplier: String?
        /// ISO 3166 alpha-2, upper case.
        var countryCode: String?
        /// As the catalog writes it; matched without regard to case.
        var city: String?
        var masterHotelId: Int64?
        var minStars: Int?
        var maxStars: Int?
        var board: Board?
        var refundable: Bool?
        /// Check-in dates it applies to, inclusive.
        var checkInFrom: CalendarDate?
        var checkInTo: CalendarDate?
        /// Days between booking and check-in, inclusive.
        var minDaysBefore: Int?
        var maxDaysBefore: Int?
        /// The offer's net for the whole stay, in the base currency, inclusive.
        var minNet: Amount?
        var maxNet: Amount?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case tenantId = "tenant_id", tenantGroup = "tenant_group", supplier, countryCode = "country_code", city, masterHotelId = "master_hotel_id"
            case minStars = "min_stars", maxStars = "max_stars", board, refundable, checkInFrom = "check_in_from", checkInTo = "check_in_to"
            case minDaysBefore = "min_days_before", maxDaysBefore = "max_days_before", minNet = "min_net", maxNet = "max_net"
        }

        init() {}

        /// A misspelt condition would silently widen the rule to everything: unknown fields are refused.
        init(from decoder: any Decoder) throws {
            try decoder.refuseUnknownKeys(CodingKeys.self)
            let container = try decoder.container(keyedBy: CodingKeys.self)
            tenantId = try container.decodeIfPresent(String.self, forKey: .tenantId)
            tenantGroup = try container.decodeIfPresent(String.self, forKey: .tenantGroup)
            supplier = try container.decodeIfPresent(String.self, forKey: .supplier)
            countryCode = try container.decodeIfPresent(String.self, forKey: .countryCode)
            city = try container.decodeIfPresent(String.self, forKey: .city)
            masterHotelId = try container.decodeIfPresent(Int64.self, forKey: .masterHotelId)
            minStars = try container.decodeIfPresent(Int.self, forKey: .minStars)
            maxStars = try container.decodeIfPresent(Int.self, forKey: .maxStars)
            board = try container.decodeIfPresent(Board.self, forKey: .board)
            refundable = try container.decodeIfPresent(Bool.self, forKey: .refundable)
            checkInFrom = try container.decodeIfPresent(CalendarDate.self, forKey: .checkInFrom)
            checkInTo = try container.decodeIfPresent(CalendarDate.self, forKey: .checkInTo)
            minDaysBefore = try container.decodeIfPresent(Int.self, forKey: .minDaysBefore)
            maxDaysBefore = try container.decodeIfPresent(Int.self, forKey: .maxDaysBefore)
            minNet = try container.decodeIfPresent(Amount.self, forKey: .minNet)
            maxNet = try container.decodeIfPresent(Amount.self, forKey: .maxNet)
        }
    }

    /// A percentage of the net, or a fixed amount per stay in a currency.
    enum Effect: Codable, Sendable, Equatable {
        case percent(Amount)
        case fixed(Money)

        enum CodingKeys: String, CodingKey { case type, percent, amount, currency }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            switch try container.decode(String.self, forKey: .type) {
            case "percent": self = .percent(try container.decode(Amount.self, forKey: .percent))
            case "fixed": self = .fixed(Money(try container.decode(Amount.self, forKey: .amount), try container.decode(String.self, forKey: .currency)))
            case let other:
                throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "expected percent or fixed, got '\(other)'")
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .percent(let percent):
                try container.encode("percent", forKey: .type)
                try container.encode(percent, forKey: .percent)
            case .fixed(let money):
                try container.encode("fixed", forKey: .type)
                try container.encode(money.amount, forKey: .amount)
                try container.encode(money.currency, forKey: .currency)
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, name, scope, effect, priority, enabled, createdAt = "created_at", updatedAt = "updated_at", updatedBy = "updated_by"
    }
}

/// What a rule is matched against for a supplier's offers at one hotel, for one tenant on one day:
/// all of a rule's scope but the offers' own terms (board, refundability, net).
struct HotelSubject: Sendable {
    var tenantId: String
    var tenantGroups: Set<String>
    var supplier: String
    var masterHotelId: Int64?
    /// The hotel's city in lower case and country in upper case, as rules are matched (any case);
    /// nil also when no rule names one (RuleBook.hotelSubject).
    var city: String?
    var countryCode: String?
    var stars: Int?
    var checkIn: CalendarDate
    var bookingDate: CalendarDate
}

/// What a rule is matched against for one offer: its hotel's subject and its own terms.
struct PricingSubject: Sendable {
    var hotel: HotelSubject
    var offer: PriceableOffer
    /// The offer's net in the base currency, when a rate converts it.
    var netInBase: Fixed?
}

extension MarkupRule.Scope {
    /// Where the rule applies: 3 one hotel, 2 a city, 1 a country, 0 everywhere.
    var placeLevel: Int { masterHotelId != nil ? 3 : city != nil ? 2 : countryCode != nil ? 1 : 0 }
    /// Whom it applies to: 2 one tenant, 1 a group, 0 everyone.
    var tenantLevel: Int { tenantId != nil ? 2 : tenantGroup != nil ? 1 : 0 }
    /// How many other conditions narrow it.
    var conditions: Int {
        [supplier != nil, minStars != nil || maxStars != nil, board != nil, refundable != nil, checkInFrom != nil || checkInTo != nil,
         minDaysBefore != nil || maxDaysBefore != nil, minNet != nil || maxNet != nil].filter { $0 }.count
    }
}

extension MarkupRule {
    /// Which of two rules that both fit an offer wins: the more specific place, then the more specific
    /// tenant, then more other conditions, then the higher priority, then the newer, then the id.
    struct Precedence: Comparable, Sendable {
        var levels: (place: Int, tenant: Int, conditions: Int, priority: Int)
        var createdAt: Date
        var id: String

        static func < (a: Precedence, b: Precedence) -> Bool {
            if a.levels != b.levels { return a.levels < b.levels }
            if a.createdAt != b.createdAt { return a.createdAt < b.createdAt }
            return a.id < b.id
        }

        static func == (a: Precedence, b: Precedence) -> Bool { a.levels == b.levels && a.createdAt == b.createdAt && a.id == b.id }
    }

    var precedence: Precedence {
        Precedence(levels: (scope.placeLevel, scope.tenantLevel, scope.conditions, priority), createdAt: createdAt, id: id)
    }
}
