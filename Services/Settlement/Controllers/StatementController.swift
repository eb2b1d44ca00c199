// Statements (through the gateway):
//   GET  /api/v1/statements[?page=&page_size=]                     a distributor's own statements
//   GET  /api/v1/statements/{id}[?format=csv]                      one of them with its lines (404 for anyone else's)
//   POST /api/v1/admin/settlement/cycles {"end"?: instant}        close the cycle ending then (default now): 201, or 200 if already closed
//   GET  /api/v1/admin/settlement/statements[?party_kind=&party=&page=&page_size=]
//   GET  /api/v1/admin/settlement/statements/{id}[?format=csv]

import FoundationEssentials
import Hummingbird
import Shared

struct StatementController: Sendable {
    let statements: StatementRepository
    let cycles: CycleDesk

    struct CloseCycle: Decodable {
        var end: Date?
    }

    func add(to router: Router<PlatformRequestContext>) {
        let own = router.group("api/v1/statements")
        own.get { request, context in
            let tenant = try context.requireIdentity().tenantId
            return try await list(request, StatementRepository.Filter(kind: .distributor, party: tenant))
        }
        own.get(":id") { request, context in
            let tenant = try context.requireIdentity().tenantId
            return try await read(request, context, of: (.distributor, tenant))
        }
        let admin = router.group("api/v1/admin/settlement")
        admin.post("cycles") { request, context in
            let caller = try context.requireOperator()
            let body = try await request.decode(as: CloseCycle.self, context: context)
            let end = body.end ?? Date()
            guard end <= Date().addingTimeInterval(60) else {
                throw Problem(.unprocessableContent, code: "invalid_cycle_end", detail: "end must not be in the future: a cycle closes on what has happened.")
            }
            let closing = try await cycles.close(end: end, by: "operator:\(caller.tenantId)", origin: context.origin)
            return try PlatformJSON.answer(closing, replayed: false, status: closing.closedNow ? .created : .ok)
        }
        admin.get("statements") { request, context in
            _ = try context.requireOperator()
            let kind = try request.uri.queryParameters["party_kind"].map { text in
                guard let kind = PartyKind(rawValue: String(text)) else { throw Problem(.badRequest, code: "invalid_query", detail: "party_kind must be distributor or supplier.") }
                return kind
            }
            let party = try TextRule(length: 1...200).check(request.uri.queryParameters["party"].map(String.init), field: "party", code: "invalid_query")
            return try await list(request, StatementRepository.Filter(kind: kind, party: party))
        }
        admin.get("statements/:id") { request, context in
            _ = try context.requireOperator()
            return try await read(request, context, of: nil)
        }
    }

    func list(_ request: Request, _ filter: StatementRepository.Filter) async throws -> ListPage<Statement> {
        let paging = try request.paging()
        let found = try await statements.list(filter, page: paging.page, size: paging.size)
        return ListPage(total: found.total, page: paging.page, pageSize: paging.size, name: "statements", items: found.statements)
    }

    func read(_ request: Request, _ context: PlatformRequestContext, of party: (PartyKind, String)?) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)), let statement = try await statements.statement(id, of: party) else {
            throw Problem(.notFound, code: "statement_not_found", detail: "No such statement.")
        }
        return try request.wantsCSV()
            ? statement.csv.response(filename: "\(statement.invoiceNumber).csv")
            : PlatformJSON.answer(statement, replayed: false, status: .ok)
    }
}

extension Statement: ResponseEncodable {}
