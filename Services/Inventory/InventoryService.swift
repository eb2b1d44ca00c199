// inventory: its definition, dependencies and settings.

import Shared

/// The inventory settings, with their defaults (docs/configuration.md).
struct InventorySettings: Sendable {
    /// How often channel-manager updates queued while `supplier.realtime.sync` is off are applied.
    var syncIntervalMs: Int
    /// How often holds past their expiry are released.
    var holdSweepIntervalMs: Int
    /// How long this replica answers availability from what it read of a hotel and stay (0: never).
    var availabilityCacheMs: Int
    /// Keys the rate keys inventory signs.
    var offerTokenSecret: String

    init(_ env: EnvironmentVariables) throws {
        syncIntervalMs = try env.int("SYNC_INTERVAL_MS", default: 300000, range: 1000...86_400_000)
        holdSweepIntervalMs = try env.int("HOLD_SWEEP_INTERVAL_MS", default: 5000, range: 100...3_600_000)
        availabilityCacheMs = try env.int("AVAILABILITY_CACHE_MS", default: 1000, range: 0...60_000)
        offerTokenSecret = try env.secret("OFFER_TOKEN_SECRET", minimumBytes: 32)
    }
}

enum InventoryService {
    static let definition = ServiceDefinition(
        name: "inventory", dependencies: [.postgres, .redis, .rabbitmq], schemas: [.service("inventory", migrations: InventoryMigrations.all)]
    ) { setup in
        try configure(&setup, settings: try InventorySettings(setup.environment))
    }

    static func configure(_ setup: inout ServiceSetup, settings: InventorySettings) throws {
        guard let pool = setup.clients.postgres else { return }
        let contracts = ContractRepository(pool: pool)
        setup.relayOutbox(schema: "inventory")
        let calendar = CalendarRepository(pool: pool)
        let availability = AvailabilityRepository(pool: pool)
        let catalog = ContractCatalog(repository: contracts)
        let signer = RateKeySigner(secret: settings.offerTokenSecret)
        let sellable = SellableCache(availability: availability, freshness: .milliseconds(settings.availabilityCacheMs))
        let desk = HoldDesk(catalog: catalog, holds: HoldRepository(pool: pool), availability: availability, signer: signer, sellable: sellable)
        let supply = DirectSupply(catalog: catalog, availability: availability, sellable: sellable, signer: signer)
        SalesController(catalog: catalog, supply: supply, desk: desk).add(to: setup.router)
        ContractController(contracts: contracts, calendar: calendar, catalog: catalog, desk: desk).add(to: setup.router)
        let messages = ChannelRepository(pool: pool)
        let channels = ChannelDesk(catalog: catalog, calendar: calendar, messages: messages, sellable: sellable, config: setup.clients.config, logger: setup.logger)
        ChannelController(desk: channels, messages: messages).add(to: setup.router)
        setup.services += [
            // Holds past their expiry give their rooms back (replicas may sweep at once: the CAS on each hold lets only one expire it).
            PeriodicJob(failure: "expired holds not swept", every: .milliseconds(settings.holdSweepIntervalMs), logger: setup.logger) {
                while try await desk.sweep() == 100 {}
            },
            ChannelSync(desk: channels, interval: .milliseconds(settings.syncIntervalMs), logger: setup.logger),
        ]
    }
}
