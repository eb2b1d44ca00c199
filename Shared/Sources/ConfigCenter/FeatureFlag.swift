// A feature flag and the rule that turns it on for a tenant: enabled, and the tenant whitelisted or
// inside the rollout bucket murmur3(tenant + name) % 100 < rollout_pct.

public struct FeatureFlag: Sendable, Equatable, Codable {
    public let name: String
    public let enabled: Bool
    public let rolloutPct: Int
    public let whitelist: [String]

    enum CodingKeys: String, CodingKey { case name, enabled, rolloutPct = "rollout_pct", whitelist }

    public init(name: String, enabled: Bool, rolloutPct: Int = 100, whitelist: [String] = []) {
        self.name = name
        self.enabled = enabled
        self.rolloutPct = rolloutPct
        self.whitelist = whitelist
    }

    public func isOn(for tenant: String) -> Bool {
        guard enabled else { return false }
        if whitelist.contains(tenant) { return true }
        return Int(Murmur3.hash32(Array((tenant + name).utf8)) % 100) < rolloutPct
    }

    /// The flags of seed 003, all off until an operator turns them on.
    public static let known = ["supplier.realtime.sync", "risk.auto.reject", "matching.ai.boost", "settlement.auto.reconcile", "admin.v2"]
}
