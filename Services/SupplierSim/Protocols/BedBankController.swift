// The bed-bank JSON protocol of the simulated suppliers that speak it:
//   POST   /{supplier}/hotel-api/1.0/hotels                  availability by hotel codes or geolocation
//   POST   /{supplier}/hotel-api/1.0/checkrates              rate check
//   POST   /{supplier}/hotel-api/1.0/bookings                book
//   GET    /{supplier}/hotel-api/1.0/bookings/{reference}    booking detail
//   GET    /{supplier}/hotel-api/1.0/bookings?clientReference=...
//   DELETE /{supplier}/hotel-api/1.0/bookings/{reference}?cancellationFlag=SIMULATION|CANCELLATION
//   GET    /{supplier}/hotel-content-api/1.0/hotels?from=1&to=1000
// Every call needs `Api-key` and `X-Signature` (BedBankSignature).

import FoundationEssentials
import Hummingbird
import Shared
import SupplierProtocols

struct BedBankController: Sendable {
    let desks: [String: SupplierDesk]
    let credentials: SimulatorCredentials
    let faults: FaultInjector
    let clock: @Sendable () -> Date

    func add(to router: Router<PlatformRequestContext>) {
        let api = router.group(":supplier/\(BedBank.apiPath)")
        api.post("hotels") { request, context in try await serve(request, context) { desk in try await availability(desk, request) } }
        api.post("checkrates") { request, context in try await serve(request, context) { desk in try await checkRate(desk, request) } }
        api.post("bookings") { request, context in try await serve(request, context, booking: true) { desk in try await book(desk, request) } }
        api.get("bookings") { request, context in
            try await serve(request, context) { desk in
                guard let reference = request.uri.queryParameters["clientReference"].map(String.init), !reference.isEmpty else {
                    throw DeskError.invalidRequest("give clientReference")
                }
                let bookings = await desk.bookings(clientReference: reference).map { render($0, desk: desk, cancellation: nil) }
                return SimulatorResponse.json(BedBank.BookingListResponse(bookings: .init(total: bookings.count, bookings: bookings)))
            }
        }
        api.get("bookings/:reference") { request, context in
            try await serve(request, context) { desk in
                let booking = try await desk.booking(reference: context.parameters.get("reference") ?? "")
                return SimulatorResponse.json(BedBank.BookingResponse(booking: render(booking, desk: desk, cancellation: nil)))
            }
        }
        api.delete("bookings/:reference") { request, context in
            try await serve(request, context) { desk in
                let flag = request.uri.queryParameters["cancellationFlag"].map(String.init) ?? "CANCELLATION"
                guard flag == "SIMULATION" || flag == "CANCELLATION" else { throw DeskError.invalidRequest("cancellationFlag must be SIMULATION or CANCELLATION") }
                let (booking, penalty) = try await desk.cancel(reference: context.parameters.get("reference") ?? "", simulate: flag == "SIMULATION", now: clock())
                return SimulatorResponse.json(BedBank.BookingResponse(booking: render(booking, desk: desk, cancellation: penalty)))
            }
        }
        api.get("statements") { request, context in
            try await serve(request, context) { desk in
                let export = await desk.ledger.statement(supplier: desk.supplier.code, period: try request.statementPeriod())
                return SupplierStatementCSV.table(export.rows).response(filename: "\(desk.supplier.code)-statement.csv")
            }
        }
        router.get(":supplier/\(BedBank.contentPath)/hotels") { request, context in
            try await serve(request, context) { desk in
                let from = request.uri.queryParameters["from"].flatMap { Int($0) } ?? 1
                let to = request.uri.queryParameters["to"].flatMap { Int($0) } ?? from + 99
                guard from >= 1, to >= from, to - from < 1000 else { throw DeskError.invalidRequest("from and to: 1 <= from <= to, at most 1000 hotels a page") }
                let entries = desk.catalog.entries.dropFirst(from - 1).prefix(to - from + 1)
                return SimulatorResponse.json(BedBank.ContentResponse(
                    from: from, to: from + entries.count - 1, total: desk.catalog.entries.count, hotels: entries.map { content($0.hotel) }))
            }
        }
    }

