// Whether a stay can be sold from the calendar, and if not, why: every night of it loaded, priced
// in the rate plan, not stopped, with the rooms free, and at least its release days ahead of today;
// the arrival night open to arrivals and its minimum stay met (minimum stay counts on arrival).
// The SQL that sells (SellableNight) applies the same rules; these explain a refusal.

import FoundationEssentials
import Shared

/// One night of a room type as the calendar holds it, with its price in one rate plan.
struct CalendarNight: Sendable, Equatable {
    var night: CalendarDate
    var allotment: Int
    var sold: Int
    var held: Int
    var stopSell: Bool
    var minStay: Int
    var closedToArrival: Bool
    var releaseDays: Int
    var price: Amount?

    var free: Int { allotment - sold - held }
}

enum StayRefusal: String, Sendable, Equatable {
    case notLoaded = "night_not_loaded", noPrice = "no_price", stopSell = "stop_sell", soldOut = "sold_out"
    case releasePeriod = "release_period", closedToArrival = "closed_to_arrival", minimumStay = "minimum_stay"

    var detail: String {
        switch self {
        case .notLoaded: "The hotel has not loaded this night."
        case .noPrice: "The rate plan has no price for this night."
        case .stopSell: "Sales are stopped for this night."
        case .soldOut: "Not enough rooms are left for this night."
        case .releasePeriod: "This night is inside its release period: it can no longer be sold."
        case .closedToArrival: "Arrivals are closed on this night."
        case .minimumStay: "The stay is shorter than the minimum stay for arrivals on this night."
        }
    }
}

struct Stay: Sendable, Equatable {
    var checkIn: CalendarDate
    var checkOut: CalendarDate
    var rooms: Int

    var nights: Int { checkIn.nights(until: checkOut) }

    /// The first rule `calendar` (the stay's nights, any order) breaks, with the night; nil when sellable.
    func refusal(_ calendar: [CalendarNight], today: CalendarDate) -> (StayRefusal, CalendarDate)? {
        let byNight = Dictionary(calendar.map { ($0.night, $0) }) { first, _ in first }
        for date in checkIn.nightsUntil(checkOut) {
            guard let night = byNight[date] else { return (.notLoaded, date) }
            if night.price == nil { return (.noPrice, date) }
            if night.stopSell { return (.stopSell, date) }
            if night.free < rooms { return (.soldOut, date) }
            if date.dayNumber - today.dayNumber < night.releaseDays { return (.releasePeriod, date) }
            if date == checkIn && night.closedToArrival { return (.closedToArrival, date) }
            if date == checkIn && night.minStay > nights { return (.minimumStay, date) }
        }
        return nil
    }

    /// What the stay costs for all its rooms; nil when a night has no price.
    func net(_ calendar: [CalendarNight]) -> Amount? {
        var total = Amount.zero
        for night in calendar where night.night >= checkIn && night.night < checkOut {
            guard let price = night.price else { return nil }
            total = total + price
        }
        return Amount(total.value * Decimal(rooms))
    }
}

/// The rules above in SQL, over `inventory.nights` as `n`: a night that can be sold to a stay.
enum SellableNight {
    /// Parameters: rooms, today, check-in, nights of the stay (their `$n` placeholders).
    static func condition(rooms: String, today: String, checkIn: String, nights: String) -> String {
        """
        (NOT n.stop_sell AND n.allotment - n.sold - n.held >= \(rooms) AND n.night - \(today)::date >= n.release_days
         AND (n.night <> \(checkIn)::date OR (NOT n.closed_to_arrival AND n.min_stay <= \(nights))))
        """
    }
}
