// matching reads exchange rates from a live pricing service, keeps them for their time to live, and
// keeps serving the last rates read when pricing stops answering.

import Foundation
import Logging
@testable import Matching
@testable import Pricing
@testable import Shared
import Testing
import TestSupport

@Suite(.serialized) struct ExchangeRateSourceTests {
    /// pricing's base currency here (other suites' rates are against other bases).
    static let base = "SGD"

    @Test func ratesComeFromPricingAreKeptAndOutlivePricing() async throws {
        let server = LocalServer()
        let env = EnvironmentVariables(ServiceEnvironment.all.merging(["PORT": String(server.port), "HOST": "127.0.0.1", "DEFAULT_CURRENCY": Self.base]) { $1 })
        #expect(await MigrateCommand.run(PricingService.definition, environment: env, arguments: ["migrate", "up"]) == 0)
        let pool = PostgresPool(settings: try PostgresSettings(env, applicationName: "test"), logger: .init(label: "test"))
        _ = try await pool.execute("DELETE FROM pricing.exchange_rates WHERE base = $1", [Self.base])
        let rates = ExchangeRateRepository(pool: pool, base: Self.base)
        _ = try await rates.set("EUR", to: Amount("1.45")!, by: "test")
        try await server.start(try ServiceRunner.assemble(PricingService.definition, environment: env, logSink: .capturing()).application)

        func source(ttl: Duration, url: String = server.base) -> ExchangeRateSource {
            ExchangeRateSource(pricing: PricingClient(baseURL: url, http: HTTP1Client()), ttl: ttl, retryAfter: .zero, logger: Logger(label: "test"))
        }
        // (A read can miss pricing's 2 s under the whole suite's load: asked again until it answers,
        // for up to 45 s: the suite's first minute keeps both cores busy.)
        let kept = source(ttl: .seconds(3600)), everyTime = source(ttl: .zero)
        #expect(try await eventually(within: .seconds(45)) { await kept.current() == ExchangeRates(base: Self.base, rates: ["EUR": Amount("1.45")!]) })
        #expect(try await eventually(within: .seconds(45)) { await everyTime.current()?.rates == ["EUR": Amount("1.45")!] })
        _ = try await rates.set("EUR", to: Amount("1.5")!, by: "test")
        #expect(await kept.current()?.rates == ["EUR": Amount("1.45")!], "kept for EXCHANGE_RATE_CACHE_TTL")
        #expect(try await eventually(within: .seconds(45)) { await everyTime.current()?.rates == ["EUR": Amount("1.5")!] })

        await server.stop()
        #expect(await everyTime.current()?.rates == ["EUR": Amount("1.5")!], "pricing gone: the last rates read keep serving")
        #expect(await source(ttl: .zero, url: "http://127.0.0.1:\(freePort())").current() == nil, "never answered: no rates")
        try await pool.shutdown()
    }
}
