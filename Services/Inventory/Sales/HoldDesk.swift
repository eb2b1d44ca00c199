// Holding rooms for orders: the rate key says what (hotel, room type, rate plan, stay, price of one
// room); the hold keeps that many rooms on every night or none, idempotent by order id. Confirm,
// release and cancel follow HoldStep; the sweeper expires holds nobody confirmed in time.

import FoundationEssentials
import Shared

struct HoldDesk: Sendable {
    let catalog: ContractCatalog
    let holds: HoldRepository
    let availability: AvailabilityRepository
    let signer: RateKeySigner
    /// Told of every hold and step, so this replica's availability shows them at once.
    let sellable: SellableCache
    var clock: @Sendable () -> Date = { Date() }

    static let defaultHoldSeconds = 900
    static let holdSeconds = 60...86_400

    /// The hold, and whether it is a replay of one made before.
    func hold(_ request: HoldRequest, trace: TraceContext?) async throws -> (hold: Hold, replayed: Bool) {
        try TextRule.code.check(request.orderId, field: "order_id")
        guard (1...9).contains(request.rooms) else { throw Problem(.badRequest, code: "invalid_rooms", detail: "rooms must be 1 to 9.") }
        let seconds = request.holdSeconds ?? Self.defaultHoldSeconds
        guard Self.holdSeconds.contains(seconds) else {
            throw Problem(.badRequest, code: "invalid_hold_seconds", detail: "hold_seconds must be 60 to 86400.")
        }
        guard let rate = signer.verify(request.rateKey) else {
            throw Problem(.unprocessableContent, code: "invalid_rate_key", detail: "rate_key was not given by inventory, or was altered.")
        }
        let now = clock()
        guard let contract = try await catalog.contract(rate.hotelId), contract.onSale,
              let plan = contract.ratePlans.first(where: { $0.code == rate.ratePlan }), contract.roomTypes.contains(where: { $0.code == rate.roomType })
        else { throw Problem(.conflict, code: "not_on_sale", detail: "Hotel \(rate.hotelId) no longer sells this room type and rate plan.") }
        let net = Amount(rate.net.value * Decimal(request.rooms))
        let wanted = HoldRepository.Wanted(
            orderId: request.orderId, rate: rate, rateKey: request.rateKey, rooms: request.rooms,
            policies: plan.policies(checkIn: rate.checkIn, total: net, bookedAt: now), expiresAt: now.addingTimeInterval(Double(seconds)))
        switch try await holds.hold(wanted, today: CalendarDate(utc: now), trace: trace) {
        case .made(let hold):
            sellable.forget(hold.hotelId)
            return (hold, false)
        case .exists:
            guard let earlier = try await replay(request) else { throw Self.otherRequest(request.orderId) }
            return (earlier, true)
        case .priceChanged(let current):
            throw Problem(.conflict, code: "price_changed", detail: "The stay now costs \(current) \(rate.currency) for \(request.rooms) room(s); check the rate again.",
                          extensions: ["net": .string(current.description), "currency": .string(rate.currency)])
        case .unsellable:
            throw try await whyNot(wanted, today: CalendarDate(utc: now))
        }
    }

    /// The order's hold when it was made with this same request; a 409 when with another.
    private func replay(_ request: HoldRequest) async throws -> Hold? {
        guard let (earlier, key) = try await holds.holdAndRateKey(of: request.orderId) else { return nil }
        guard key == request.rateKey, earlier.rooms == request.rooms else { throw Self.otherRequest(request.orderId) }
        return earlier
    }

    private func whyNot(_ wanted: HoldRepository.Wanted, today: CalendarDate) async throws -> Problem {
        let rate = wanted.rate
        let nights = try await availability.nights(hotel: rate.hotelId, roomType: rate.roomType, ratePlan: rate.ratePlan, checkIn: rate.checkIn, checkOut: rate.checkOut)
        let (reason, night) = wanted.stay.refusal(nights, today: today) ?? (.soldOut, rate.checkIn)
        return Problem(.conflict, code: reason.rawValue, detail: "Nothing was held: night \(night): \(reason.detail)", extensions: ["night": .string(night.description)])
    }

    /// Confirms, releases or cancels the order's hold; the hold after, and whether it was already so.
    func apply(_ step: HoldStep, order: String, trace: TraceContext?) async throws -> (hold: Hold, replayed: Bool) {
        for _ in 0..<5 {
            guard let hold = try await holds.hold(of: order) else {
                throw Problem(.notFound, code: "unknown_hold", detail: "Order \(order.prefix(100)) holds no rooms.")
            }
            let now = clock()
            switch step.decide(hold, now: now) {
            case .replay: return (hold, true)
            case .refuse(let code, let detail): throw Problem(.conflict, code: code, detail: detail)
            case .move(let status):
                if let moved = try await holds.move(hold, to: status, today: CalendarDate(utc: now), trace: trace) {
                    sellable.forget(moved.hotelId)
                    return (moved, false)
                }
            }
        }
        throw Problem(.conflict, code: "hold_busy", detail: "The hold of order \(order.prefix(100)) keeps changing; retry.")
    }

    /// Expires the holds past their expiry (at most `limit`); how many it expired.
    func sweep(limit: Int = 100) async throws -> Int {
        var expired = 0
        for order in try await holds.due(limit: limit, now: clock()) {
            guard let hold = try await holds.hold(of: order), hold.status == .held, hold.expiresAt <= clock() else { continue }
            if try await holds.move(hold, to: .expired, today: CalendarDate(utc: clock()), trace: nil) != nil {
                sellable.forget(hold.hotelId)
                expired += 1
            }
        }
        return expired
    }

    static func otherRequest(_ order: String) -> Problem {
        Problem(.conflict, code: "idempotency_conflict", detail: "Order \(order.prefix(100)) already holds rooms with another rate key or number of rooms.")
    }
}
