// What one simulated supplier does, whatever protocol it is asked in: search, check a rate, book,
// read and cancel bookings, page its content. Protocol controllers translate to and from this.

import FoundationEssentials
import Shared

enum DeskError: Error, Equatable {
    case invalidRequest(String)
    case invalidRateKey
    case soldOut
    case priceChanged(net: Amount)
    case requiresRateCheck
    case bookingNotFound(String)
    case alreadyCancelled(String)
}

struct SupplierDesk: Sendable {
    let supplier: SimulatedSupplier
    let catalog: SupplierCatalog
    let ledger: BookingLedger
    var planner: RatePlanner { RatePlanner(supplier: supplier) }

    static let maximumNights = 30
    static let maximumHotelsPerSearch = 2000

    func validateStay(checkIn: CalendarDate, checkOut: CalendarDate, occupancy: Occupancy, now: Date) throws(DeskError) {
        let nights = checkIn.nights(until: checkOut)
        guard nights >= 1 else { throw .invalidRequest("checkOut must be after checkIn") }
        guard nights <= Self.maximumNights else { throw .invalidRequest("a stay is at most \(Self.maximumNights) nights") }
        guard checkIn >= CalendarDate(utc: now) else { throw .invalidRequest("checkIn \(checkIn) is in the past") }
        guard (1...4).contains(occupancy.adults) else { throw .invalidRequest("adults must be 1 to 4") }
        guard occupancy.childrenAges.count <= 3, occupancy.childrenAges.allSatisfy({ (0...17).contains($0) }) else {
            throw .invalidRequest("at most 3 children, aged 0 to 17")
        }
    }

    /// Offers per hotel, for hotel codes (unknown codes are skipped, as bed banks do) or an area.
    func availability(hotelCodes: [String]?, area: GeoArea?, checkIn: CalendarDate, checkOut: CalendarDate, occupancy: Occupancy, now: Date)
        async throws(DeskError) -> [(CatalogEntry, [SupplierOffer])]
    {
        try validateStay(checkIn: checkIn, checkOut: checkOut, occupancy: occupancy, now: now)
        let entries: [CatalogEntry]
        if let hotelCodes, !hotelCodes.isEmpty {
            guard hotelCodes.count <= Self.maximumHotelsPerSearch else { throw .invalidRequest("at most \(Self.maximumHotelsPerSearch) hotel codes per search") }
            entries = hotelCodes.compactMap(catalog.entry(code:))
        } else if let area {
            guard (-90...90).contains(area.latitude), (-180...180).contains(area.longitude), area.radiusKm > 0, area.radiusKm <= 50 else {
                throw .invalidRequest("a geolocation needs a latitude, a longitude and a radius of at most 50 km")
            }
            entries = catalog.near(latitude: area.latitude, longitude: area.longitude, radiusKm: area.radiusKm)
        } else {
            throw .invalidRequest("give hotel codes or a geolocation")
        }
        var results: [(CatalogEntry, [SupplierOffer])] = []
        for entry in entries {
            let sold = await ledger.soldRooms(supplier: supplier.code, hotel: entry.hotel.code)
            let offers = planner.offers(for: entry, checkIn: checkIn, checkOut: checkOut, occupancy: occupancy, now: now) { room, night in
                sold[BookingLedger.nightKey(supplier.code, entry.hotel.code, room, night)] ?? 0
            }
            if !offers.isEmpty { results.append((entry, offers)) }
        }
        return results
    }

    /// The rate as sold now, with a checked key to book it by.
    func check(rateKey text: String, now: Date) async throws(DeskError) -> (status: RateCheckStatus, offer: SupplierOffer, entry: CatalogEntry) {
        var (key, entry, room) = try resolve(text)
        key.checked = true
        let offer = try await current(key, entry: entry, room: room, now: now)
        return (offer.net == Amount(minorUnits: key.netMinorUnits) ? .available : .priceChanged, offer, entry)
    }

    func book(rateKey text: String, clientReference: String, holder: Guest, now: Date) async throws(DeskError) -> (SupplierBooking, CatalogEntry) {
        guard !clientReference.isEmpty, clientReference.count <= 64 else { throw .invalidRequest("clientReference must be 1 to 64 characters") }
        guard !holder.givenName.isEmpty, !holder.surname.isEmpty else { throw .invalidRequest("the holder needs a name and a surname") }
        let (key, entry, room) = try resolve(text)
        if FaultInjector.soldOut { throw .soldOut }
        let offer = try await current(key, entry: entry, room: room, now: now)
        guard !(offer.rateType == .recheck && !key.checked) else { throw .requiresRateCheck }
        guard offer.net == Amount(minorUnits: key.netMinorUnits) else { throw .priceChanged(net: offer.net) }
        return (await ledger.book(offer, key: key, clientReference: clientReference, holder: holder), entry)
    }

    func cancel(reference: String, simulate: Bool, now: Date) async throws(DeskError) -> (SupplierBooking, penalty: Amount) {
        switch await ledger.cancel(supplier: supplier.code, reference: reference, simulate: simulate, at: now) {
        case .notFound: throw .bookingNotFound(reference)
        case .alreadyCancelled: throw .alreadyCancelled(reference)
        case .cancelled(let booking, let penalty), .quoted(let booking, let penalty): return (booking, penalty)
        }
    }

    func booking(reference: String) async throws(DeskError) -> SupplierBooking {
        guard let booking = await ledger.booking(supplier: supplier.code, reference: reference) else { throw .bookingNotFound(reference) }
        return booking
    }

    func bookings(clientReference: String) async -> [SupplierBooking] {
        await ledger.bookings(supplier: supplier.code, clientReference: clientReference)
    }

    func hotelName(_ code: String) -> String { catalog.entry(code: code)?.hotel.name ?? "" }

    private func resolve(_ text: String) throws(DeskError) -> (RateKey, CatalogEntry, RoomType) {
        guard let key = RateKey(text), let entry = catalog.entry(code: key.hotelCode), let room = RoomType.named(key.roomCode),
            RoomType.forHotel(entry.real.id).contains(where: { $0.code == room.code }),
            planner.ratePlans(entry.real).contains(where: { $0 == (key.board, key.refundable) })
        else { throw .invalidRateKey }
        return (key, entry, room)
    }

    /// The offer for `key` now, or sold out.
    private func current(_ key: RateKey, entry: CatalogEntry, room: RoomType, now: Date) async throws(DeskError) -> SupplierOffer {
        let sold = await ledger.soldRooms(supplier: supplier.code, hotel: entry.hotel.code)
        let left = key.checkIn.nightsUntil(key.checkOut).map {
            RatePlanner.allotment(supplier: supplier.code, hotelCode: entry.hotel.code, room: room.code, night: $0)
                - (sold[BookingLedger.nightKey(supplier.code, entry.hotel.code, room.code, $0)] ?? 0)
        }.min() ?? 0
        guard left > 0 else { throw .soldOut }
        return planner.offer(entry, room: room, key: key, allotment: left, now: now)
    }
}
