// Feature flag rules and the config client against the real config center tables.

import Foundation
@testable import Shared
import Testing
import TestSupport

@Suite struct FeatureFlagTests {
    @Test func murmur3MatchesReferenceVectors() {
        // Reference values from the mmh3 package (MurmurHash3 x86_32, seed 0).
        #expect(Murmur3.hash32(Array("".utf8)) == 0)
        #expect(Murmur3.hash32(Array("hello".utf8)) == 613_153_351)
        #expect(Murmur3.hash32(Array("Hello, world!".utf8)) == 3_224_780_355)
        #expect(Murmur3.hash32(Array("tenant-42risk.auto.reject".utf8)) == 659_957_096)
        #expect(Murmur3.hash32(Array("中文".utf8)) == 3_676_729_751)
    }

    @Test(arguments: [0, 5, 30, 50, 90, 100])
    func rolloutHoldsWithinTwoPointsOverTenThousandTenants(_ percent: Int) {
        let flag = FeatureFlag(name: "risk.auto.reject", enabled: true, rolloutPct: percent)
        let on = (0..<10_000).filter { flag.isOn(for: "tenant-\($0)") }.count
        #expect(abs(Double(on) / 100 - Double(percent)) <= 2, "\(on) of 10000 for \(percent)%")
    }

    @Test func whitelistWinsAndDisabledLoses() {
        let whitelisted = FeatureFlag(name: "admin.v2", enabled: true, rolloutPct: 0, whitelist: ["t-vip"])
        #expect(whitelisted.isOn(for: "t-vip"))
        #expect(!whitelisted.isOn(for: "t-other"))
        let disabled = FeatureFlag(name: "admin.v2", enabled: false, rolloutPct: 100, whitelist: ["t-vip"])
        #expect(!disabled.isOn(for: "t-vip"))
        #expect(!disabled.isOn(for: "t-other"))
    }

    @Test func bucketIsStablePerTenantAndFlag() {
        let flag = FeatureFlag(name: "matching.ai.boost", enabled: true, rolloutPct: 50)
        for n in 0..<100 { #expect(flag.isOn(for: "t-\(n)") == flag.isOn(for: "t-\(n)")) }
    }
}

@Suite struct ConfigClientTests {
    @Test func loadsAtStartAndAppliesChangesAnnouncedByNotify() async throws {
        try await withPool(try TestInfrastructure.postgresSettings(poolSize: 3)) { pool in
            try await Migrator(pool: pool, schema: PlatformMigrations.schema, migrations: PlatformMigrations.all).up()
            let key = "test.\(UUID().uuidString)", flagName = "test.flag.\(UUID().uuidString)"
            try await pool.execute("INSERT INTO platform.platform_config (key, value) VALUES ($1, $2::jsonb)", [key, #"{"limit": 5}"#])
            try await pool.execute("INSERT INTO platform.feature_flags (name, enabled, whitelist) VALUES ($1, false, $2)", [flagName, PostgresArray(["t-1"])])
            // A long poll interval: only NOTIFY can deliver the change in time.
            let client = ConfigClient(pool: pool, pollInterval: .seconds(600), logger: TestInfrastructure.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.run() }
                #expect(try await eventually { client.value(key) == .object(["limit": .integer(5)]) })
                struct Limit: Decodable { let limit: Int }
                #expect(client.value(key, as: Limit.self, default: Limit(limit: 0)).limit == 5)
                #expect(client.value("missing.key", default: 7) == 7)
                #expect(!client.isEnabled(flagName, tenant: "t-1"))
                let weights = client.value("matching.algorithm.weights", as: [String: Double].self, default: [:])
                #expect(weights["price_weight"] == 0.4, "seeded by the migration")

                try await pool.execute("UPDATE platform.feature_flags SET enabled = true WHERE name = $1", [flagName])
                try await pool.execute("UPDATE platform.platform_config SET value = $2::jsonb WHERE key = $1", [key, #"{"limit": 9}"#])
                #expect(try await eventually(within: .seconds(3)) { client.isEnabled(flagName, tenant: "t-1") })
                #expect(try await eventually(within: .seconds(3)) { client.value(key, as: Limit.self, default: Limit(limit: 0)).limit == 9 })
                #expect(!client.isEnabled("no.such.flag", tenant: "t-1"))
                group.cancelAll()
            }
            try await pool.execute("DELETE FROM platform.platform_config WHERE key = $1", [key])
            try await pool.execute("DELETE FROM platform.feature_flags WHERE name = $1", [flagName])
        }
    }
}
