// settlement: its definition, dependencies and settings.

import Shared

/// The settlement settings, with their defaults (docs/configuration.md).
struct SettlementSettings: Sendable {
    var settleCycleDays: Int

    init(_ env: EnvironmentVariables) throws {
        settleCycleDays = try env.int("SETTLE_CYCLE_DAYS", default: 7, range: 1...366)
    }
}

enum SettlementService {
    static let definition = ServiceDefinition(
        name: "settlement", dependencies: [.postgres, .rabbitmq], schemas: [.service("settlement", migrations: SettlementMigrations.all)]
    ) { setup in
        _ = try SettlementSettings(setup.environment)
        guard let pool = setup.clients.postgres else { return }
        LedgerController(ledger: LedgerRepository(pool: pool)).add(to: setup.router)
        setup.consume(orders)
    }

    /// Captured and cancelled orders become ledger entries, once each.
    static let orders = EventHandling<OrderEventData>(
        queue: "settlement.orders", events: [OrderEventType.paymentCaptured, OrderEventType.cancelled], schema: "settlement"
    ) { events, transaction in
        try LedgerRepository.record(events, on: transaction.connection)
    }
}
