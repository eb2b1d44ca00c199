// Credit accounts over HTTP.
// Distributors (through the gateway; the tenant is the caller's, never one named in the request):
//   GET  /api/v1/credit                                         the account: balance, limit, reserved, available
//   GET  /api/v1/credit/movements[?page=&page_size=]           its journal, newest first
// Operators (through the gateway):
//   POST /api/v1/admin/credit/accounts                          {tenant_id, kind, currency, credit_limit?} -> 201
//   GET  /api/v1/admin/credit/accounts[?page=&page_size=]
//   GET  /api/v1/admin/credit/accounts/{tenant}
//   POST /api/v1/admin/credit/accounts/{tenant}/top-ups         {amount: {amount, currency}, note?}
//   PUT  /api/v1/admin/credit/accounts/{tenant}/limit           {credit_limit, note?} (credit lines)
//   POST /api/v1/admin/credit/accounts/{tenant}/freeze          {note?}; and /unfreeze
//   GET  /api/v1/admin/credit/accounts/{tenant}/movements
//   GET  /api/v1/admin/credit/accounts/{tenant}/check           the account against the sums of its journal
// Order (internal):
//   GET  /credit/accounts/{tenant}                              the account (its currency: what to reserve in)
//   POST /credit/reservations                                   CreditReserveRequest -> 201 CreditReservation
//   GET  /credit/reservations/{order}
//   POST /credit/reservations/{order}/capture                   {amount?}; /release; /refund {amount}
// A replayed operation answers as the first did, with `Idempotent-Replayed: true`.

import FoundationEssentials
import HTTPTypes
import Hummingbird
import Shared

struct CreditController: Sendable {
    let repository: CreditRepository

    struct OpenInput: Decodable {
        var tenantId: String
        var kind: CreditAccount.Kind
        var currency: String
        var creditLimit: Amount?
        enum CodingKeys: String, CodingKey { case tenantId = "tenant_id", kind, currency, creditLimit = "credit_limit" }
    }

    struct TopUpInput: Decodable {
        var amount: Money
        var note: String?
    }

    struct LimitInput: Decodable {
        var creditLimit: Amount
        var note: String?
        enum CodingKeys: String, CodingKey { case creditLimit = "credit_limit", note }
    }

    struct NoteInput: Decodable { var note: String? }

    func add(to router: Router<PlatformRequestContext>) {
        addDistributorRoutes(router)
        addOperatorRoutes(router)
        addOrderRoutes(router)
    }

    private func addDistributorRoutes(_ router: Router<PlatformRequestContext>) {
        router.get("api/v1/credit") { _, context in
            try await account(try context.requireIdentity().tenantId)
        }
        router.get("api/v1/credit/movements") { request, context in
            try await movements(try context.requireIdentity().tenantId, request)
        }
    }

    private func addOperatorRoutes(_ router: Router<PlatformRequestContext>) {
        let accounts = router.group("api/v1/admin/credit/accounts")
        accounts.post { request, context in
            let who = try context.requireOperator()
            let input = try await request.decode(as: OpenInput.self, context: context)
            _ = try TextRule.code.check(input.tenantId, field: "tenant_id")
            guard Currency.isCode(input.currency) else {
                throw Problem(.badRequest, code: "invalid_currency", detail: "currency must be an ISO 4217 code like EUR.")
            }
            let limit = input.creditLimit ?? .zero
            guard input.kind == .creditLine || limit == .zero else {
                throw Problem(.unprocessableContent, code: "invalid_limit", detail: "credit_limit is for credit lines; a prepaid account is topped up.")
            }
            guard limit >= .zero, limit < CreditRules.maxAmount, CreditRules.decimals(limit) <= 4 else {
                throw Problem(.unprocessableContent, code: "invalid_limit", detail: "credit_limit must be 0 or above, below 10^13, with at most 4 decimals.")
            }
            guard let opened = try await repository.open(input.tenantId, kind: input.kind, currency: input.currency, limit: limit, by: who.tenantId) else {
                throw Problem(.conflict, code: "account_exists", detail: "Tenant \(input.tenantId) has a credit account already.")
            }
            return EditedResponse(status: .created, response: opened)
        }
        accounts.get { request, context in
            _ = try context.requireOperator()
            let (page, size) = try request.paging()
            let found = try await repository.accounts(limit: size, offset: (page - 1) * size)
            return ListPage(total: found.total, page: page, pageSize: size, name: "accounts", items: found.accounts)
        }
        accounts.get(":tenant") { _, context in
            _ = try context.requireOperator()
            return try await account(try context.parameters.require("tenant"))
        }
        accounts.get(":tenant/movements") { request, context in
            _ = try context.requireOperator()
            return try await movements(try context.parameters.require("tenant"), request)
        }
        accounts.get(":tenant/check") { _, context -> LedgerCheck in
            _ = try context.requireOperator()
            let tenant = try context.parameters.require("tenant")
            guard let check = try await repository.check(tenant) else { throw Self.noAccount(tenant) }
            return check
        }
        accounts.post(":tenant/top-ups") { request, context in
            let who = try context.requireOperator()
            let input = try await request.decode(as: TopUpInput.self, context: context)
            let tenant = try context.parameters.require("tenant")
            let current = try await account(tenant)
            let amount = try CreditRules.amount(input.amount, field: "amount", currency: current.currency)
            return try await change(tenant, .topUp, set: "balance = a.balance + $5", [amount.value], by: who.tenantId, note: try Self.note(input.note))
        }
        accounts.put(":tenant/limit") { request, context in
            let who = try context.requireOperator()
            let input = try await request.decode(as: LimitInput.self, context: context)
            let tenant = try context.parameters.require("tenant")
            guard try await account(tenant).kind == .creditLine else {
                throw Problem(.unprocessableContent, code: "not_a_credit_line", detail: "A prepaid account has no limit: top it up instead.")
            }
            guard input.creditLimit >= .zero, input.creditLimit < CreditRules.maxAmount, CreditRules.decimals(input.creditLimit) <= 4 else {
                throw Problem(.unprocessableContent, code: "invalid_limit", detail: "credit_limit must be 0 or above, below 10^13, with at most 4 decimals.")
            }
            do {
                return try await change(tenant, .limitChanged, set: "credit_limit = $5", [input.creditLimit.value], by: who.tenantId, note: try Self.note(input.note))
            } catch let error as PostgresError where error.sqlState == "23514" {
                throw Problem(.unprocessableContent, code: "limit_below_use", detail: "The account uses more than \(input.creditLimit) of its limit now; lower it after it is paid.")
            }
        }
        for (action, frozen) in [("freeze", true), ("unfreeze", false)] {
            accounts.post(":tenant/\(action)") { request, context in
                let who = try context.requireOperator()
                let input = try await request.decode(as: NoteInput.self, context: context)
                let tenant = try context.parameters.require("tenant")
                return try await change(
                    tenant, frozen ? .frozen : .unfrozen, set: "frozen = $5", where: "a.frozen <> $5", [frozen], by: who.tenantId, note: try Self.note(input.note))
            }
        }
    }

