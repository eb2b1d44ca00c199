// The suites that share the supply chain's tables (matching's catalog, pricing's rules, the
// suppliers registered in supplier-adapter) and reset them: run one at a time, never beside each other.

import Testing

@Suite(.serialized) enum SupplyChainTests {}
