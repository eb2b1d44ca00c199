// A distributor tenant's credit account and its journal, and the rules an operation must pass
// before it reaches the database (which enforces the rest: no overdraft, whatever runs at once).

import FoundationEssentials
import Shared

struct CreditAccount: Encodable, Sendable, Equatable {
    enum Kind: String, Codable, Sendable {
        /// Topped up in advance: spends its balance.
        case prepaid
        /// Spends up to its limit; payments (top-ups) bring the balance back.
        case creditLine = "credit_line"
    }

    var tenantId: String
    var kind: Kind
    var currency: String
    var balance: Amount
    var creditLimit: Amount
    var reserved: Amount
    var frozen: Bool
    var openedAt: Date
    var updatedAt: Date

    /// What a new reservation may take.
    var available: Amount { balance + creditLimit - reserved }

    enum CodingKeys: String, CodingKey {
        case tenantId = "tenant_id", kind, currency, balance, creditLimit = "credit_limit", reserved, available, frozen, openedAt = "opened_at"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tenantId, forKey: .tenantId)
        try container.encode(kind, forKey: .kind)
        try container.encode(currency, forKey: .currency)
        try container.encode(balance, forKey: .balance)
        try container.encode(creditLimit, forKey: .creditLimit)
        try container.encode(reserved, forKey: .reserved)
        try container.encode(available, forKey: .available)
        try container.encode(frozen, forKey: .frozen)
        try container.encode(openedAt, forKey: .openedAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// One movement of an account, with its figures after it.
struct CreditMovement: Codable, Sendable, Equatable {
    enum Entry: String, Codable, Sendable {
        case opened, topUp = "top_up", limitChanged = "limit_changed", frozen, unfrozen, reserved, captured, released, expired, refunded
    }

    var id: Int
    var entry: Entry
    var orderId: String?
    var balanceChange: Amount
    var reservedChange: Amount
    var limitChange: Amount
    var balance: Amount
    var reserved: Amount
    var creditLimit: Amount
    var actor: String
    var note: String?
    var at: Date

    enum CodingKeys: String, CodingKey {
        case id, entry, orderId = "order_id", balanceChange = "balance_change", reservedChange = "reserved_change", limitChange = "limit_change"
        case balance, reserved, creditLimit = "credit_limit", actor, note, at
    }
}

/// An account's figures against the sums of its journal: they must always agree.
struct LedgerCheck: Codable, Sendable {
    var tenantId: String
    var consistent: Bool
    var account: Figures
    var journal: Figures
    var movements: Int

    struct Figures: Codable, Sendable, Equatable {
        var balance: Amount
        var reserved: Amount
        var creditLimit: Amount
        enum CodingKeys: String, CodingKey { case balance, reserved, creditLimit = "credit_limit" }
    }

    enum CodingKeys: String, CodingKey { case tenantId = "tenant_id", consistent, account, journal, movements }
}

enum CreditRules {
    static let defaultHold = 1800
    static let holds = 60...86_400
    /// Figures are kept to 4 decimals (NUMERIC(20, 4)); money is asked in at most as many.
    static let maxAmount = Amount(Decimal(string: "10000000000000")!)

    /// A positive amount in the account's currency, or the problem saying what to fix.
    static func amount(_ money: Money, field: String, currency: String? = nil) throws -> Amount {
        guard Currency.isCode(money.currency) else {
            throw Problem(.badRequest, code: "invalid_currency", detail: "\(field).currency must be an ISO 4217 code like EUR.")
        }
        guard money.amount > .zero, money.amount < maxAmount, decimals(money.amount) <= 4 else {
            throw Problem(.unprocessableContent, code: "invalid_amount", detail: "\(field).amount must be above 0, below 10^13 and have at most 4 decimals.")
        }
        if let currency, money.currency != currency {
            throw Problem(.unprocessableContent, code: "currency_mismatch", detail: "\(field) is in \(money.currency); the account is in \(currency).")
        }
        return money.amount
    }

    static func decimals(_ amount: Amount) -> Int {
        let text = amount.value.description
        guard let point = text.firstIndex(of: ".") else { return 0 }
        return text.distance(from: point, to: text.endIndex) - 1
    }

    static func hold(_ seconds: Int?) throws -> Int {
        guard let seconds else { return defaultHold }
        guard holds.contains(seconds) else {
            throw Problem(.unprocessableContent, code: "invalid_hold", detail: "hold_seconds must be \(holds.lowerBound) to \(holds.upperBound).")
        }
        return seconds
    }

    static func orderId(_ id: String) throws {
        try TextRule.code.check(id, field: "order_id")
    }
}
