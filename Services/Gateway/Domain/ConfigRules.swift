// What an operator may write into the config center: well-formed names, and for the keys the
// platform reads, values of the shape their readers expect (a bad value is refused here rather than
// ignored by every service later).

import Shared

enum ConfigRules {
    /// Lower-case dotted names: `gateway.rate_limits`, `risk.auto.reject`.
    static func isValidName(_ name: String, maxLength: Int) -> Bool {
        guard (1...maxLength).contains(name.utf8.count), let first = name.utf8.first, first != UInt8(ascii: "."), first != UInt8(ascii: "-") else { return false }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    static func isValidEnvironment(_ env: String) -> Bool {
        (1...20).contains(env.utf8.count) && env.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || $0 == UInt8(ascii: "-") }
    }

    /// Why `value` cannot be stored under `key`, or nil when it can.
    static func violation(key: String, value: JSONValue) -> String? {
        if case .null = value { return "value must not be null; delete the key instead" }
        return known[key]?(value)
    }

    /// The keys services read, with their check.
    static let known: [String: @Sendable (JSONValue) -> String?] = [
        "gateway.rate_limits": rateLimits,
        "matching.algorithm.weights": rankingWeights,
        "pricing.min_margin": minMargin,
    ]

    /// {"percent": "3"}: a decimal string from 0 to 100, the share of the net every price keeps.
    static func minMargin(_ value: JSONValue) -> String? {
        let expected = "pricing.min_margin must be {\"percent\": \"<0 to 100, a decimal string>\"}"
        guard case .object(let fields) = value, fields.count == 1, case .string(let text)? = fields["percent"], let percent = Amount(text),
            percent >= .zero, percent <= Amount(100)
        else { return expected }
        return nil
    }

    /// {"<tenant id>": {"max": 1...1000000, "window_ms": 1...86400000}, ...}
    static func rateLimits(_ value: JSONValue) -> String? {
        guard case .object(let tenants) = value else { return "gateway.rate_limits must be an object keyed by tenant id" }
        for (tenant, entry) in tenants.sorted(by: { $0.key < $1.key }) {
            guard case .object(let fields) = entry, case .integer(let max)? = fields["max"], case .integer(let window)? = fields["window_ms"],
                (1...1_000_000).contains(max), (1...86_400_000).contains(window)
            else { return "gateway.rate_limits.\(tenant) must be {\"max\": 1..1000000, \"window_ms\": 1..86400000}" }
        }
        return nil
    }

    static let rankingWeightNames = ["price_weight", "rating_weight", "availability_weight", "supplier_reliability_weight"]

    /// The four supplier-ranking weights, each 0...1, summing to 1.
    static func rankingWeights(_ value: JSONValue) -> String? {
        let expected = "matching.algorithm.weights must have \(rankingWeightNames.joined(separator: ", ")) between 0 and 1 summing to 1"
        guard case .object(let fields) = value, Set(fields.keys) == Set(rankingWeightNames) else { return expected }
        var sum = 0.0
        for name in rankingWeightNames {
            let weight: Double
            switch fields[name] {
            case .integer(let number)?: weight = Double(number)
            case .number(let number)?: weight = number
            default: return expected
            }
            guard (0...1).contains(weight) else { return expected }
            sum += weight
        }
        return abs(sum - 1) < 0.000_001 ? nil : expected + " (they sum to \(sum))"
    }

    /// Why a flag cannot be stored, or nil when it can.
    static func violation(flag: FeatureFlag) -> String? {
        guard isValidName(flag.name, maxLength: 100) else { return "flag names are 1 to 100 characters of a-z, 0-9, '.', '_' and '-'" }
        guard (0...100).contains(flag.rolloutPct) else { return "rollout_pct must be between 0 and 100" }
        guard flag.whitelist.count <= 10_000, flag.whitelist.allSatisfy({ (1...100).contains($0.utf8.count) }) else {
            return "whitelist holds at most 10000 tenant ids of 1 to 100 characters"
        }
        return nil
    }
}
