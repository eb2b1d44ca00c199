// Credit accounts in schema `risk`. Every change is one SQL statement whose data-modifying WITH
// clauses move the account (a conditional UPDATE: PostgreSQL's row lock orders concurrent changes
// and the CHECK `credit_accounts_no_overdraft` backs the condition), write the journal row with the
// figures after it, record the operation's answer for replays and add the event to the outbox: all
// or nothing, in one round trip.

import FoundationEssentials
import Shared

struct CreditRepository: Sendable {
    let pool: PostgresPool

    static let accountColumns = "tenant_id, kind, currency, balance, credit_limit, reserved, frozen, opened_at, updated_at"

    // MARK: Accounts

    func account(_ tenant: String) async throws -> CreditAccount? {
        try await pool.query("SELECT \(Self.accountColumns) FROM risk.credit_accounts WHERE tenant_id = $1", [tenant]).first.map(Self.account)
    }

    func accounts(limit: Int, offset: Int) async throws -> (total: Int, accounts: [CreditAccount]) {
        let rows = try await pool.query(
            "SELECT \(Self.accountColumns), count(*) OVER () AS total FROM risk.credit_accounts ORDER BY tenant_id LIMIT $1 OFFSET $2", [limit, offset])
        return (try rows.first.map { try $0.int("total") } ?? 0, try rows.map(Self.account))
    }

    /// Opens `tenant`'s account; nil when it has one already.
    func open(_ tenant: String, kind: CreditAccount.Kind, currency: String, limit: Amount, by actor: String) async throws -> CreditAccount? {
        try await pool.query(
            """
            WITH account AS (
                INSERT INTO risk.credit_accounts (tenant_id, kind, currency, credit_limit) VALUES ($1, $2, $3, $4)
                ON CONFLICT (tenant_id) DO NOTHING RETURNING \(Self.accountColumns)
            ), journal AS (
                INSERT INTO risk.credit_journal (tenant_id, entry, limit_change, balance, reserved, credit_limit, actor)
                SELECT tenant_id, 'opened', credit_limit, balance, reserved, credit_limit, $5 FROM account
            )
            SELECT * FROM account
            """,
            [tenant, kind.rawValue, currency, limit.value, actor]
        ).first.map(Self.account)
    }

    /// An operator's change to an account: `set` is the SQL assignments (parameters from $5), the
    /// journal gets `entry` with the changes the assignments made; nil when there is no account.
    func change(
        _ tenant: String, entry: CreditMovement.Entry, set assignments: String, where condition: String = "true", _ parameters: [(any PostgresBindable)?],
        by actor: String, note: String?
    ) async throws -> CreditAccount? {
        try await pool.query(
            """
            WITH account AS (
                -- the row locked (and read as last committed) before it changes: its old figures
                UPDATE risk.credit_accounts a SET \(assignments), updated_at = now()
                FROM (SELECT tenant_id, balance, credit_limit FROM risk.credit_accounts WHERE tenant_id = $1 FOR UPDATE) old
                WHERE a.tenant_id = old.tenant_id AND \(condition)
                RETURNING a.tenant_id, a.kind, a.currency, a.balance, a.credit_limit, a.reserved, a.frozen, a.opened_at, a.updated_at,
                    old.balance AS old_balance, old.credit_limit AS old_limit
            ), journal AS (
                INSERT INTO risk.credit_journal (tenant_id, entry, balance_change, limit_change, balance, reserved, credit_limit, actor, note)
                SELECT tenant_id, $2, balance - old_balance, credit_limit - old_limit, balance, reserved, credit_limit, $3, $4 FROM account
            )
            SELECT * FROM account
            """,
            [tenant, entry.rawValue, actor, note] + parameters
        ).first.map(Self.account)
    }

    func movements(_ tenant: String, limit: Int, offset: Int) async throws -> (total: Int, movements: [CreditMovement]) {
        let rows = try await pool.query(
            """
            SELECT id, entry, order_id, balance_change, reserved_change, limit_change, balance, reserved, credit_limit, actor, note, at,
                count(*) OVER () AS total
            FROM risk.credit_journal WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3
            """,
            [tenant, limit, offset])
        return (try rows.first.map { try $0.int("total") } ?? 0, try rows.map { row in
            CreditMovement(
                id: try row.int("id"), entry: CreditMovement.Entry(rawValue: try row.string("entry")) ?? .opened,
                orderId: try row.isNull("order_id") ? nil : try row.string("order_id"), balanceChange: try row.amount("balance_change"),
                reservedChange: try row.amount("reserved_change"), limitChange: try row.amount("limit_change"),
                balance: try row.amount("balance"), reserved: try row.amount("reserved"),
                creditLimit: try row.amount("credit_limit"), actor: try row.string("actor"),
                note: try row.isNull("note") ? nil : try row.string("note"), at: try row.date("at"))
        })
    }

    /// The account's figures against the sums of its journal (and its last row's figures).
    func check(_ tenant: String) async throws -> LedgerCheck? {
        guard
            let row = try await pool.query(
                """
                SELECT a.balance, a.reserved, a.credit_limit, j.balance AS j_balance, j.reserved AS j_reserved, j.credit_limit AS j_limit, j.movements,
                    l.balance AS l_balance, l.reserved AS l_reserved, l.credit_limit AS l_limit
                FROM risk.credit_accounts a
                CROSS JOIN LATERAL (
                    SELECT coalesce(sum(balance_change), 0) AS balance, coalesce(sum(reserved_change), 0) AS reserved,
                        coalesce(sum(limit_change), 0) AS credit_limit, count(*) AS movements
                    FROM risk.credit_journal WHERE tenant_id = a.tenant_id
                ) j
                LEFT JOIN LATERAL (
                    SELECT balance, reserved, credit_limit FROM risk.credit_journal WHERE tenant_id = a.tenant_id ORDER BY id DESC LIMIT 1
                ) l ON true
                WHERE a.tenant_id = $1
                """,
                [tenant]
            ).first
        else { return nil }
        func figures(_ prefix: String, _ limit: String) throws -> LedgerCheck.Figures {
            LedgerCheck.Figures(
                balance: try row.amount(prefix + "balance"), reserved: try row.amount(prefix + "reserved"),
                creditLimit: try row.amount(limit))
        }
        let account = try figures("", "credit_limit"), sums = try figures("j_", "j_limit")
        let last = try row.isNull("l_balance") ? nil : try figures("l_", "l_limit")
        return LedgerCheck(tenantId: tenant, consistent: account == sums && last == account, account: account, journal: sums, movements: try row.int("movements"))
    }

    static func account(_ row: PostgresRow) throws -> CreditAccount {
        CreditAccount(
            tenantId: try row.string("tenant_id"), kind: CreditAccount.Kind(rawValue: try row.string("kind")) ?? .prepaid,
            currency: try row.string("currency"), balance: try row.amount("balance"), creditLimit: try row.amount("credit_limit"),
            reserved: try row.amount("reserved"), frozen: try row.bool("frozen"), openedAt: try row.date("opened_at"), updatedAt: try row.date("updated_at"))
    }
}
