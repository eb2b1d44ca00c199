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
}

final class SupplierLanes: Service, Sendable {
    /// The lanes, and which reload built them.
    private let lanes = NIOLockedValueBox<(byCode: [String: SupplierLane], generation: Int)>(([:], 0))
    /// Reloads started so far: each reads the registry once, and only the latest to start may apply.
    private let started = NIOLockedValueBox(0)
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

    func lane(_ code: String) -> SupplierLane? { lanes.withLockedValue { $0.byCode[code] } }
    var all: [SupplierLane] { lanes.withLockedValue { Array($0.byCode.values) }.sorted { $0.config.code < $1.config.code } }

    /// Reads the registry again; unchanged suppliers keep their lane (and breaker). Reloads may
    /// overlap (the periodic one, and one after each change through the API): one that finishes
    /// after a later-started one is dropped, so a registry read before a change never replaces one
    /// read after it.
    func reload() async throws {
        let generation = started.withLockedValue { started in
            started += 1
            return started
        }
        let configs = try await repository.all()
        lanes.withLockedValue { lanes in
            guard generation > lanes.generation else { return }
            var next: [String: SupplierLane] = [:]
            for config in configs {
                if let lane = lanes.byCode[config.code], lane.config == config {
                    next[config.code] = lane
                } else {
                    next[config.code] = SupplierLane(config: config, client: config.client(transport: transport, clock: clock), breaker: breaker)
                }
            }
            lanes = (next, generation)
        }
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { try await reload() } catch { logger.warning("supplier registry not reloaded", metadata: ["error": .string("\(error)")]) }
            await Task.pause(for: .seconds(10))
        }
    }
}
