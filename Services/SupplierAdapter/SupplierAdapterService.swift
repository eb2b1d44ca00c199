// supplier-adapter: its definition, settings and object graph.

import FoundationEssentials
import Shared

/// The supplier-adapter settings, with their defaults (docs/configuration.md).
struct SupplierAdapterSettings: Sendable {
    var encryptionSecret: String
    /// Connections per supplier unless its registration says otherwise.
    var adapterPoolSize: Int
    var retry: RetryPolicy
    var breaker: BreakerPolicy
    /// The supplier simulator (dev and test only): operators may set its fault plans through the API.
    var simulatorURL: String?

    init(_ env: EnvironmentVariables) throws {
        encryptionSecret = try env.secret("ENCRYPTION_SECRET", minimumBytes: 32)
        adapterPoolSize = try env.int("ADAPTER_POOL_SIZE", default: 10, range: 1...1000)
        retry = RetryPolicy(
            maxAttempts: try env.int("RETRY_MAX_ATTEMPTS", default: 3, range: 1...10),
            baseDelay: .milliseconds(try env.int("RETRY_BACKOFF_MS", default: 1000, range: 0...60_000)))
        breaker = BreakerPolicy(
            consecutiveFailures: try env.int("BREAKER_FAILURES", default: 5, range: 1...1000),
            openFor: .milliseconds(try env.int("BREAKER_OPEN_MS", default: 10_000, range: 1...3_600_000)))
        if env.optional("SUPPLIER_SIMULATOR_URL") != nil {
            simulatorURL = try env.serviceURL("SUPPLIER_SIMULATOR_URL", defaultPort: 8090, example: "http://supplier-sim:8090")
        }
    }
}

enum SupplierAdapterService {
    static let definition = ServiceDefinition(
        name: "supplier-adapter", dependencies: [.postgres, .redis, .rabbitmq], schemas: [.service("supplier", migrations: SupplierMigrations.all)]
    ) { setup in
        try configure(&setup, settings: try SupplierAdapterSettings(setup.environment))
    }

    static func configure(_ setup: inout ServiceSetup, settings: SupplierAdapterSettings) throws {
        guard let pool = setup.clients.postgres else { return }
        let repository = SupplierRepository(pool: pool, secrets: SecretBox(secret: settings.encryptionSecret))
        let transport = SupplierTransport(maxConnectionsPerHost: settings.adapterPoolSize)
        let lanes = SupplierLanes(repository: repository, transport: transport, breaker: settings.breaker, logger: setup.logger)
        let recorder = CallRecorder(pool: pool, registry: setup.metrics.registry, logger: setup.logger)
        let calls = SupplierCalls(lanes: lanes, retry: settings.retry, recorder: recorder, registry: setup.metrics.registry, logger: setup.logger)
        SupplierAPIController(calls: calls, lanes: lanes).add(to: setup.router)
        SupplierAdminController(repository: repository, lanes: lanes, defaultPoolSize: settings.adapterPoolSize).add(to: setup.router)
        SimulatorFaultsController(simulatorURL: settings.simulatorURL, repository: repository, http: transport.client).add(to: setup.router)
        setup.services += [transport, lanes, recorder]
        setup.relayOutbox(schema: "supplier")
        setup.consume(SupplierPushes.handling(lanes: lanes, logger: setup.logger))
    }
}
