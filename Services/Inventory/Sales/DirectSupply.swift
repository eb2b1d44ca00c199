// Direct contracts sold as one more supplier (`direct`) in supplier-adapter's shapes: availability
// for master hotel ids (the hotel codes), and rate checks of the rate keys it gave.

import FoundationEssentials
import Shared

struct DirectSupply: Sendable {
    let catalog: ContractCatalog
    let availability: AvailabilityRepository
    /// Availability reads through it; rate checks read the calendar itself.
    let sellable: SellableCache
    let signer: RateKeySigner
    var clock: @Sendable () -> Date = { Date() }

    func offers(_ query: AvailabilityQuery) async throws -> [SupplierOffer] {
        try query.validate()
        guard let codes = query.hotelCodes else {
            throw Problem(.badRequest, code: "invalid_query", detail: "Direct contracts are asked by hotel_codes (master hotel ids), not by area.")
        }
        let contracts = try await catalog.contracts()
        let hotels = Set(codes.compactMap { Int64($0) }).filter { contracts[$0]?.onSale == true }
        let now = clock()
        let rates = try await sellable.sellable(hotels: hotels.sorted(), checkIn: query.checkIn, checkOut: query.checkOut, today: CalendarDate(utc: now))
        return rates.compactMap { offer($0, contract: contracts[$0.hotelId], query: query, now: now) }
    }

    /// The offer for a sellable rate, when the room takes the guests and the rate plan exists.
    func offer(_ rate: SellableRate, contract: ContractHotel?, query: AvailabilityQuery, now: Date) -> SupplierOffer? {
        guard let contract, let room = contract.roomTypes.first(where: { $0.code == rate.roomType }),
              room.maxOccupancy >= query.occupancy.adults + query.occupancy.childrenAges.count,
              let plan = contract.ratePlans.first(where: { $0.code == rate.ratePlan })
        else { return nil }
        let key = RateKey(
            hotelId: rate.hotelId, roomType: rate.roomType, ratePlan: rate.ratePlan, checkIn: query.checkIn, checkOut: query.checkOut,
            occupancy: query.occupancy, net: rate.net, currency: contract.currency)
        return SupplierOffer(
            supplier: directSupplier, hotelCode: String(rate.hotelId), roomCode: rate.roomType + "." + rate.ratePlan, roomName: room.name + " - " + plan.name,
            board: plan.board, refundable: plan.refundable, cancellationPolicies: plan.policies(checkIn: query.checkIn, total: rate.net, bookedAt: now),
            net: rate.net, sellingRate: nil, currency: contract.currency, rateKey: signer.sign(key), rateType: .bookable, allotment: rate.free)
    }

    /// The rate as the calendar sells it now: AVAILABLE, PRICE_CHANGED (another net, or not the one
    /// the caller expected) with the offer as it is now, or SOLD_OUT.
    func check(_ request: RateCheckRequest) async throws -> RateCheckResult {
        guard let key = signer.verify(request.rateKey) else {
            throw Problem(.unprocessableContent, code: "invalid_rate_key", detail: "rate_key was not given by inventory, or was altered.")
        }
        let query = AvailabilityQuery(checkIn: key.checkIn, checkOut: key.checkOut, occupancy: key.occupancy, hotelCodes: [String(key.hotelId)])
        let now = clock()
        let contract = try await catalog.contract(key.hotelId)
        guard contract?.onSale == true,
              let rate = try await availability.sellable(
                  hotels: [key.hotelId], checkIn: key.checkIn, checkOut: key.checkOut, today: CalendarDate(utc: now), roomType: key.roomType, ratePlan: key.ratePlan
              ).first,
              let offer = offer(rate, contract: contract, query: query, now: now)
        else { return RateCheckResult(status: .soldOut, offer: nil) }
        let expected = request.expectedNet ?? key.net
        return RateCheckResult(status: rate.net == key.net && rate.net == expected ? .available : .priceChanged, offer: offer)
    }
}
