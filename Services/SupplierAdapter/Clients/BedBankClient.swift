// The bed-bank JSON protocol (SupplierProtocols.BedBank) as a SupplierClient: signed requests,
// answers checked field by field, the bed bank's error codes turned into SupplierFailure.

import FoundationEssentials
import NIOHTTP1
import Shared
import SupplierProtocols

struct BedBankClient: SupplierClient {
    let supplier: String
    let baseURL: String
    let credentials: SupplierCredentials
    let transport: SupplierTransport
    let clock: @Sendable () -> Date

    static let contentPageSize = 1000

    func availability(_ query: AvailabilityQuery, timeout: Duration) async throws(SupplierFailure) -> [SupplierOffer] {
        let request = BedBank.AvailabilityRequest(
            stay: .init(checkIn: query.checkIn, checkOut: query.checkOut),
            occupancies: [.init(rooms: 1, adults: query.occupancy.adults, children: query.occupancy.childrenAges.count,
                                paxes: query.occupancy.childrenAges.isEmpty ? nil : query.occupancy.childrenAges.map { .init(type: "CH", age: $0) })],
            hotels: query.hotelCodes.map { .init(hotel: $0) },
            geolocation: query.area.map { .init(latitude: $0.latitude, longitude: $0.longitude, radius: $0.radiusKm) })
        let response = try await call(.POST, "\(BedBank.apiPath)/hotels", body: request, as: BedBank.AvailabilityResponse.self, timeout: timeout)
        var offers: [SupplierOffer] = []
        for hotel in response.hotels.hotels { offers += try self.offers(hotel, currency: hotel.currency) }
        return offers
    }

    func checkRate(_ rateKey: String, timeout: Duration) async throws(SupplierFailure) -> SupplierOffer {
        let response = try await call(.POST, "\(BedBank.apiPath)/checkrates", body: BedBank.CheckRateRequest(rooms: [.init(rateKey: rateKey)]),
                                      as: BedBank.CheckRateResponse.self, timeout: timeout)
        guard let offer = try offers(response.hotel, currency: response.hotel.currency).first else { throw .malformed("checkrates answered without a rate") }
        return offer
    }

    func book(_ request: SupplierBookingRequest, timeout: Duration) async throws(SupplierFailure) -> SupplierBooking {
        let body = BedBank.BookingRequest(
            holder: .init(name: request.holder.givenName, surname: request.holder.surname), rooms: [.init(rateKey: request.rateKey)],
            clientReference: request.clientReference, remark: request.remark)
        return try booking(try await call(.POST, "\(BedBank.apiPath)/bookings", body: body, as: BedBank.BookingResponse.self, timeout: timeout).booking)
    }

    func bookings(clientReference: String, timeout: Duration) async throws(SupplierFailure) -> [SupplierBooking] {
        let path = "\(BedBank.apiPath)/bookings?clientReference=\(clientReference.percentEncoded)"
        return try await call(.GET, path, as: BedBank.BookingListResponse.self, timeout: timeout).bookings.bookings
            .map { booking throws(SupplierFailure) in try self.booking(booking) }
    }

    func booking(reference: String, timeout: Duration) async throws(SupplierFailure) -> SupplierBooking {
        try booking(try await call(.GET, "\(BedBank.apiPath)/bookings/\(reference.percentEncoded)",
                                   as: BedBank.BookingResponse.self, timeout: timeout).booking)
    }

    func cancel(reference: String, simulate: Bool, timeout: Duration) async throws(SupplierFailure) -> SupplierCancellation {
        let path = "\(BedBank.apiPath)/bookings/\(reference.percentEncoded)?cancellationFlag=\(simulate ? "SIMULATION" : "CANCELLATION")"
        let answer = try await call(.DELETE, path, as: BedBank.BookingResponse.self, timeout: timeout).booking
        let booking = try booking(answer)
        guard let penalty = answer.cancellationAmount else { throw .malformed("a cancellation answer without cancellationAmount") }
        return SupplierCancellation(supplier: supplier, reference: booking.reference, simulated: simulate, status: booking.status, penalty: penalty, currency: booking.currency)
    }

    func hotels(page: Int, timeout: Duration) async throws(SupplierFailure) -> SupplierHotelPage {
        let from = (page - 1) * Self.contentPageSize + 1
        let response = try await call(.GET, "\(BedBank.contentPath)/hotels?from=\(from)&to=\(from + Self.contentPageSize - 1)",
                                      as: BedBank.ContentResponse.self, timeout: timeout)
        let hotels = response.hotels.map {
            SupplierHotel(
                supplier: supplier, code: $0.code, name: $0.name.content, address: $0.address.content, city: $0.city.content, countryCode: $0.countryCode,
                latitude: $0.coordinates.latitude, longitude: $0.coordinates.longitude, stars: BedBank.stars(category: $0.categoryCode), chain: $0.chainCode)
        }
        return SupplierHotelPage(supplier: supplier, page: page, total: response.total, hotels: hotels, nextPage: response.to < response.total && !hotels.isEmpty ? page + 1 : nil)
    }

