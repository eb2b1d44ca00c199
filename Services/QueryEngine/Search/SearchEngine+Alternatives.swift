// Alternatives to an offer a supplier would not book (order's fallback): the same hotel, stay and
// guests, asked of every other callable supplier (and inventory), priced for the tenant in the
// offer's currency, on the same board and at least as refundable; signed as offer ids, the
// hotel's best-ranked suppliers first (matching's ranking), then the cheapest.

import FoundationEssentials
import Shared

extension SearchEngine {
    func alternatives(to terms: OfferTerms, tenant: String, origin: CallOrigin) async throws -> [String] {
        guard let hotel = try await resolve(.hotels([terms.masterHotelId]), origin: origin).first else { return [] }
        let callable = try await callableSuppliers(origin: origin)
        var codes = hotel.suppliers.filter { $0.supplier != terms.supplier && callable.contains($0.supplier) }.map { ($0.supplier, $0.code) }
        if terms.supplier != directSupplier, await sources.contractedHotels(origin: origin).contains(hotel.id) {
            codes.append((directSupplier, String(hotel.id)))
        }
        let questions = codes.map { supplier, code in
            (supplier, AvailabilityQuery(checkIn: terms.checkIn, checkOut: terms.checkOut, occupancy: terms.occupancy, hotelCodes: [code]))
        }
        let query = SearchQuery(
            place: .hotels([hotel.id]), checkIn: terms.checkIn, checkOut: terms.checkOut, rooms: [terms.occupancy], currency: terms.sell.currency,
            refundableOnly: terms.refundable, sort: .price, page: 1, pageSize: 1)
        let (_, priced) = try await ask(questions, deadline: .now + settings.deadline, origin: origin) { answer in
            let candidates = answer.offers.filter { $0.board == terms.board && ($0.refundable || !terms.refundable) }.map { ($0, answer.occupancy, hotel.id) }
            return try await self.price(candidates, hotels: [hotel.id: hotel], query: query, tenant: tenant, origin: origin)
        }
        let ranks = await ranks(of: [hotel.id], origin: origin)[hotel.id] ?? [:]
        let expires = Int(Date().timeIntervalSince1970) + Int(settings.offerLifetime.components.seconds)
        return try priced.sorted { ((ranks[$0.offer.supplier] ?? .max), $0.sell) < ((ranks[$1.offer.supplier] ?? .max), $1.sell) }.map { choice in
            let offer = choice.offer
            let room = RoomOffer(source: choice, total: Money(choice.sell, terms.sell.currency), nights: terms.checkIn.nights(until: terms.checkOut))
            return try tokens.sign(OfferTerms(
                tenantId: tenant, supplier: offer.supplier, rateKey: offer.rateKey, rateType: offer.rateType, masterHotelId: hotel.id, hotelCode: offer.hotelCode,
                roomCode: offer.roomCode, roomName: offer.roomName, board: offer.board, refundable: offer.refundable, checkIn: terms.checkIn,
                checkOut: terms.checkOut, occupancy: terms.occupancy, net: Money(offer.net, offer.currency), sell: room.total,
                cancellationPolicies: room.cancellationPolicies, expires: expires, cost: choice.netConverted, city: terms.city))
        }
    }
}
