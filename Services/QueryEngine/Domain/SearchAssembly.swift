// From what the suppliers offered and pricing priced to the answer a distributor reads: offers put
// under their master hotel and requested room, equal rooms from several suppliers reduced to the
// best one (the cheaper; on a tie, the supplier matching ranks higher), filters applied, hotels
// sorted and paged. Pure: no I/O.

import FoundationEssentials
import Shared

/// One supplier offer for one requested occupancy, with its price for this tenant. A class: an
/// assembly moves thousands of them between groups, and copying the offer's strings each time cost
/// more than the rest of the work.
final class PricedSupplierOffer: Sendable {
    let offer: SupplierOffer
    let occupancy: Occupancy
    let masterHotelId: Int64
    /// In the asked currency.
    let sell: Amount
    let netConverted: Amount
    /// What makes two offers the same room for the distributor: room name (any case), board, refundability.
    let room: String

    init(offer: SupplierOffer, occupancy: Occupancy, masterHotelId: Int64, sell: Amount, netConverted: Amount) {
        (self.offer, self.occupancy, self.masterHotelId, self.sell, self.netConverted) = (offer, occupancy, masterHotelId, sell, netConverted)
        room = "\(offer.roomName.lowercased())|\(offer.board.rawValue)|\(offer.refundable)"
    }
}

/// A room choice before it is signed: the offer behind it and what the distributor sees. What is
/// only shown (per night, penalties) is worked out when asked: for the page's offers, not every one.
struct RoomOffer: Sendable {
    var source: PricedSupplierOffer
    var total: Money
    var nights: Int

    var perNight: Money {
        Money(total.amount.divided(by: nights, toScale: Currency.minorUnits(total.currency)), total.currency)
    }

    /// Penalties are in the supplier's currency and terms: the same share of the sell price as of
    /// the supplier's net (all of a non-refundable net is all of the price).
    var cancellationPolicies: [CancellationPolicy] {
        CancellationPolicy.scaled(source.offer.cancellationPolicies, net: source.offer.net, sell: total)
    }
}

struct AssembledHotel: Sendable {
    var hotel: MasterHotel
    /// Per requested room (in the request's order): its offers, cheapest first.
    var rooms: [[RoomOffer]]
    /// The cheapest offer of every room, summed.
    var cheapest: Money
}

struct SearchAssembly: Sendable {
    var query: SearchQuery
    /// Supplier code -> its rank at a hotel (0 best), where known.
    var rank: @Sendable (Int64, String) -> Int = { _, _ in 0 }

    /// Every hotel that has an offer for each requested room after the filters, sorted; `total` is
    /// their number, `page` the slice asked, `tied` the page's hotels where suppliers offered an
    /// equal room at the same price (where the suppliers' ranking decides).
    func assemble(hotels: [MasterHotel], offers: [PricedSupplierOffer]) -> (total: Int, page: [AssembledHotel], tied: Set<Int64>) {
        let byHotel = Dictionary(grouping: offers.filter(keeps)) { $0.masterHotelId }
        var assembled: [AssembledHotel] = []
        for hotel in hotels {
            guard starsKept(hotel.stars), let candidates = byHotel[hotel.id] else { continue }
            let rooms = query.rooms.map { occupancy in best(candidates.filter { $0.occupancy == occupancy }, hotel: hotel.id) }
            guard rooms.allSatisfy({ !$0.isEmpty }) else { continue }
            let cheapest = rooms.reduce(Amount.zero) { $0 + $1[0].total.amount }
            if let low = query.minPrice, cheapest < low { continue }
            if let high = query.maxPrice, cheapest > high { continue }
            assembled.append(AssembledHotel(hotel: hotel, rooms: rooms, cheapest: Money(cheapest, query.currency)))
        }
        let sorted = sort(assembled)
        let start = (query.page - 1) * query.pageSize
        let page = start < sorted.count ? Array(sorted[start..<min(start + query.pageSize, sorted.count)]) : []
        let tied = Set(page.filter { hotel in
            let equal = Dictionary(grouping: byHotel[hotel.hotel.id] ?? []) { Tie(occupancy: $0.occupancy, room: $0.room, sell: $0.sell) }
            return equal.values.contains { offers in offers.contains { $0.offer.supplier != offers[0].offer.supplier } }
        }.map(\.hotel.id))
        return (sorted.count, page, tied)
    }

    /// Offers for the same requested room, of the same room at the same price.
    private struct Tie: Hashable {
        var occupancy: Occupancy
        var room: String
        var sell: Amount
    }

    private func keeps(_ priced: PricedSupplierOffer) -> Bool {
        if query.refundableOnly && !priced.offer.refundable { return false }
        if let boards = query.boards, !boards.contains(priced.offer.board) { return false }
        return true
    }

    private func starsKept(_ stars: Int?) -> Bool {
        guard query.minStars != nil || query.maxStars != nil else { return true }
        guard let stars else { return false }
        return stars >= (query.minStars ?? 0) && stars <= (query.maxStars ?? 5)
    }

    /// One offer per equal room (same room name, board and refundability): the cheaper, then the
    /// better-ranked supplier, then the supplier code; cheapest first.
    private func best(_ offers: [PricedSupplierOffer], hotel: Int64) -> [RoomOffer] {
        let equal = Dictionary(grouping: offers, by: \.room)
        let leaders = equal.values.compactMap { group in
            group.min { a, b in
                if a.sell != b.sell { return a.sell < b.sell }
                let (rankA, rankB) = (rank(hotel, a.offer.supplier), rank(hotel, b.offer.supplier))
                return rankA != rankB ? rankA < rankB : a.offer.supplier < b.offer.supplier
            }
        }
        return leaders.sorted { $0.sell != $1.sell ? $0.sell < $1.sell : $0.offer.roomName < $1.offer.roomName }.map(roomOffer)
    }

    private func roomOffer(_ priced: PricedSupplierOffer) -> RoomOffer {
        RoomOffer(source: priced, total: Money(priced.sell, query.currency), nights: query.nights)
    }

    private func sort(_ hotels: [AssembledHotel]) -> [AssembledHotel] {
        switch query.sort {
        case .price:
            hotels.sorted { $0.cheapest.amount != $1.cheapest.amount ? $0.cheapest.amount < $1.cheapest.amount : $0.hotel.id < $1.hotel.id }
        case .distance:
            hotels.sorted { ($0.hotel.distanceMetres ?? .infinity, $0.hotel.id) < ($1.hotel.distanceMetres ?? .infinity, $1.hotel.id) }
        case .rating:
            hotels.sorted { a, b in
                let (starsA, starsB) = (a.hotel.stars ?? 0, b.hotel.stars ?? 0)
                if starsA != starsB { return starsA > starsB }
                return a.cheapest.amount != b.cheapest.amount ? a.cheapest.amount < b.cheapest.amount : a.hotel.id < b.hotel.id
            }
        }
    }
}
