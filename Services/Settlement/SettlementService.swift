// settlement: its definition, dependencies and settings.

import Shared

/// The settlement settings, with their defaults (docs/configuration.md).
struct SettlementSettings: Sendable {
    var settleCycleDays: Int
    var supplierAdapterURL: String
    /// How often the cycle closer looks for a cycle that has ended.
    var cycleCheckIntervalMs: Int

    init(_ env: EnvironmentVariables) throws {
        settleCycleDays = try env.int("SETTLE_CYCLE_DAYS", default: 7, range: 1...366)
        supplierAdapterURL = try env.baseURL(of: .supplierAdapter)
        cycleCheckIntervalMs = try env.int("SETTLE_CHECK_INTERVAL_MS", default: 60_000, range: 100...86_400_000)
    }
}

enum SettlementService {
    static let definition = ServiceDefinition(
        name: "settlement", dependencies: [.postgres, .rabbitmq], schemas: [.service("settlement", migrations: SettlementMigrations.all)]
    ) { setup in
        let settings = try SettlementSettings(setup.environment)
        guard let pool = setup.clients.postgres else { return }
        setup.relayOutbox(schema: "settlement")
        let statements = StatementRepository(pool: pool)
        let reconciliations = ReconciliationRepository(pool: pool)
        let reconciliation = ReconciliationDesk(
            bookings: SupplierBookingRepository(pool: pool), reconciliations: reconciliations,
            adapter: SupplierAdapterClient(baseURL: settings.supplierAdapterURL, http: HTTP1Client(connectTimeout: .seconds(2))))
        let cycles = CycleDesk(
            statements: statements, reconciliation: reconciliation, schedule: CycleSchedule(days: settings.settleCycleDays), config: setup.clients.config,
            logger: setup.logger)
        LedgerController(ledger: LedgerRepository(pool: pool)).add(to: setup.router)
        StatementController(statements: statements, cycles: cycles).add(to: setup.router)
        ReconciliationController(desk: reconciliation, repository: reconciliations).add(to: setup.router)
        setup.consume(orders)
        // Each cycle closed once it ends (replicas may look at once: closing takes an advisory lock).
        setup.services.append(PeriodicJob(failure: "settlement cycle not closed", every: .milliseconds(settings.cycleCheckIntervalMs), logger: setup.logger) {
            try await cycles.closeDue()
        })
    }

    /// Captured and cancelled orders become ledger entries and the bookings suppliers should bill, once each.
    static let orders = EventHandling<OrderEventData>(
        queue: "settlement.orders", events: [OrderEventType.paymentCaptured, OrderEventType.cancelled], schema: "settlement"
    ) { events, transaction in
        try LedgerRepository.record(events, on: transaction.connection)
        try SupplierBookingRepository.record(events, on: transaction.connection)
    }
}
