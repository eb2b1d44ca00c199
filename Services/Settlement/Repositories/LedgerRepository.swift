// The ledger in PostgreSQL: order events written as entries and their postings inside the
// consumer's transaction (its inbox makes a redelivery change nothing; the unique (event, kind) is a
// second guard), and read back as balances per account and currency.

import FoundationEssentials
import Shared

struct LedgerRepository: Sendable {
    let pool: PostgresPool

    /// Writes what `events` mean to the ledger; each entry is checked balanced again at commit by PostgreSQL.
    static func record(_ events: [ConsumedEvent<OrderEventData>], on connection: PostgresConnection) throws {
        for event in events {
            guard let tenant = event.envelope.tenantId else { continue }
            for entry in Postings.entries(for: event.envelope.type, tenant: tenant, event.payload) {
                try connection.execute(
                    """
                    WITH entry AS (
                        INSERT INTO settlement.ledger_entries (event_id, event_type, order_id, tenant_id, kind, currency, occurred_at)
                        VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id, kind) DO NOTHING RETURNING id
                    )
                    INSERT INTO settlement.ledger_postings (entry_id, account, debit, credit)
                    SELECT entry.id, l.account, l.debit, l.credit FROM entry, unnest($8::text[], $9::numeric[], $10::numeric[]) AS l(account, debit, credit)
                    """,
                    [event.envelope.id, event.envelope.type, event.payload.order.orderId, tenant, entry.kind.rawValue, entry.currency, event.envelope.occurredAt,
                     PostgresArray(entry.lines.map(\.account)), PostgresArray(entry.lines.map { $0.debit.value }), PostgresArray(entry.lines.map { $0.credit.value })])
            }
        }
    }

    struct Balance: Codable, Sendable, Equatable {
        var account: String
        var currency: String
        var debit: Amount
        var credit: Amount
        /// Debits less credits.
        var balance: Amount
    }

    /// Every account's totals per currency (`prefix` narrows the accounts, e.g. `receivable:`).
    func balances(prefix: String? = nil) async throws -> [Balance] {
        try await pool.query(
            """
            SELECT p.account, e.currency, sum(p.debit) AS debit, sum(p.credit) AS credit
            FROM settlement.ledger_postings p JOIN settlement.ledger_entries e ON e.id = p.entry_id
            WHERE $1::text IS NULL OR p.account LIKE $1 || '%'
            GROUP BY p.account, e.currency ORDER BY p.account, e.currency
            """, [prefix]
        ).map { row in
            let debit = try row.amount("debit"), credit = try row.amount("credit")
            return Balance(account: try row.string("account"), currency: try row.string("currency"), debit: debit, credit: credit, balance: debit - credit)
        }
    }

    struct Check: Codable, Sendable {
        var balanced: Bool
        var entries: Int
        /// Entries whose debits and credits differ (PostgreSQL refuses them: always 0).
        var unbalancedEntries: Int
        enum CodingKeys: String, CodingKey { case balanced, entries, unbalancedEntries = "unbalanced_entries" }
    }

    func check() async throws -> Check {
        let row = try await pool.query(
            """
            SELECT (SELECT count(*) FROM settlement.ledger_entries)::int AS entries,
                (SELECT count(*) FROM (SELECT entry_id FROM settlement.ledger_postings GROUP BY entry_id HAVING sum(debit) <> sum(credit)) u)::int AS unbalanced
            """).first
        let unbalanced = try row?.int("unbalanced") ?? 0
        return Check(balanced: unbalanced == 0, entries: try row?.int("entries") ?? 0, unbalancedEntries: unbalanced)
    }
}
