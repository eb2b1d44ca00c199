// How risky an order looks: each rule that fires adds its points (and says why), the score is their
// sum capped at 100, and the decision follows from it, the threshold, the tenant's `risk.auto.reject`
// flag and the blacklist. Pure: what the rules look at (the signals) is gathered elsewhere, and the
// rules' limits and weights come from config `risk.rules` (defaults below).

import FoundationEssentials
import Shared

/// What is known about an order when it is assessed.
struct RiskSignals: Sendable, Equatable {
    /// The tenant's orders in the last `velocity.minutes` and in the last hour, this one included.
    var ordersRecently = 1
    var ordersLastHour = 1
    /// The order's amount and the tenant's 30-day average, in the platform's base currency (nil: no history).
    var amount: Amount
    var tenantAverage: Amount?
    /// Other tenants that booked the same guest within `repeatedGuest.minutes`.
    var otherTenantsForGuest = 0
    /// Hours from now to check-in.
    var hoursToCheckIn: Double
    /// Days since the tenant's credit account was opened (the tenant cannot book before it has one).
    var tenantAgeDays: Int
    /// reserved / (balance + limit), 0 when nothing can be spent.
    var creditUtilisation: Double = 0
    /// What matched the blacklist (`name:...`, `email:...`, `ip:...`, `tenant:...`).
    var blacklisted: [String] = []
}

/// The rules' limits and weights: config `risk.rules`, any field left out keeps its default.
struct RiskPolicy: Codable, Sendable, Equatable {
    struct Velocity: Codable, Sendable, Equatable {
        var minutes = 10, maxInMinutes = 5, maxInHour = 20, points = 25
        enum CodingKeys: String, CodingKey { case minutes, maxInMinutes = "max_in_minutes", maxInHour = "max_in_hour", points }
    }
    struct AboveAverage: Codable, Sendable, Equatable {
        var factor = Amount(Decimal(3)), points = 20
    }
    struct RepeatedGuest: Codable, Sendable, Equatable {
        var minutes = 60, otherTenants = 1, points = 25
        enum CodingKeys: String, CodingKey { case minutes, otherTenants = "other_tenants", points }
    }
    struct LastMinute: Codable, Sendable, Equatable {
        var hours = 24, amount = Amount(Decimal(5000)), points = 20
    }
    struct NewTenant: Codable, Sendable, Equatable {
        var days = 7, points = 10
    }
    struct Utilisation: Codable, Sendable, Equatable {
        var above = 0.9, points = 15
    }

    var velocity = Velocity()
    var aboveAverage = AboveAverage()
    var repeatedGuest = RepeatedGuest()
    var lastMinute = LastMinute()
    var newTenant = NewTenant()
    var creditUtilisation = Utilisation()
    var blacklistPoints = 100

    /// The policy config `risk.rules` sets: its fields over the defaults, objects merged key by key.
    static func from(_ config: JSONValue?) throws -> RiskPolicy {
        guard let config else { return RiskPolicy() }
        return try merged(try JSONValue(encoding: RiskPolicy()), config).decode(as: RiskPolicy.self)
    }

    private static func merged(_ base: JSONValue, _ over: JSONValue) -> JSONValue {
        guard case .object(var fields) = base, case .object(let changes) = over else { return over }
        for (key, value) in changes { fields[key] = fields[key].map { merged($0, value) } ?? value }
        return .object(fields)
    }

    enum CodingKeys: String, CodingKey {
        case velocity, aboveAverage = "above_average", repeatedGuest = "repeated_guest", lastMinute = "last_minute", newTenant = "new_tenant"
        case creditUtilisation = "credit_utilisation", blacklistPoints = "blacklist_points"
    }
}

enum RiskScoring {
    /// Every rule that fires, with its points.
    static func reasons(_ signals: RiskSignals, policy: RiskPolicy) -> [RiskReason] {
        var reasons: [RiskReason] = []
        let velocity = policy.velocity
        if signals.ordersRecently > velocity.maxInMinutes {
            reasons.append(RiskReason(
                code: "velocity", points: velocity.points,
                detail: "\(signals.ordersRecently) orders in \(velocity.minutes) minutes (more than \(velocity.maxInMinutes))"))
        } else if signals.ordersLastHour > velocity.maxInHour {
            reasons.append(RiskReason(code: "velocity", points: velocity.points, detail: "\(signals.ordersLastHour) orders in an hour (more than \(velocity.maxInHour))"))
        }
        if let average = signals.tenantAverage, average > .zero, signals.amount > average * policy.aboveAverage.factor {
            reasons.append(RiskReason(
                code: "above_average", points: policy.aboveAverage.points,
                detail: "\(signals.amount) is more than \(policy.aboveAverage.factor) times the tenant's 30-day average of \(average)"))
        }
        if signals.otherTenantsForGuest >= policy.repeatedGuest.otherTenants {
            reasons.append(RiskReason(
                code: "repeated_guest", points: policy.repeatedGuest.points,
                detail: "the same guest booked by \(signals.otherTenantsForGuest) other tenant(s) within \(policy.repeatedGuest.minutes) minutes"))
        }
        if signals.hoursToCheckIn < Double(policy.lastMinute.hours), signals.amount >= policy.lastMinute.amount {
            reasons.append(RiskReason(
                code: "last_minute_high_value", points: policy.lastMinute.points,
                detail: "check-in within \(policy.lastMinute.hours) h for \(signals.amount) (at least \(policy.lastMinute.amount))"))
        }
        if signals.tenantAgeDays < policy.newTenant.days {
            reasons.append(RiskReason(code: "new_tenant", points: policy.newTenant.points, detail: "the tenant is \(signals.tenantAgeDays) day(s) old"))
        }
        if signals.creditUtilisation > policy.creditUtilisation.above {
            reasons.append(RiskReason(
                code: "credit_utilisation", points: policy.creditUtilisation.points,
                detail: "\(Int((signals.creditUtilisation * 100).rounded())) % of the credit in use (above \(Int((policy.creditUtilisation.above * 100).rounded())) %)"))
        }
        for hit in signals.blacklisted {
            reasons.append(RiskReason(code: "blacklisted", points: policy.blacklistPoints, detail: "blacklisted \(hit)"))
        }
        return reasons
    }

    static func score(_ reasons: [RiskReason]) -> Int { min(100, reasons.reduce(0) { $0 + $1.points }) }

    /// reject on a blacklist hit, or at or above the threshold with `risk.auto.reject` on for the
    /// tenant; review at or above the threshold otherwise; approve below it.
    static func decide(score: Int, threshold: Int, autoReject: Bool, blacklisted: Bool) -> RiskDecision {
        if blacklisted { return .reject }
        guard score >= threshold else { return .approve }
        return autoReject ? .reject : .review
    }
}
