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
    /// The snapshot, the fingerprint it was read at, and which reload last confirmed it.
    private let current = NIOLockedValueBox((snapshot: CatalogSnapshot(), fingerprint: "", generation: 0))
    /// Reloads started so far: only the latest to start may apply (see `reload`).
    private let started = NIOLockedValueBox(0)
    private let catalog: CatalogRepository
    private let logger: Logger
    private let interval: Duration

    init(catalog: CatalogRepository, logger: Logger, interval: Duration = .seconds(10)) {
        self.catalog = catalog
        self.logger = logger
        self.interval = interval
    }

    var snapshot: CatalogSnapshot { current.withLockedValue { $0.snapshot } }

    /// Reloads may overlap (the periodic one, and one after each decision or mapping run): one that
    /// finishes after a later-started one is dropped, so a catalog read before a change never
    /// replaces one read after it.
    func reload() async throws {
        let generation = started.withLockedValue { started in
            started += 1
            return started
        }
        let fingerprint = try await catalog.fingerprint()
        let unchanged = current.withLockedValue { current in
            guard fingerprint == current.fingerprint else { return false }
            current.generation = max(current.generation, generation)
            return true
        }
        guard !unchanged else { return }
        let (hotels, mappings) = (try await catalog.allHotels(), try await catalog.allMappings())
        let snapshot = try await NIOThreadPool.singleton.runIfActive { CatalogSnapshot(hotels: hotels, mappings: mappings) }
        current.withLockedValue { current in
            if generation > current.generation { current = (snapshot, fingerprint, generation) }
        }
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { try await reload() } catch { logger.warning("catalog not reloaded", metadata: ["error": .string("\(error)")]) }
            await Task.pause(for: interval)
        }
    }
}
