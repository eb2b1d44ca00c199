// The adapter's internal API, the same for every supplier and protocol (callers: query-engine,
// order, inventory, matching):
//   GET  /suppliers                                           registered suppliers and their state
//   POST /suppliers/{code}/availability                       AvailabilityQuery -> AvailabilityResult (written by hand: JSONWriter)
//   POST /suppliers/{code}/rate-checks                        RateCheckRequest -> RateCheckResult
//   POST /suppliers/{code}/bookings                           SupplierBookingRequest -> SupplierBooking
//   GET  /suppliers/{code}/bookings?client_reference=...      -> [SupplierBooking]
//   GET  /suppliers/{code}/bookings/{reference}               -> SupplierBooking
//   POST /suppliers/{code}/bookings/{reference}/cancellation  {"simulate": bool} -> SupplierCancellation
//   GET  /suppliers/{code}/hotels?page=N                      the content feed -> SupplierHotelPage
//   GET  /suppliers/{code}/statement?from=&to=                what it bills for check-outs in the period -> [SupplierStatementRow]

import FoundationEssentials
import Hummingbird
import Shared

struct SupplierAPIController: Sendable {
    let calls: SupplierCalls
    let lanes: SupplierLanes

    func add(to router: Router<PlatformRequestContext>) {
        router.get("suppliers") { _, _ in
            lanes.all.map { lane in
                SupplierState(code: lane.config.code, name: lane.config.name, protocol: lane.config.protocolKind.rawValue, enabled: lane.config.enabled,
                              status: lane.config.status, breaker: lane.breakerState)
            }
        }
        let supplier = router.group("suppliers/:code")
        supplier.post("availability") { request, context in
            let query = try await request.decode(as: AvailabilityQuery.self, context: context)
            try query.validate()
            let code = try context.parameters.require("code")
            let offers = try await answer(code) { () async throws(SupplierFailure) in try await calls.availability(code, query) }
            return PlatformJSON.response(AvailabilityResult(supplier: code, offers: offers), capacity: 512 * offers.count + 64)
        }
        supplier.post("rate-checks") { request, context in
            let check = try await request.decode(as: RateCheckRequest.self, context: context)
            try SupplyRules.requireText(check.rateKey, "rate_key", max: 4096)
            let code = try context.parameters.require("code")
            return try await answer(code) { () async throws(SupplierFailure) in try await calls.checkRate(code, check) }
        }
        supplier.post("bookings") { request, context in
            let booking = try await request.decode(as: SupplierBookingRequest.self, context: context)
            try SupplyRules.validate(booking)
            let code = try context.parameters.require("code")
            let made = try await answer(code) { () async throws(SupplierFailure) in try await calls.book(code, booking) }
            return EditedResponse(status: .created, response: made)
        }
        supplier.get("bookings") { request, context in
            let code = try context.parameters.require("code")
            guard let reference = request.uri.queryParameters["client_reference"].map(String.init), !reference.isEmpty else {
                throw Problem(.badRequest, code: "invalid_query", detail: "client_reference is required.")
            }
            return try await answer(code) { () async throws(SupplierFailure) in try await calls.bookings(code, clientReference: reference) }
        }
        supplier.get("bookings/:reference") { _, context in
            let code = try context.parameters.require("code")
            let reference = try context.parameters.require("reference")
            return try await answer(code) { () async throws(SupplierFailure) in try await calls.booking(code, reference: reference) }
        }
        supplier.post("bookings/:reference/cancellation") { request, context in
            let code = try context.parameters.require("code")
            let reference = try context.parameters.require("reference")
            let body = try await request.decode(as: CancellationRequest.self, context: context)
            return try await answer(code) { () async throws(SupplierFailure) in try await calls.cancel(code, reference: reference, simulate: body.simulate) }
        }
        supplier.get("statement") { request, context in
            let code = try context.parameters.require("code")
            let period = try request.statementPeriod()
            return try await answer(code) { () async throws(SupplierFailure) in try await calls.statement(code, from: period.from, to: period.to) }
        }
        supplier.get("hotels") { request, context in
            let code = try context.parameters.require("code")
            let page = try request.uri.queryParameters["page"].map { text in
                guard let page = Int(text), (1...100_000).contains(page) else { throw Problem(.badRequest, code: "invalid_query", detail: "page must be a number from 1.") }
                return page
            } ?? 1
            return try await answer(code) { () async throws(SupplierFailure) in try await calls.hotels(code, page: page) }
        }
    }

    /// Runs a supplier call, turning its failure into the problem the caller should see.
    func answer<T>(_ code: String, _ body: () async throws(SupplierFailure) -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw error.problem(supplier: code)
        }
    }
}

extension AvailabilityResult: ResponseEncodable {}
extension RateCheckResult: ResponseEncodable {}
extension SupplierBooking: ResponseEncodable {}
extension SupplierCancellation: ResponseEncodable {}
extension SupplierHotelPage: ResponseEncodable {}

extension SupplierState: ResponseEncodable {}