    func statement(from: CalendarDate, to: CalendarDate, timeout: Duration) async throws(SupplierFailure) -> [SupplierStatementRow] {
        let reply = try await send(.GET, "\(BedBank.apiPath)/statements?from=\(from)&to=\(to)", accept: "text/csv", timeout: timeout)
        guard (200..<300).contains(reply.status) else { throw failure(reply) }
        do { return try SupplierStatementCSV.rows(reply.text) } catch { throw .malformed("statement: \(error)") }
    }

    // MARK: mapping

    func offers(_ hotel: BedBank.Hotel, currency: String) throws(SupplierFailure) -> [SupplierOffer] {
        var offers: [SupplierOffer] = []
        for room in hotel.rooms {
            for rate in room.rates {
                guard let rateKey = rate.rateKey, let rateClass = rate.rateClass, let rateTypeText = rate.rateType else {
                    throw .malformed("rate of room \(room.code) at hotel \(hotel.code) lacks rateKey, rateClass or rateType")
                }
                guard let board = Board(rawValue: rate.boardCode) else { throw .malformed("unknown boardCode \(rate.boardCode)") }
                guard let rateType = RateType(rawValue: rateTypeText) else { throw .malformed("unknown rateType \(rateTypeText)") }
                offers.append(SupplierOffer(
                    supplier: supplier, hotelCode: hotel.code, roomCode: room.code, roomName: room.name, board: board, refundable: rateClass != "NRF",
                    cancellationPolicies: rate.cancellationPolicies.map { CancellationPolicy(from: $0.from, amount: $0.amount) }, net: rate.net,
                    sellingRate: rate.hotelMandatory == true ? rate.sellingRate : nil, currency: currency, rateKey: rateKey, rateType: rateType,
                    allotment: rate.allotment))
            }
        }
        return offers
    }

    func booking(_ booking: BedBank.Booking) throws(SupplierFailure) -> SupplierBooking {
        guard let status = SupplierBookingStatus(rawValue: booking.status) else { throw .malformed("unknown booking status \(booking.status)") }
        guard let room = booking.hotel.rooms.first, let rate = room.rates.first, let board = Board(rawValue: rate.boardCode),
            let checkIn = booking.hotel.checkIn, let checkOut = booking.hotel.checkOut
        else { throw .malformed("booking \(booking.reference) lacks its room, board or dates") }
        return SupplierBooking(
            supplier: supplier, reference: booking.reference, clientReference: booking.clientReference, status: status, hotelCode: booking.hotel.code,
            roomCode: room.code, board: board, checkIn: checkIn, checkOut: checkOut, holder: Guest(givenName: booking.holder.name, surname: booking.holder.surname),
            net: booking.totalNet, currency: booking.currency, cancellationPolicies: rate.cancellationPolicies.map { CancellationPolicy(from: $0.from, amount: $0.amount) })
    }

    // MARK: the wire

    func call<Answer: Decodable>(_ method: HTTPMethod, _ path: String, body: (any Encodable)? = nil, as: Answer.Type, timeout: Duration) async throws(SupplierFailure) -> Answer {
        let reply = try await send(method, path, body: body, timeout: timeout)
        guard (200..<300).contains(reply.status) else { throw failure(reply) }
        do {
            // The availability answer (the big one) is read by hand: BedBank+JSON.swift.
            if let readable = Answer.self as? any JSONReadable.Type, let answer = try JSONReader.read(readable, from: reply.body) as? Answer { return answer }
            return try PlatformJSON.decoder.decode(Answer.self, from: Data(reply.body))
        } catch let error as JSONReader.Failure {
            throw .malformed("\(error)")
        } catch let error as DecodingError {
            throw .malformed(DecodingErrorText.describe(error))
        } catch {
            throw .malformed("\(error)")
        }
    }

    /// A signed request.
    func send(_ method: HTTPMethod, _ path: String, body: (any Encodable)? = nil, accept: String = "application/json", timeout: Duration)
        async throws(SupplierFailure) -> SupplierReply
    {
        let now = Int(clock().timeIntervalSince1970)
        var headers = [
            (BedBankSignature.keyHeader, credentials.key),
            (BedBankSignature.signatureHeader, BedBankSignature.sign(key: credentials.key, secret: credentials.secret, unixSeconds: now)),
            ("Accept", accept),
        ]
        var bytes: [UInt8]?
        if let body {
            headers.append(("Content-Type", "application/json"))
            bytes = Array((try? PlatformJSON.encoder.encode(body)) ?? Data())
        }
        return try await transport.send(method, "\(baseURL)/\(path)", headers: headers, body: bytes, timeout: timeout)
    }

    func failure(_ reply: SupplierReply) -> SupplierFailure {
        let detail = try? PlatformJSON.decoder.decode(BedBank.ErrorResponse.self, from: Data(reply.body)).error
        let message = detail?.message ?? String(reply.text.prefix(200))
        if reply.status >= 500 { return .serverError(status: reply.status, message: message) }
        switch (reply.status, detail?.code) {
        case (401, _), (403, _), (_, "AUTHENTICATION"): return .authentication(message)
        case (_, "INSUFFICIENT_ALLOTMENT"): return .soldOut
        case (_, "PRICE_CHANGED"): return .priceChanged(message)
        case (_, "BOOKING_NOT_FOUND"): return .notFound(message)
        case (_, let code?): return .rejected(code: code, message: message)
        default: return .malformed("HTTP \(reply.status) without a bed-bank error body")
        }
    }
}
