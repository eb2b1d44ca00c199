// Where offers come from: supplier-adapter for the suppliers, inventory for the platform's direct
// contracts (supplier `direct`, its hotel codes matching's master hotel ids). Search and price check
// ask through here and need not know which is which.

import FoundationEssentials
import Logging
import NIOConcurrencyHelpers
import Shared

final class OfferSources: Sendable {
    let adapter: SupplierAdapterClient
    let inventory: InventoryClient
    let logger: Logger
    private let contracted = NIOLockedValueBox<(ids: Set<Int64>, at: ContinuousClock.Instant)?>(nil)

    init(adapter: SupplierAdapterClient, inventory: InventoryClient, logger: Logger) {
        self.adapter = adapter
        self.inventory = inventory
        self.logger = logger
    }

    func availability(of supplier: String, _ query: AvailabilityQuery, origin: CallOrigin, timeout: Duration) async throws -> AvailabilityResult {
        supplier == directSupplier
            ? try await inventory.availability(query, origin: origin, timeout: timeout)
            : try await adapter.availability(of: supplier, query, origin: origin, timeout: timeout)
    }

    func checkRate(of supplier: String, _ request: RateCheckRequest, origin: CallOrigin, timeout: Duration) async throws -> RateCheckResult {
        supplier == directSupplier
            ? try await inventory.checkRate(request, origin: origin, timeout: timeout)
            : try await adapter.checkRate(of: supplier, request, origin: origin, timeout: timeout)
    }

    /// The master hotels with a direct contract on sale, asked of inventory at most every 10 s. When
    /// inventory does not answer, the last answer (or none): a search never fails for it.
    func contractedHotels(origin: CallOrigin) async -> Set<Int64> {
        if let known = contracted.withLockedValue({ $0 }), ContinuousClock.now - known.at < .seconds(10) { return known.ids }
        do {
            let ids = Set(try await inventory.contractedHotels(origin: origin))
            contracted.withLockedValue { $0 = (ids, .now) }
            return ids
        } catch {
            logger.warning("direct contracts not known", metadata: ["error": .string("\(error)")])
            let known = contracted.withLockedValue { state in
                // Asked again in 10 s, not on every search meanwhile.
                state = (state?.ids ?? [], .now)
                return state!.ids
            }
            return known
        }
    }
}
