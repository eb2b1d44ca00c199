// inventory's internal API (query-engine and order; listed in Shared/Sources/Contracts/Inventory):
// direct contracts as the `direct` supplier, and holds.
// A replayed hold or step answers as the first did, with `Idempotent-Replayed: true`.

import FoundationEssentials
import Hummingbird
import Shared

struct SalesController: Sendable {
    let catalog: ContractCatalog
    let supply: DirectSupply
    let desk: HoldDesk

    func add(to router: Router<PlatformRequestContext>) {
        router.get("contracted-hotels") { _, _ in
            try await catalog.contracts().values.filter(\.onSale).map(\.hotelId).sorted()
        }
        router.post("availability") { request, context in
            let query = try await request.decode(as: AvailabilityQuery.self, context: context)
            let offers = try await supply.offers(query)
            return PlatformJSON.response(AvailabilityResult(supplier: directSupplier, offers: offers), capacity: 512 * offers.count + 64)
        }
        router.post("rate-checks") { request, context in
            try await supply.check(try await request.decode(as: RateCheckRequest.self, context: context))
        }
        let holds = router.group("holds")
        holds.post { request, context in
            let input = try await request.decode(as: HoldRequest.self, context: context)
            let answered = try await desk.hold(input, trace: context.trace)
            return try PlatformJSON.answer(answered.hold, replayed: answered.replayed, status: answered.replayed ? .ok : .created)
        }
        holds.get(":order") { _, context -> Hold in
            let order = try context.parameters.require("order")
            guard let hold = try await desk.holds.hold(of: order) else {
                throw Problem(.notFound, code: "unknown_hold", detail: "Order \(order.prefix(100)) holds no rooms.")
            }
            return hold
        }
        for step in [HoldStep.confirm, .release, .cancel] {
            holds.post(":order/\(step.rawValue)") { _, context in
                let answered = try await desk.apply(step, order: try context.parameters.require("order"), trace: context.trace)
                return try PlatformJSON.answer(answered.hold, replayed: answered.replayed, status: .ok)
            }
        }
    }
}

extension Hold: ResponseEncodable {}
extension RateCheckResult: ResponseEncodable {}
