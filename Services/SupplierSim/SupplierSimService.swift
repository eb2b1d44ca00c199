// supplier-sim: its definition, settings and object graph.

import FoundationEssentials
import Shared

/// The simulator's settings.
struct SupplierSimSettings: Sendable {
    /// Seeds the world: the same seed gives the same hotels, spellings and prices everywhere.
    var seed: String
    var hotelsPerCity: Int
    /// Every simulated supplier's credentials derive from it (SimulatorCredentials).
    var secret: String
    /// Where the channel manager pushes by itself (the gateway's `/api/v1/webhooks/channels/simcm`), and how often.
    var channelURL: String?
    var channelIntervalMs: Int

    init(_ env: EnvironmentVariables) throws {
        seed = env.string("SIM_SEED", default: "hotel-platform")
        hotelsPerCity = try env.int("SIM_HOTELS_PER_CITY", default: 110, range: 1...2000)
        secret = env.string("SIM_SECRET", default: "supplier-sim-demo-secret")
        channelURL = env.optional("SIM_CHANNEL_URL")
        channelIntervalMs = try env.int("SIM_CHANNEL_INTERVAL_MS", default: 60000, range: 1000...86_400_000)
    }
}

enum SupplierSimService {
    static let definition = ServiceDefinition(name: "supplier-sim", dependencies: [], acceptsGatewayIdentity: false) { setup in
        let settings = try SupplierSimSettings(setup.environment)
        let market = SimulatedMarket(world: .generate(seed: settings.seed, hotelsPerCity: settings.hotelsPerCity))
        let ledger = BookingLedger()
        let desks = Dictionary(uniqueKeysWithValues: SimulatedSupplier.all.map {
            ($0.code, SupplierDesk(supplier: $0, catalog: market.catalogs[$0.code]!, ledger: ledger))
        })
        let credentials = SimulatorCredentials(secretBase: settings.secret)
        let board = FaultBoard()
        let clock: @Sendable () -> Date = { Date() }
        AdminController(market: market, desks: desks, credentials: credentials, faults: board).add(to: setup.router)
        BedBankController(desks: desks.filter { $0.value.supplier.protocolKind == .bedBankJSON }, credentials: credentials,
                          faults: FaultInjector(board: board), clock: clock).add(to: setup.router)
        OpenTravelController(desks: desks.filter { $0.value.supplier.protocolKind == .openTravelXML }, credentials: credentials,
                             faults: FaultInjector(board: board), clock: clock).add(to: setup.router)
        let pusher = ChannelPusher(
            channel: SimulatedChannel(market: market), secret: credentials.secret(SimulatedChannel.code), url: settings.channelURL,
            interval: .milliseconds(settings.channelIntervalMs), logger: setup.logger)
        ChannelManagerController(pusher: pusher).add(to: setup.router)
        setup.services.append(pusher)
        setup.logger.info("simulating suppliers", metadata: [
            "hotels": .string(String(market.world.hotels.count)),
            "records": .string(market.catalogs.values.map { "\($0.supplier.code)=\($0.entries.count)" }.sorted().joined(separator: ",")),
        ])
    }
}
