// What a simulated supplier offers for a hotel, stay and occupancy: room types, boards, refundable
// and non-refundable rates, nightly prices, allotment and cancellation terms. Everything follows
// from the hotel, the dates and the supplier, so a rate key can always be priced again.

import FoundationEssentials
import Shared

struct RatePlanner: Sendable {
    let supplier: SimulatedSupplier

    /// Rooms of one type, night and supplier that were ever for sale (before bookings).
    static func allotment(supplier: String, hotelCode: String, room: String, night: CalendarDate) -> Int {
        Int(StableHash.unit("allot", supplier, hotelCode, room, night.description) * 7)  // 0...6, 0 = sold out
    }

    /// What every rate of one hotel for one stay shares, worked out once rather than per rate (a
    /// city's answer has a thousand rates).
    struct HotelStay {
        /// Each night's demand, 0.85 to 1.2.
        let demand: [Double]
        /// This supplier's price level at the hotel, 0.94 to 1.06.
        let margin: Double
        /// The hotel's rates have a mandatory selling rate at this supplier.
        let mandatory: Bool
        /// Refundable rates are free until this many days before arrival.
        let freeUntilDaysBefore: Int
    }

    func stay(_ entry: CatalogEntry, nights: [CalendarDate]) -> HotelStay {
        let id = String(entry.real.id)
        return HotelStay(
            demand: nights.map { 0.85 + 0.35 * StableHash.unit("night", id, $0.description) },
            margin: 0.94 + 0.12 * StableHash.unit("margin", supplier.code, id),
            mandatory: StableHash.unit("mandatory", supplier.code, id) < 0.15,
            freeUntilDaysBefore: 1 + Int(StableHash.unit("deadline", supplier.code, entry.hotel.code) * 7))
    }

    /// Every rate of `entry` for the stay; rooms sold out on any night are left out. `booked`
    /// says how many rooms of a type the supplier has already sold for a night.
    func offers(for entry: CatalogEntry, checkIn: CalendarDate, checkOut: CalendarDate, occupancy: Occupancy, now: Date,
                booked: (String, CalendarDate) -> Int) -> [SupplierOffer] {
        let nights = checkIn.nightsUntil(checkOut)
        guard !nights.isEmpty else { return [] }
        let stay = stay(entry, nights: nights)
        var offers: [SupplierOffer] = []
        for room in RoomType.forHotel(entry.real.id) where occupancy.adults + occupancy.childrenAges.count <= room.maxAdults + 1 && occupancy.adults <= room.maxAdults {
            let left = nights.map { Self.allotment(supplier: supplier.code, hotelCode: entry.hotel.code, room: room.code, night: $0) - booked(room.code, $0) }.min() ?? 0
            guard left > 0 else { continue }
            for (board, refundable) in ratePlans(entry.real) {
                let key = RateKey(hotelCode: entry.hotel.code, roomCode: room.code, board: board, refundable: refundable, checkIn: checkIn,
                                  checkOut: checkOut, occupancy: occupancy, netMinorUnits: 0, checked: false)
                offers.append(offer(entry, room: room, key: key, allotment: left, now: now, stay: stay))
            }
        }
        return offers
    }

    /// The offer for a rate key as the supplier would price it now (`checked` keys carry the rechecked price).
    func offer(_ entry: CatalogEntry, room: RoomType, key: RateKey, allotment: Int, now: Date, stay known: HotelStay? = nil) -> SupplierOffer {
        var key = key
        let stay = known ?? stay(entry, nights: key.checkIn.nightsUntil(key.checkOut))
        let nightly = stay.demand.map { nightPrice(entry, room: room, board: key.board, refundable: key.refundable, demand: $0, margin: stay.margin, occupancy: key.occupancy) }
        var net = nightly.reduce(0, +)
        let identity = key.rateIdentity
        let recheck = StableHash.unit("recheck", supplier.code, identity) < 0.2
        if key.checked, recheck, StableHash.unit("reprice", supplier.code, identity) < 0.3 {
            net = net * (103 + Int(StableHash.unit("by", identity) * 6)) / 100  // the rate check finds a higher price
        }
        key.netMinorUnits = net
        return SupplierOffer(
            supplier: supplier.code, hotelCode: entry.hotel.code, roomCode: room.code, roomName: room.name, board: key.board, refundable: key.refundable,
            cancellationPolicies: policies(key: key, firstNight: nightly.first ?? 0, total: net, freeUntilDaysBefore: stay.freeUntilDaysBefore, now: now),
            net: Amount(minorUnits: net), sellingRate: stay.mandatory ? Amount(minorUnits: net * 6 / 5) : nil, currency: supplier.currency,
            rateKey: key.text(identity: identity), rateType: recheck && !key.checked ? .recheck : .bookable, allotment: allotment)
    }

    func ratePlans(_ hotel: RealHotel) -> [(Board, Bool)] {
        var plans: [(Board, Bool)] = [(.roomOnly, true), (.bedAndBreakfast, true), (.bedAndBreakfast, false)]
        if hotel.stars >= 4 { plans.append((.halfBoard, true)) }
        return plans
    }

    /// Minor units of the supplier's currency for one night of `demand` (`HotelStay`).
    func nightPrice(_ entry: CatalogEntry, room: RoomType, board: Board, refundable: Bool, demand: Double, margin: Double, occupancy: Occupancy) -> Int {
        let base: Double = switch entry.real.stars {
        case 1: 40
        case 2: 55
        case 3: 80
        case 4: 120
        case 5: 200
        default: 80
        }
        let boardFactor: Double = switch board {
        case .roomOnly: 1
        case .bedAndBreakfast: 1.12
        case .halfBoard: 1.3
        case .fullBoard: 1.45
        case .allInclusive: 1.7
        }
        let guests = 1 + 0.3 * Double(max(0, occupancy.adults - 2)) + 0.15 * Double(occupancy.childrenAges.count)
        let euros = base * entry.real.city.priceLevel * room.factor * boardFactor * (refundable ? 1 : 0.9) * demand * margin * guests
        return Int((euros * supplier.euroRate * 100).rounded())
    }

    /// Refundable: free until 1-7 days before arrival (noon UTC), then the first night. Non-refundable: everything from now.
    func policies(key: RateKey, firstNight: Int, total: Int, freeUntilDaysBefore: Int, now: Date) -> [CancellationPolicy] {
        guard key.refundable else { return [CancellationPolicy(from: Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down)), amount: Amount(minorUnits: total))] }
        return [CancellationPolicy(from: key.checkIn.adding(days: -freeUntilDaysBefore).instant(hour: 12), amount: Amount(minorUnits: firstNight))]
    }
}
