// The risk rules, one case per rule, and the decisions: threshold, auto-reject flag, blacklist.

import Foundation
@testable import Risk
@testable import Shared
import Testing

@Suite struct RiskScoringTests {
    /// An order no rule minds: an established tenant, its usual amount, check-in next month.
    static let calm = RiskSignals(amount: Amount("300")!, tenantAverage: Amount("250")!, hoursToCheckIn: 24 * 30, tenantAgeDays: 400, creditUtilisation: 0.2)

    static func with(_ change: (inout RiskSignals) -> Void) -> RiskSignals {
        var signals = calm
        change(&signals)
        return signals
    }

    @Test(arguments: [
        ("calm", calm, [String]()),
        ("6 orders in 10 minutes", with { $0.ordersRecently = 6 }, ["velocity"]),
        ("5 orders in 10 minutes", with { $0.ordersRecently = 5 }, []),
        ("21 orders in an hour", with { $0.ordersLastHour = 21 }, ["velocity"]),
        ("over 3x the average", with { $0.amount = Amount("750.01")! }, ["above_average"]),
        ("exactly 3x the average", with { $0.amount = Amount("750")! }, []),
        ("no history", with { $0.tenantAverage = nil; $0.amount = Amount("4000")! }, []),
        ("a guest another tenant booked", with { $0.otherTenantsForGuest = 1 }, ["repeated_guest"]),
        ("last minute, high value", with { $0.hoursToCheckIn = 20; $0.amount = Amount("5000")!; $0.tenantAverage = Amount("2000")! }, ["last_minute_high_value"]),
        ("last minute, low value", with { $0.hoursToCheckIn = 20 }, []),
        ("high value, not last minute", with { $0.hoursToCheckIn = 25; $0.amount = Amount("6000")!; $0.tenantAverage = Amount("2500")! }, []),
        ("a tenant 6 days old", with { $0.tenantAgeDays = 6 }, ["new_tenant"]),
        ("a tenant 7 days old", with { $0.tenantAgeDays = 7 }, []),
        ("91 % of credit in use", with { $0.creditUtilisation = 0.91 }, ["credit_utilisation"]),
        ("a blacklisted email", with { $0.blacklisted = ["email:x@example.com"] }, ["blacklisted"]),
        ("everything", with {
            $0.ordersRecently = 9; $0.amount = Amount("9000")!; $0.otherTenantsForGuest = 2; $0.hoursToCheckIn = 3; $0.tenantAgeDays = 1; $0.creditUtilisation = 0.95
        }, ["velocity", "above_average", "repeated_guest", "last_minute_high_value", "new_tenant", "credit_utilisation"]),
    ])
    func eachRuleFiresWhenItShould(_ name: String, _ signals: RiskSignals, _ expected: [String]) {
        let reasons = RiskScoring.reasons(signals, policy: RiskPolicy())
        #expect(reasons.map(\.code) == expected, "\(name): \(reasons)")
        #expect(reasons.allSatisfy { $0.points > 0 && !$0.detail.isEmpty })
    }

    @Test func theScoreIsThePointsCappedAt100() {
        let policy = RiskPolicy()
        #expect(RiskScoring.score(RiskScoring.reasons(Self.calm, policy: policy)) == 0)
        #expect(RiskScoring.score(RiskScoring.reasons(Self.with { $0.ordersRecently = 6; $0.tenantAgeDays = 2 }, policy: policy)) == 35)
        #expect(RiskScoring.score(RiskScoring.reasons(Self.with { $0.blacklisted = ["ip:10.0.0.1", "tenant:t-1"] }, policy: policy)) == 100)
    }

    @Test(arguments: [
        (79, false, false, RiskDecision.approve), (80, false, false, .review), (80, true, false, .reject), (79, true, false, .approve),
        (0, false, true, .reject), (100, false, false, .review),
    ])
    func decisions(_ score: Int, _ autoReject: Bool, _ blacklisted: Bool, _ expected: RiskDecision) {
        #expect(RiskScoring.decide(score: score, threshold: 80, autoReject: autoReject, blacklisted: blacklisted) == expected)
    }

    @Test func configOverridesOnlyWhatItSets() throws {
        let config = try JSONValue(encoding: ["velocity": ["max_in_minutes": 2], "new_tenant": ["points": 40]])
        let policy = try RiskPolicy.from(config)
        #expect(policy.velocity.maxInMinutes == 2 && policy.velocity.minutes == 10 && policy.velocity.points == 25)
        #expect(policy.newTenant == RiskPolicy.NewTenant(days: 7, points: 40) && policy.lastMinute == RiskPolicy.LastMinute())
        #expect(RiskScoring.reasons(Self.with { $0.ordersRecently = 3 }, policy: policy).map(\.code) == ["velocity"])
        #expect(try RiskPolicy.from(nil) == RiskPolicy())
    }
}
