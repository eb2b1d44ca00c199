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
    /// The snapshot and the fingerprint of the tables it was read at.
    private let current = NewestReload((snapshot: CatalogSnapshot(), fingerprint: ""))
    private let catalog: CatalogRepository
    private let logger: Logger
    private let interval: Duration

    init(catalog: CatalogRepository, logger: Logger, interval: Duration = .seconds(10)) {
        self.catalog = catalog
        self.logger = logger
        self.interval = interval
    }

    var snapshot: CatalogSnapshot { current.value.snapshot }

    /// Overlapping reloads (the periodic one, one after each decision or mapping run): the newest
    /// read wins.
    func reload() async throws {
        let ticket = current.begin()
        let fingerprint = try await catalog.fingerprint()
        guard fingerprint != current.value.fingerprint else { return current.confirm(ticket) }
        let hotels = try await catalog.allHotels()
        let snapshot = try await NIOThreadPool.singleton.runIfActive { CatalogSnapshot(hotels: hotels) }
        current.publish(ticket) { _ in (snapshot, fingerprint) }
        // The previous catalog and the rows it was read from are freed: give the memory back now,
        // not at the next scavenge.
        _ = try? await NIOThreadPool.singleton.runIfActive { ProcessMemory.returnFreePages() }
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { try await reload() } catch { logger.warning("catalog not reloaded", metadata: ["error": .string("\(error)")]) }
            await Task.pause(for: interval)
        }
    }
}
