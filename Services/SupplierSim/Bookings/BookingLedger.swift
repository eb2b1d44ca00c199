// The bookings the simulated suppliers made, in memory for the life of the process: looked up by
// reference or by the client's reference, cancelled with a penalty, and counted against allotment.
// Like real suppliers it accepts the same client reference twice: avoiding a double booking is the
// caller's job, and the tests check that it does.

import FoundationEssentials
import Shared

actor BookingLedger {
    private var bookings: [String: [String: SupplierBooking]] = [:]  // supplier -> reference -> booking
    private var order: [String: [String]] = [:]  // supplier -> references in booking order
    /// "supplier|hotel" -> "supplier|hotel|room|night" -> rooms sold (a hotel's look-up is one hash, however many bookings there are).
    private var roomsSold: [String: [String: Int]] = [:]
    /// "supplier|client reference" -> references, in booking order.
    private var byClientReference: [String: [String]] = [:]
    private var sequence = 0
    /// supplier -> reference -> the penalty charged when it was cancelled.
    private var penalties: [String: [String: Amount]] = [:]

    static func nightKey(_ supplier: String, _ hotel: String, _ room: String, _ night: CalendarDate) -> String {
        "\(supplier)|\(hotel)|\(room)|\(night)"
    }

    /// Rooms sold per (room type, night) of one hotel, for pricing availability.
    func soldRooms(supplier: String, hotel: String) -> [String: Int] {
        roomsSold["\(supplier)|\(hotel)"] ?? [:]
    }

    func book(_ offer: SupplierOffer, key: RateKey, clientReference: String, holder: Guest) -> SupplierBooking {
        sequence += 1
        let reference = offer.supplier == "otaconnect" ? "OTC\(7_000_000 + sequence)" : "\(100 + sequence % 900)-\(4_000_000 + sequence)"
        let booking = SupplierBooking(
            supplier: offer.supplier, reference: reference, clientReference: clientReference, status: .confirmed, hotelCode: offer.hotelCode,
            roomCode: offer.roomCode, board: offer.board, checkIn: key.checkIn, checkOut: key.checkOut, holder: holder, net: offer.net,
            currency: offer.currency, cancellationPolicies: offer.cancellationPolicies)
        bookings[offer.supplier, default: [:]][reference] = booking
        order[offer.supplier, default: []].append(reference)
        byClientReference["\(offer.supplier)|\(clientReference)", default: []].append(reference)
        for night in key.checkIn.nightsUntil(key.checkOut) {
            roomsSold["\(offer.supplier)|\(offer.hotelCode)", default: [:]][Self.nightKey(offer.supplier, offer.hotelCode, offer.roomCode, night), default: 0] += 1
        }
        return booking
    }

    func booking(supplier: String, reference: String) -> SupplierBooking? { bookings[supplier]?[reference] }

    func bookings(supplier: String, clientReference: String) -> [SupplierBooking] {
        (byClientReference["\(supplier)|\(clientReference)"] ?? []).compactMap { bookings[supplier]?[$0] }
    }

    func all(supplier: String) -> [SupplierBooking] { (order[supplier] ?? []).compactMap { bookings[supplier]?[$0] } }

    /// The supplier's statement for `period`, with its planted mistakes.
    func statement(supplier: String, period: StatementPeriod) -> StatementExport {
        StatementExport.make(supplier: supplier, bookings: all(supplier: supplier), penalties: penalties[supplier] ?? [:], period: period)
    }

    enum CancelOutcome {
        case notFound
        case alreadyCancelled(SupplierBooking)
        case cancelled(SupplierBooking, penalty: Amount)
        case quoted(SupplierBooking, penalty: Amount)
    }

    /// Cancels (or, when `simulate`, only prices the cancellation of) a booking at `moment`.
    func cancel(supplier: String, reference: String, simulate: Bool, at moment: Date) -> CancelOutcome {
        guard var booking = bookings[supplier]?[reference] else { return .notFound }
        guard booking.status == .confirmed else { return .alreadyCancelled(booking) }
        let penalty = CancellationPolicy.penalty(booking.cancellationPolicies, at: moment)
        if simulate { return .quoted(booking, penalty: penalty) }
        booking.status = .cancelled
        bookings[supplier]?[reference] = booking
        penalties[supplier, default: [:]][reference] = penalty
        for night in booking.checkIn.nightsUntil(booking.checkOut) {
            roomsSold["\(supplier)|\(booking.hotelCode)", default: [:]][Self.nightKey(supplier, booking.hotelCode, booking.roomCode, night), default: 1] -= 1
        }
        return .cancelled(booking, penalty: penalty)
    }
}
