// Keeps the in-memory catalog (CatalogSnapshot) current: rebuilt at start, after this replica's
// mapping runs and review decisions, and when another replica changed it (a fingerprint of the
// tables, checked every 10 s: an unchanged catalog is not read again).

import FoundationEssentials
import Logging
import NIOConcurrencyHelpers
import NIOPosix
import ServiceLifecycle
import Shared

final class CatalogCache: Service, Sendable {
    private let current = NIOLockedValueBox((snapshot: CatalogSnapshot(), fingerprint: ""))
    private let catalog: CatalogRepository
    private let logger: Logger
    private let interval: Duration

    init(catalog: CatalogRepository, logger: Logger, interval: Duration = .seconds(10)) {
        self.catalog = catalog
        self.logger = logger
        self.interval = interval
    }

    var snapshot: CatalogSnapshot { current.withLockedValue { $0.snapshot } }

    func reload() async throws {
        let fingerprint = try await catalog.fingerprint()
        guard fingerprint != current.withLockedValue({ $0.fingerprint }) else { return }
        let (hotels, mappings) = (try await catalog.allHotels(), try await catalog.allMappings())
        let snapshot = try await NIOThreadPool.singleton.runIfActive { CatalogSnapshot(hotels: hotels, mappings: mappings) }
        current.withLockedValue { $0 = (snapshot, fingerprint) }
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { try await reload() } catch { logger.warning("catalog not reloaded", metadata: ["error": .string("\(error)")]) }
            await Task.pause(for: interval)
        }
    }
}
