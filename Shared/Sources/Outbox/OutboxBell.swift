// Wakes this process's outbox relays when a write of this process has committed rows in their
// schema's outbox. It replaces a NOTIFY at every commit: PostgreSQL serializes the commits of all
// notifying transactions of the cluster behind one lock and signals every listening backend of the
// database at each, which took two thirds of the credit ledger's throughput (docs/data-kit.md). A
// relay still polls as the fallback, for rows another replica wrote and a crash left unannounced.

import NIOConcurrencyHelpers

public enum OutboxBell {
    private static let relays = NIOLockedValueBox<[String: [ObjectIdentifier: WakeSignal]]>([:])

    /// Rows committed in `schema`'s outbox: its relays in this process look now.
    public static func ring(_ schema: String) {
        for signal in relays.withLockedValue({ $0[schema].map { Array($0.values) } ?? [] }) { signal.signal() }
    }

    static func listen(_ signal: WakeSignal, to schema: String) {
        relays.withLockedValue { $0[schema, default: [:]][ObjectIdentifier(signal)] = signal }
    }

    static func stopListening(_ signal: WakeSignal, to schema: String) {
        relays.withLockedValue { $0[schema]?[ObjectIdentifier(signal)] = nil }
    }
}
