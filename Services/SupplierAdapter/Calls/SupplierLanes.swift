// The registered suppliers as the adapter calls them: per supplier its configuration, protocol
// client, connection limit and breaker. Rebuilt from the registry when it changes (here, or on
// another replica: reloaded every 10 s); a changed supplier gets a fresh lane.

import FoundationEssentials
import Logging
import NIOConcurrencyHelpers
import Prometheus
import ServiceLifecycle
import Shared

final class SupplierLane: Sendable {
    let config: SupplierConfig
    let client: any SupplierClient
    let limit: ConcurrencyLimit
    let breaker: NIOLockedValueBox<CircuitBreaker>

    init(config: SupplierConfig, client: any SupplierClient, breaker: BreakerPolicy) {
        self.config = config
        self.client = client
        self.limit = ConcurrencyLimit(limit: config.poolSize)
        self.breaker = NIOLockedValueBox(CircuitBreaker(policy: breaker))
    }

    /// closed, half_open or open (the breaker gauge's 0, 1 and 2).
    var breakerState: String { ["closed", "half_open", "open"][breaker.withLockedValue { $0.gaugeValue }] }
}

final class SupplierLanes: Service, Sendable {
    private let lanes = NewestReload<[String: SupplierLane]>([:])
    private let repository: SupplierRepository
    private let transport: SupplierTransport
    private let breaker: BreakerPolicy
    private let logger: Logger
    private let clock: @Sendable () -> Date

    init(repository: SupplierRepository, transport: SupplierTransport, breaker: BreakerPolicy, logger: Logger, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.repository = repository
        self.transport = transport
        self.breaker = breaker
        self.logger = logger
        self.clock = clock
    }

    func lane(_ code: String) -> SupplierLane? { lanes.value[code] }
    var all: [SupplierLane] { lanes.value.values.sorted { $0.config.code < $1.config.code } }

    /// Reads the registry again; unchanged suppliers keep their lane (and breaker). Overlapping
    /// reloads (the periodic one, one after each change through the API): the newest read wins.
    func reload() async throws {
        let ticket = lanes.begin()
        let configs = try await repository.all()
        lanes.publish(ticket) { current in
            var next: [String: SupplierLane] = [:]
            for config in configs {
                if let lane = current[config.code], lane.config == config {
                    next[config.code] = lane
                } else {
                    next[config.code] = SupplierLane(config: config, client: config.client(transport: transport, clock: clock), breaker: breaker)
                }
            }
            return next
        }
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { try await reload() } catch { logger.warning("supplier registry not reloaded", metadata: ["error": .string("\(error)")]) }
            await Task.pause(for: .seconds(10))
        }
    }
}