    /// Authenticates, applies the supplier's faults, runs `handler` and maps its errors to bed-bank errors.
    func serve(_ request: Request, _ context: PlatformRequestContext, booking: Bool = false, _ handler: (SupplierDesk) async throws -> Response)
        async throws -> Response
    {
        guard let code = context.parameters.get("supplier"), let desk = desks[code] else {
            return error(.notFound, "NOT_FOUND", "no bed-bank supplier at this path")
        }
        guard let key = request.headers[.apiKey], let signature = request.headers[.signature], key == credentials.key(code),
            BedBankSignature.verify(signature, key: key, secret: credentials.secret(code), now: Int(clock().timeIntervalSince1970))
        else {
            return error(.unauthorized, "AUTHENTICATION", "Api-key unknown or X-Signature not SHA-256(key + secret + Unix seconds) within \(BedBankSignature.allowedSkewSeconds) s")
        }
        return try await faults.run(code, booking: booking, error: { error(.internalServerError, "SYSTEM_ERROR", "internal supplier error") },
                                    malformed: { SimulatorResponse.malformed(contentType: "application/json", sample: #"{"hotels":{"checkIn":"2026-12-01","hotels":[{"code":"1"}]}}"#) }) {
            do {
                return try await handler(desk)
            } catch let failure as DeskError {
                return map(failure)
            } catch let failure as DecodingError {
                return error(.badRequest, "INVALID_REQUEST", DecodingErrorText.describe(failure))
            }
        }
    }

    func decode<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T {
        try PlatformJSON.decoder.decode(T.self, from: Data(buffer: try await SimulatorResponse.body(request)))
    }

    func availability(_ desk: SupplierDesk, _ request: Request) async throws -> Response {
        let query = try await decode(BedBank.AvailabilityRequest.self, request)
        guard query.occupancies.count == 1, let occupancy = query.occupancies.first, occupancy.rooms == 1 else {
            throw DeskError.invalidRequest("one occupancy of one room per request")
        }
        let ages = (occupancy.paxes ?? []).filter { $0.type == "CH" }.compactMap(\.age)
        guard ages.count == occupancy.children else { throw DeskError.invalidRequest("give the age of each child as a CH pax") }
        let guests = Occupancy(adults: occupancy.adults, childrenAges: ages)
        let area = query.geolocation.map { GeoArea(latitude: $0.latitude, longitude: $0.longitude, radiusKm: $0.unit == "m" ? $0.radius / 1000 : $0.radius) }
        let results = try await desk.availability(
            hotelCodes: query.hotels?.hotel, area: area, checkIn: query.stay.checkIn, checkOut: query.stay.checkOut,
            occupancy: guests, now: clock())
        let hotels = results.map { entry, offers in hotel(entry.hotel, offers: offers, currency: desk.supplier.currency, stay: nil, occupancy: guests) }
        return SimulatorResponse.json(BedBank.AvailabilityResponse(hotels: .init(checkIn: query.stay.checkIn, checkOut: query.stay.checkOut, total: hotels.count, hotels: hotels)))
    }

    func checkRate(_ desk: SupplierDesk, _ request: Request) async throws -> Response {
        let body = try await decode(BedBank.CheckRateRequest.self, request)
        guard body.rooms.count == 1, let rateKey = body.rooms.first?.rateKey else { throw DeskError.invalidRequest("check one rateKey per request") }
        let (_, offer, entry) = try await desk.check(rateKey: rateKey, now: clock())
        let key = RateKey(offer.rateKey)
        return SimulatorResponse.json(BedBank.CheckRateResponse(hotel: hotel(entry.hotel, offers: [offer], currency: offer.currency, stay: key.map { ($0.checkIn, $0.checkOut) },
                                                                             occupancy: key?.occupancy)))
    }

    func book(_ desk: SupplierDesk, _ request: Request) async throws -> Response {
        let body = try await decode(BedBank.BookingRequest.self, request)
        guard body.rooms.count == 1, let rateKey = body.rooms.first?.rateKey else { throw DeskError.invalidRequest("book one rateKey per request") }
        let (booking, _) = try await desk.book(rateKey: rateKey, clientReference: body.clientReference,
                                               holder: Guest(givenName: body.holder.name, surname: body.holder.surname), now: clock())
        return SimulatorResponse.json(BedBank.BookingResponse(booking: render(booking, desk: desk, cancellation: nil)))
    }

    /// `occupancy`: the guests every offer is for (nil: two adults).
    func hotel(_ hotel: SupplierHotel, offers: [SupplierOffer], currency: String, stay: (CalendarDate, CalendarDate)?, occupancy: Occupancy?) -> BedBank.Hotel {
        let rooms = Dictionary(grouping: offers, by: \.roomCode).sorted { $0.key < $1.key }.map { code, offers in
            BedBank.Room(code: code, name: offers[0].roomName, rates: offers.map { rate($0, occupancy: occupancy) })
        }
        return BedBank.Hotel(
            code: hotel.code, name: hotel.name, categoryCode: BedBank.category(stars: hotel.stars), destinationName: hotel.city,
            latitude: String(hotel.latitude), longitude: String(hotel.longitude), currency: currency, checkIn: stay?.0, checkOut: stay?.1,
            totalNet: stay == nil ? nil : offers.first?.net, rooms: rooms)
    }

    func rate(_ offer: SupplierOffer, occupancy: Occupancy?) -> BedBank.Rate {
        BedBank.Rate(
            rateKey: offer.rateKey, rateClass: offer.refundable ? "NOR" : "NRF", rateType: offer.rateType.rawValue, net: offer.net,
            sellingRate: offer.sellingRate, hotelMandatory: offer.sellingRate != nil, allotment: offer.allotment ?? 1, boardCode: offer.board.rawValue,
            boardName: BedBank.boardNames[offer.board] ?? offer.board.rawValue, rooms: 1, adults: occupancy?.adults ?? 2, children: occupancy?.childrenAges.count ?? 0,
            cancellationPolicies: offer.cancellationPolicies.map { BedBank.CancellationPolicy(amount: $0.amount, from: $0.from) })
    }

    func render(_ booking: SupplierBooking, desk: SupplierDesk, cancellation: Amount?) -> BedBank.Booking {
        let rate = BedBank.Rate(
            rateKey: nil, rateClass: nil, rateType: nil, net: booking.net, sellingRate: nil, hotelMandatory: nil, allotment: nil,
            boardCode: booking.board.rawValue, boardName: BedBank.boardNames[booking.board] ?? "", rooms: 1, adults: nil, children: nil,
            cancellationPolicies: booking.cancellationPolicies.map { BedBank.CancellationPolicy(amount: $0.amount, from: $0.from) })
        let hotel = BedBank.Hotel(
            code: booking.hotelCode, name: desk.hotelName(booking.hotelCode), categoryCode: nil, destinationName: nil, latitude: nil, longitude: nil,
            currency: booking.currency, checkIn: booking.checkIn, checkOut: booking.checkOut, totalNet: booking.net,
            rooms: [BedBank.Room(code: booking.roomCode, name: RoomType.named(booking.roomCode)?.name ?? "", rates: [rate])])
        return BedBank.Booking(
            reference: booking.reference, clientReference: booking.clientReference, creationDate: nil, status: booking.status.rawValue,
            holder: .init(name: booking.holder.givenName, surname: booking.holder.surname), hotel: hotel, totalNet: booking.net, currency: booking.currency,
            cancellationAmount: cancellation)
    }

    func content(_ hotel: SupplierHotel) -> BedBank.ContentHotel {
        BedBank.ContentHotel(
            code: hotel.code, name: .init(hotel.name), countryCode: hotel.countryCode, city: .init(hotel.city), address: .init(hotel.address),
            coordinates: .init(latitude: hotel.latitude, longitude: hotel.longitude), categoryCode: BedBank.category(stars: hotel.stars), chainCode: hotel.chain)
    }

    func map(_ failure: DeskError) -> Response {
        switch failure {
        case .invalidRequest(let message): error(.badRequest, "INVALID_REQUEST", message)
        case .invalidRateKey: error(.badRequest, "INVALID_RATEKEY", "the rateKey is not one of ours or no longer valid")
        case .soldOut: error(.conflict, "INSUFFICIENT_ALLOTMENT", "no rooms left at this rate")
        case .priceChanged(let net): error(.conflict, "PRICE_CHANGED", "the rate now costs \(net): check it again")
        case .requiresRateCheck: error(.badRequest, "RATE_REQUIRES_CHECK", "RECHECK rates must pass checkrates before booking")
        case .bookingNotFound(let reference): error(.notFound, "BOOKING_NOT_FOUND", "no booking \(reference)")
        case .alreadyCancelled(let reference): error(.conflict, "BOOKING_ALREADY_CANCELLED", "booking \(reference) is already cancelled")
        }
    }

    func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        SimulatorResponse.json(BedBank.ErrorResponse(code: code, message: message), status: status)
    }
}
