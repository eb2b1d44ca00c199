// bi: its definition, dependencies and settings.

import Shared

/// The bi settings, with their defaults (docs/configuration.md).
struct BISettings: Sendable {
    /// Events written to ClickHouse in one INSERT at most (a batch also closes after a second).
    var batchSize: Int

    init(_ env: EnvironmentVariables) throws {
        batchSize = try env.int("BI_BATCH_SIZE", default: 5000, range: 1...100_000)
    }
}

enum BIService {
    static let definition = ServiceDefinition(name: "bi", dependencies: [.clickhouse, .rabbitmq]) { setup in
        let settings = try BISettings(setup.environment)
        guard let endpoint = setup.clients.clickhouse else { return }
        let store = ClickHouse(endpoint: endpoint, http: HTTP1Client(connectTimeout: .seconds(2)))
        ReportController(store: store).add(to: setup.router)
        guard let amqp = setup.clients.amqp else { return }
        let ingest = EventIngest(store: store, registry: setup.metrics.registry, logger: setup.logger)
        // The table is made at start (reports answer before the first event), and again before an insert if it could not be.
        setup.services.append(PeriodicJob(failure: "ClickHouse tables not created yet", every: .seconds(5), logger: setup.logger) {
            try await ingest.ensureSchema()
        })
        setup.services.append(EventConsumer(settings: amqp, spec: EventIngest.spec(batchSize: settings.batchSize), logger: setup.logger) { batch in
            try await ingest.handle(batch)
        })
    }
}
