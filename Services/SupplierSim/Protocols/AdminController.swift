// The simulator's own controls, for dev and tests (loopback only, no auth: it stands in for the
// outside world): the suppliers and their credentials, fault plans, bookings made, ground truth.
//   GET /admin/suppliers   GET /admin/ground-truth   GET /admin/bookings?supplier=&client_reference=
//   GET /admin/faults      PUT|DELETE /admin/faults/{supplier}
//   GET /admin/statements?supplier=&from=&to=                   a supplier's statement as CSV (also at the bed banks' own API)
//   GET /admin/statements/discrepancies?supplier=&from=&to=     the mistakes planted in it (ground truth for reconciliation)

import FoundationEssentials
import Hummingbird
import Shared

struct AdminController: Sendable {
    let market: SimulatedMarket
    let desks: [String: SupplierDesk]
    let credentials: SimulatorCredentials
    let faults: FaultBoard

    struct SupplierInfo: ResponseEncodable {
        let code: String
        let name: String
        let `protocol`: String
        let currency: String
        let hotels: Int
        let path: String
        let apiKey: String
        let secret: String

        enum CodingKeys: String, CodingKey { case code, name, `protocol`, currency, hotels, path, apiKey = "api_key", secret }
    }

    struct Plans: ResponseEncodable {
        let faults: [String: FaultPlan]
    }

    func add(to router: Router<PlatformRequestContext>) {
        let admin = router.group("admin")
        admin.get("suppliers") { _, _ in
            SimulatedSupplier.all.map { supplier in
                SupplierInfo(
                    code: supplier.code, name: supplier.name, protocol: supplier.protocolKind.rawValue, currency: supplier.currency,
                    hotels: market.catalogs[supplier.code]?.entries.count ?? 0,
                    path: supplier.protocolKind == .bedBankJSON ? "/\(supplier.code)" : "/\(supplier.code)/ota",
                    apiKey: supplier.protocolKind == .bedBankJSON ? credentials.key(supplier.code) : credentials.user(supplier.code),
                    secret: credentials.secret(supplier.code))
            }
        }
        admin.get("ground-truth") { _, _ in market.groundTruth }
        admin.get("bookings") { request, _ in
            let supplier = try desk(request.uri.queryParameters["supplier"].map(String.init))
            guard let reference = request.uri.queryParameters["client_reference"].map(String.init) else { return await supplier.ledger.all(supplier: supplier.supplier.code) }
            return await supplier.bookings(clientReference: reference)
        }
        admin.get("statements") { request, _ in
            let desk = try desk(request.uri.queryParameters["supplier"].map(String.init))
            let export = await desk.ledger.statement(supplier: desk.supplier.code, period: try request.statementPeriod())
            return SupplierStatementCSV.table(export.rows).response(filename: "\(desk.supplier.code)-statement.csv")
        }
        admin.get("statements/discrepancies") { request, _ in
            let desk = try desk(request.uri.queryParameters["supplier"].map(String.init))
            return await desk.ledger.statement(supplier: desk.supplier.code, period: try request.statementPeriod()).planted
        }
        admin.get("faults") { _, _ in Plans(faults: faults.all) }
        admin.put("faults/:supplier") { request, context in
            let supplier = try desk(context.parameters.get("supplier"))
            let plan = try await request.decode(as: FaultPlan.self, context: context)
            faults.set(plan, for: supplier.supplier.code)
            return plan
        }
        admin.delete("faults/:supplier") { _, context in
            faults.reset(try desk(context.parameters.get("supplier")).supplier.code)
            return HTTPResponse.Status.noContent
        }
    }

    func desk(_ code: String?) throws -> SupplierDesk {
        guard let code, let desk = desks[code] else {
            throw Problem(.notFound, code: "unknown_supplier", detail: "no simulated supplier '\(code ?? "")'; see GET /admin/suppliers")
        }
        return desk
    }
}

extension FaultPlan: ResponseEncodable {}
extension SupplierBooking: ResponseEncodable {}
extension SimulatedMarket.TruthRow: ResponseEncodable {}
