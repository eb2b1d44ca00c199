// supplier-adapter: its definition, dependencies and settings.

import Shared

/// The supplier-adapter settings from seed 003, with its defaults.
struct SupplierAdapterSettings: Sendable {
    var encryptionSecret: String
    var adapterPoolSize: Int
    var retryMaxAttempts: Int
    var retryBackoffMs: Int

    init(_ env: EnvironmentVariables) throws {
        encryptionSecret = try env.secret("ENCRYPTION_SECRET", minimumBytes: 32)
        adapterPoolSize = try env.int("ADAPTER_POOL_SIZE", default: 10, range: 1...1000)
        retryMaxAttempts = try env.int("RETRY_MAX_ATTEMPTS", default: 3, range: 1...10)
        retryBackoffMs = try env.int("RETRY_BACKOFF_MS", default: 1000, range: 0...60_000)
    }
}

enum SupplierAdapterService {
    static let definition = ServiceDefinition(name: "supplier-adapter", dependencies: [.postgres, .redis, .rabbitmq], schemas: [.service("supplier")]) { setup in
        _ = try SupplierAdapterSettings(setup.environment)
    }
}
