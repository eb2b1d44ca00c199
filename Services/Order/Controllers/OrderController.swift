// The distributor's orders (through the gateway; always the caller's own tenant):
//   POST /api/v1/orders                     Idempotency-Key required; PlaceOrderInput -> 201 order (confirmed or on hold),
//                                           202 order (still on its way: poll, or wait for the webhook), 4xx problem (not made)
//   GET  /api/v1/orders[?status=&check_in_from=&check_in_to=&created_from=&created_to=&client_reference=&cursor=&limit=]
//   GET  /api/v1/orders/{id}
//   POST /api/v1/orders/{id}/confirm        an order on hold -> 200 confirmed (or 202, or the problem)
//   POST /api/v1/orders/{id}/cancel[?simulate=true]   -> the penalty and refund (quoted, or done)

import FoundationEssentials
import Hummingbird
import Shared

struct OrderController: Sendable {
    let desk: OrderDesk

    func add(to router: Router<PlatformRequestContext>) {
        let orders = router.group("api/v1/orders")
        orders.post { request, context -> Response in
            let caller = try Self.distributor(context)
            guard let key = request.headers[.idempotencyKey], (1...255).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw Problem(.badRequest, code: "idempotency_key_required",
                              detail: "Send an Idempotency-Key header (1 to 255 visible ASCII characters, e.g. a UUID) so that a retry cannot book twice.")
            }
            let input = try await request.decode(as: PlaceOrderInput.self, context: context).validated()
            return try await desk.place(
                input, key: key, tenant: caller.tenantId, clientIp: request.headers[.clientIP], origin: context.origin, requestId: context.requestId)
        }
        orders.get { request, context -> OrderList in
            let caller = try Self.distributor(context)
            var filter = try Self.filter(request)
            filter.tenant = caller.tenantId
            return try await Self.list(desk.repository, filter, request)
        }
        orders.get(":id") { _, context -> OrderView in
            let caller = try Self.distributor(context)
            return OrderView(try await desk.find(try Self.id(context), tenant: caller.tenantId))
        }
        orders.post(":id/confirm") { _, context -> Response in
            let caller = try Self.distributor(context)
            return try await desk.confirm(try Self.id(context), tenant: caller.tenantId, origin: context.origin, requestId: context.requestId)
        }
        orders.post(":id/cancel") { request, context -> CancellationView in
            let caller = try Self.distributor(context)
            let simulate = try request.uri.queryParameters["simulate"].map { text -> Bool in
                guard text == "true" || text == "false" else { throw Problem(.badRequest, code: "invalid_query", detail: "simulate must be true or false.") }
                return text == "true"
            } ?? false
            return try await desk.cancel(try Self.id(context), tenant: caller.tenantId, simulate: simulate, origin: context.origin)
        }
    }

    static func distributor(_ context: PlatformRequestContext) throws -> CallerIdentity {
        try context.requireIdentity()
    }

    /// The order id in the path; anything that is not one is an order nobody has.
    static func id(_ context: PlatformRequestContext) throws -> UUID {
        let text = try context.parameters.require("id")
        guard let id = UUID(uuidString: text) else { throw OrderDesk.unknown(text) }
        return id
    }

    static func filter(_ request: Request) throws -> OrderFilter {
        let query = request.uri.queryParameters
        func date(_ name: String) throws -> CalendarDate? {
            try query[Substring(name)].map { text in
                guard let date = CalendarDate(text[...]) else { throw Problem(.badRequest, code: "invalid_query", detail: "\(name) must be a date like 2026-12-31.") }
                return date
            }
        }
        func instant(_ name: String) throws -> Date? {
            try query[Substring(name)].map { text in
                guard let date = PlatformJSON.parseTimestamp(String(text)) ?? CalendarDate(text[...]).map({ $0.instant() }) else {
                    throw Problem(.badRequest, code: "invalid_query", detail: "\(name) must be a date or an ISO 8601 time.")
                }
                return date
            }
        }
        let status = try query["status"].map { text -> DisplayStatus in
            guard let status = DisplayStatus(rawValue: String(text).uppercased()) else {
                throw Problem(.badRequest, code: "invalid_query", detail: "status must be one of \(DisplayStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return status
        }
        let reference = try TextRule(length: 1...64).check(query["client_reference"].map(String.init), field: "client_reference", code: "invalid_query")
        return OrderFilter(
            status: status, checkInFrom: try date("check_in_from"), checkInTo: try date("check_in_to"), createdFrom: try instant("created_from"),
            createdTo: try instant("created_to"), clientReference: reference)
    }

    static func list(_ repository: OrderRepository, _ filter: OrderFilter, _ request: Request) async throws -> OrderList {
        let limit = try request.queryNumber("limit", 1...200, default: 50)
        let cursor = try request.uri.queryParameters["cursor"].map { text -> OrderCursor in
            guard let cursor = OrderCursor(String(text)) else { throw Problem(.badRequest, code: "invalid_cursor", detail: "cursor must be a next_cursor this API gave.") }
            return cursor
        }
        let (orders, next) = try await repository.list(filter, after: cursor, limit: limit)
        return OrderList(orders: orders.map(OrderView.init), nextCursor: next?.text)
    }
}

struct OrderList: ResponseEncodable, Sendable {
    var orders: [OrderView]
    /// Absent on the last page.
    var nextCursor: String?
    enum CodingKeys: String, CodingKey { case orders, nextCursor = "next_cursor" }
}
