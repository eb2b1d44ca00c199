// query-engine: its definition, dependencies and settings.

import Shared

/// The query-engine settings, with their defaults (docs/configuration.md).
struct QueryEngineSettings: Sendable {
    var concurrencyLimit: Int
    var queryTimeoutMs: Int

    init(_ env: EnvironmentVariables) throws {
        concurrencyLimit = try env.int("CONCURRENCY_LIMIT", default: 20, range: 1...1000)
        queryTimeoutMs = try env.int("QUERY_TIMEOUT_MS", default: 10000, range: 100...120_000)
    }
}

enum QueryEngineService {
    static let definition = ServiceDefinition(name: "query-engine", dependencies: [.redis]) { setup in
        _ = try QueryEngineSettings(setup.environment)
    }
}
