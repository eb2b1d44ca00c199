// The search series the business dashboard reads: `searches_total{answered}` (memo: the same
// question answered again from memory; suppliers: they were asked) and
// `search_supplier_answers_total{supplier, outcome}` (ok, cached, stale, timeout, error), whose
// (cached + stale) share is the supplier cache's hit ratio; and
// `search_cache_renewals_skipped_total`: stale answers served without a renewal, for want of room.

import NIOConcurrencyHelpers
import Prometheus

final class SearchMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let fromMemo: Counter
    private let fromSuppliers: Counter
    private let renewalsSkipped: Counter
    /// Each (supplier, outcome)'s counter, made once: every search asks every supplier, and making
    /// one builds and hashes its labels under the registry's lock.
    private let answers = NIOLockedValueBox([Answer: Counter]())

    private struct Answer: Hashable {
        let supplier: String
        let outcome: SupplierOutcome
    }

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        fromMemo = registry.makeCounter(name: "searches_total", labels: [("answered", "memo")])
        fromSuppliers = registry.makeCounter(name: "searches_total", labels: [("answered", "suppliers")])
        renewalsSkipped = registry.makeCounter(name: "search_cache_renewals_skipped_total")
    }

    func renewalSkipped() {
        renewalsSkipped.increment()
    }

    func searched(fromMemo memo: Bool) {
        (memo ? fromMemo : fromSuppliers).increment()
    }

    func answered(by supplier: String, _ outcome: SupplierOutcome) {
        let key = Answer(supplier: supplier, outcome: outcome)
        answers.withLockedValue { counters in
            if let counter = counters[key] { return counter }
            let made = registry.makeCounter(name: "search_supplier_answers_total", labels: [("supplier", supplier), ("outcome", outcome.rawValue)])
            counters[key] = made
            return made
        }.increment()
    }
}
