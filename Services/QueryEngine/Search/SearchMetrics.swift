// The search series the business dashboard reads: `searches_total{answered}` (memo: the same
// question answered again from memory; suppliers: they were asked) and
// `search_supplier_answers_total{supplier, outcome}` (ok, cached, stale, timeout, error), whose
// (cached + stale) share is the supplier cache's hit ratio.

import Prometheus

final class SearchMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let fromMemo: Counter
    private let fromSuppliers: Counter

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        fromMemo = registry.makeCounter(name: "searches_total", labels: [("answered", "memo")])
        fromSuppliers = registry.makeCounter(name: "searches_total", labels: [("answered", "suppliers")])
    }

    func searched(fromMemo memo: Bool) {
        (memo ? fromMemo : fromSuppliers).increment()
    }

    func answered(by supplier: String, _ outcome: SupplierOutcome) {
        registry.makeCounter(name: "search_supplier_answers_total", labels: [("supplier", supplier), ("outcome", outcome.rawValue)]).increment()
    }
}
