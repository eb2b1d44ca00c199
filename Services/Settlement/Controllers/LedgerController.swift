// The ledger for operators (through the gateway):
//   GET /api/v1/admin/settlement/balances[?account=<prefix>]   every account's debits, credits and balance per currency
//   GET /api/v1/admin/settlement/check                         every entry balanced (PostgreSQL enforces it)

import Hummingbird
import Shared

struct LedgerController: Sendable {
    let ledger: LedgerRepository

    struct Balances: ResponseEncodable { var balances: [LedgerRepository.Balance] }

    func add(to router: Router<PlatformRequestContext>) {
        let admin = router.group("api/v1/admin/settlement")
        admin.get("balances") { request, context in
            _ = try context.requireOperator()
            let prefix = try TextRule(length: 1...200).check(request.uri.queryParameters["account"].map(String.init), field: "account", code: "invalid_query")
            return Balances(balances: try await ledger.balances(prefix: prefix))
        }
        admin.get("check") { _, context -> LedgerRepository.Check in
            _ = try context.requireOperator()
            return try await ledger.check()
        }
    }
}

extension LedgerRepository.Check: ResponseEncodable {}