    private func addOrderRoutes(_ router: Router<PlatformRequestContext>) {
        router.get("credit/accounts/:tenant") { _, context in try await account(try context.parameters.require("tenant")) }
        let reservations = router.group("credit/reservations")
        reservations.post { request, context in
            let input = try await request.decode(as: CreditReserveRequest.self, context: context)
            _ = try TextRule.code.check(input.tenantId, field: "tenant_id")
            try CreditRules.orderId(input.orderId)
            _ = try CreditRules.amount(input.amount, field: "amount")
            let hold = try CreditRules.hold(input.holdSeconds)
            let expires = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000 + Double(hold))
            let answered = try await repository.reserve(input, expiresAt: expires, trace: context.trace, by: "order")
            return try Self.response(answered, status: .created)
        }
        reservations.get(":order") { _, context -> CreditReservation in
            let order = try context.parameters.require("order")
            guard let reservation = try await repository.reservation(order) else { throw Self.unknownReservation(order) }
            return reservation
        }
        for operation in [CreditOperation.capture, .release, .refund] {
            reservations.post(":order/\(operation.rawValue)") { request, context in
                let order = try context.parameters.require("order")
                let input = operation == .release ? CreditAmountRequest(amount: nil) : try await request.decode(as: CreditAmountRequest.self, context: context)
                let amount = try input.amount.map { try CreditRules.amount($0, field: "amount") }
                if operation == .refund, amount == nil { throw Problem(.badRequest, code: "invalid_amount", detail: "A refund needs an amount.") }
                let answered = try await repository.apply(operation, order: order, amount: amount, currency: input.amount?.currency, trace: context.trace, by: "order")
                return try Self.response(answered, status: .ok)
            }
        }
    }

    // MARK: Parts

    func account(_ tenant: String) async throws -> CreditAccount {
        guard let account = try await repository.account(tenant) else { throw Self.noAccount(tenant) }
        return account
    }

    func movements(_ tenant: String, _ request: Request) async throws -> ListPage<CreditMovement> {
        _ = try await account(tenant)
        let (page, size) = try request.paging()
        let found = try await repository.movements(tenant, limit: size, offset: (page - 1) * size)
        return ListPage(total: found.total, page: page, pageSize: size, name: "movements", items: found.movements)
    }

    func change(
        _ tenant: String, _ entry: CreditMovement.Entry, set assignments: String, where condition: String = "true", _ parameters: [(any PostgresBindable)?],
        by actor: String, note: String?
    ) async throws -> CreditAccount {
        if let changed = try await repository.change(tenant, entry: entry, set: assignments, where: condition, parameters, by: actor, note: note) { return changed }
        return try await account(tenant)
    }

    static func response(_ answered: CreditRepository.Answered, status: HTTPResponse.Status) throws -> Response {
        try PlatformJSON.answer(answered.reservation, replayed: answered.replayed, status: status)
    }

    static func note(_ text: String?) throws -> String? { try TextRule.note.check(text, field: "note") }

    static func noAccount(_ tenant: String) -> Problem {
        Problem(.notFound, code: "no_credit_account", detail: "Tenant \(tenant.prefix(100)) has no credit account.")
    }

    static func unknownReservation(_ order: String) -> Problem {
        Problem(.notFound, code: "unknown_reservation", detail: "Order \(order.prefix(100)) has no credit reservation.")
    }
}

extension CreditAccount: ResponseEncodable {}
extension CreditReservation: ResponseEncodable {}
extension LedgerCheck: ResponseEncodable {}
