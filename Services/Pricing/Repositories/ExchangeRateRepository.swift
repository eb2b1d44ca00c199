// Exchange rates in schema `pricing`, each change recorded with who made it.

import FoundationEssentials
import Shared

struct ExchangeRate: Codable, Sendable, Equatable {
    var currency: String
    var rate: Amount
    var updatedAt: Date
    var updatedBy: String

    enum CodingKeys: String, CodingKey { case currency, rate, updatedAt = "updated_at", updatedBy = "updated_by" }
}

struct ExchangeRateChange: Codable, Sendable, Equatable {
    var oldRate: Amount?
    var newRate: Amount?
    var changedAt: Date
    var changedBy: String

    enum CodingKeys: String, CodingKey { case oldRate = "old_rate", newRate = "new_rate", changedAt = "changed_at", changedBy = "changed_by" }
}

struct ExchangeRateRepository: Sendable {
    let pool: PostgresPool
    let base: String

    static let columns = "currency, trim_scale(rate) AS rate, updated_at, updated_by"

    func all() async throws -> [ExchangeRate] {
        try await pool.query("SELECT \(Self.columns) FROM pricing.exchange_rates WHERE base = $1 ORDER BY currency", [base]).map(Self.rate)
    }

    func find(_ currency: String) async throws -> ExchangeRate? {
        try await pool.query("SELECT \(Self.columns) FROM pricing.exchange_rates WHERE base = $1 AND currency = $2", [base, currency]).first.map(Self.rate)
    }

    /// Sets the rate of `currency`, recording the change when it is one.
    func set(_ currency: String, to rate: Amount, by who: String) async throws -> ExchangeRate {
        try await pool.transaction { connection in
            try lock(currency, on: connection)
            let current = try connection.query("SELECT \(Self.columns) FROM pricing.exchange_rates WHERE base = $1 AND currency = $2", [base, currency]).first.map(Self.rate)
            if let current, current.rate == rate { return current }
            let saved = try connection.query(
                """
                INSERT INTO pricing.exchange_rates (base, currency, rate, updated_by) VALUES ($1, $2, $3, $4)
                ON CONFLICT (base, currency) DO UPDATE SET rate = EXCLUDED.rate, updated_by = EXCLUDED.updated_by, updated_at = now()
                RETURNING \(Self.columns)
                """, [base, currency, rate.value, who]).map(Self.rate)[0]
            try record(currency, from: current?.rate, to: rate, by: who, on: connection)
            return saved
        }
    }

    /// Removes the rate of `currency`; false when it had none.
    func remove(_ currency: String, by who: String) async throws -> Bool {
        try await pool.transaction { connection in
            try lock(currency, on: connection)
            let removed = try connection.query(
                "DELETE FROM pricing.exchange_rates WHERE base = $1 AND currency = $2 RETURNING \(Self.columns)", [base, currency]).first.map(Self.rate)
            guard let removed else { return false }
            try record(currency, from: removed.rate, to: nil, by: who, on: connection)
            return true
        }
    }

    /// The latest changes of `currency`, newest first.
    func changes(_ currency: String, limit: Int = 50) async throws -> [ExchangeRateChange] {
        try await pool.query(
            """
            SELECT trim_scale(old_rate) AS old_rate, trim_scale(new_rate) AS new_rate, changed_at, changed_by FROM pricing.exchange_rate_changes
            WHERE base = $1 AND currency = $2 ORDER BY id DESC LIMIT $3
            """, [base, currency, limit]
        ).map { row in
            ExchangeRateChange(oldRate: try row.optionalAmount("old_rate"), newRate: try row.optionalAmount("new_rate"),
                               changedAt: try row.date("changed_at"), changedBy: try row.string("changed_by"))
        }
    }

    /// Changes to one currency's rate one at a time, so each change records the rate it replaced.
    private func lock(_ currency: String, on connection: PostgresConnection) throws {
        _ = try connection.query("SELECT pg_advisory_xact_lock(hashtext('pricing.exchange_rates'), hashtext($1))", [base + currency])
    }

    private func record(_ currency: String, from old: Amount?, to new: Amount?, by who: String, on connection: PostgresConnection) throws {
        _ = try connection.execute(
            "INSERT INTO pricing.exchange_rate_changes (base, currency, old_rate, new_rate, changed_by) VALUES ($1, $2, $3, $4, $5)",
            [base, currency, old?.value, new?.value, who])
    }

    static func rate(_ row: PostgresRow) throws -> ExchangeRate {
        ExchangeRate(currency: try row.string("currency"), rate: try row.amount("rate"), updatedAt: try row.date("updated_at"),
                     updatedBy: try row.string("updated_by"))
    }
}
