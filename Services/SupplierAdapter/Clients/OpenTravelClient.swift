// The OpenTravel XML protocol (SupplierProtocols.OpenTravel) as a SupplierClient: every message to
// one endpoint, credentials in the POS, OTA error codes turned into SupplierFailure.

import FoundationEssentials
import NIOHTTP1
import Shared
import SupplierProtocols

struct OpenTravelClient: SupplierClient {
    let supplier: String
    let baseURL: String
    let credentials: SupplierCredentials
    let transport: SupplierTransport

    static let contentPageSize = 500

    func availability(_ query: AvailabilityQuery, timeout: Duration) async throws(SupplierFailure) -> [SupplierOffer] {
        var guests = [XMLElement("GuestCount", [("AgeQualifyingCode", "10"), ("Count", String(query.occupancy.adults))])]
        guests += query.occupancy.childrenAges.map { XMLElement("GuestCount", [("AgeQualifyingCode", "8"), ("Count", "1"), ("Age", String($0))]) }
        var criterion: [XMLElement] = (query.hotelCodes ?? []).map { XMLElement("HotelRef", [("HotelCode", $0)]) }
        if let area = query.area {
            criterion += [XMLElement("Position", [("Latitude", String(area.latitude)), ("Longitude", String(area.longitude))]),
                          XMLElement("Radius", [("Distance", String(area.radiusKm)), ("DistanceMeasure", "km")])]
        }
        let segment = XMLElement("AvailRequestSegment", children: [
            XMLElement("StayDateRange", [("Start", query.checkIn.description), ("End", query.checkOut.description)]),
            XMLElement("RoomStayCandidates", children: [XMLElement("RoomStayCandidate", [("Quantity", "1")], children: [XMLElement("GuestCounts", children: guests)])]),
            XMLElement("HotelSearchCriteria", children: [XMLElement("Criterion", children: criterion)]),
        ])
        let answer = try await call("OTA_HotelAvailRQ", children: [XMLElement("AvailRequestSegments", children: [segment])], timeout: timeout)
        return try roomStays(answer)
    }

    func checkRate(_ rateKey: String, timeout: Duration) async throws(SupplierFailure) -> SupplierOffer {
        let segment = XMLElement("AvailRequestSegment", children: [
            XMLElement("RatePlanCandidates", children: [XMLElement("RatePlanCandidate", [("BookingCode", rateKey)])])
        ])
        let answer = try await call("OTA_HotelAvailRQ", children: [XMLElement("AvailRequestSegments", children: [segment])], timeout: timeout)
        guard let offer = try roomStays(answer).first else { throw .malformed("a rate check answered without a RoomStay") }
        return offer
    }

    func book(_ request: SupplierBookingRequest, timeout: Duration) async throws(SupplierFailure) -> SupplierBooking {
        let reservation = XMLElement("HotelReservation", children: [
            XMLElement("UniqueID", [("Type", OpenTravel.clientReferenceType), ("ID", request.clientReference)]),
            XMLElement("RoomStays", children: [XMLElement("RoomStay", children: [
                XMLElement("RoomRates", children: [XMLElement("RoomRate", [("BookingCode", request.rateKey)])])
            ])]),
            XMLElement("ResGuests", children: [XMLElement("ResGuest", children: [XMLElement("Profiles", children: [XMLElement("ProfileInfo", children: [
                XMLElement("Profile", children: [XMLElement("Customer", children: [XMLElement("PersonName", children: [
                    XMLElement("GivenName", text: request.holder.givenName), XMLElement("Surname", text: request.holder.surname),
                ])])])
            ])])])]),
        ])
        let answer = try await call("OTA_HotelResRQ", children: [XMLElement("HotelReservations", children: [reservation])], timeout: timeout)
        guard let booked = answer.path("HotelReservations", "HotelReservation") else { throw .malformed("OTA_HotelResRS without a HotelReservation") }
        return try mapped { () throws(OpenTravel.Failure) in try OpenTravel.booking(booked, supplier: supplier) }
    }

    func bookings(clientReference: String, timeout: Duration) async throws(SupplierFailure) -> [SupplierBooking] {
        try await read(type: OpenTravel.clientReferenceType, id: clientReference, timeout: timeout)
    }

    func booking(reference: String, timeout: Duration) async throws(SupplierFailure) -> SupplierBooking {
        guard let booking = try await read(type: OpenTravel.supplierReferenceType, id: reference, timeout: timeout).first else { throw .notFound(reference) }
        return booking
    }

    func cancel(reference: String, simulate: Bool, timeout: Duration) async throws(SupplierFailure) -> SupplierCancellation {
        let answer = try await call("OTA_CancelRQ", attributes: [("CancelType", simulate ? "Initiate" : "Commit")],
                                    children: [XMLElement("UniqueID", [("Type", OpenTravel.supplierReferenceType), ("ID", reference)])], timeout: timeout)
        let rule = answer.path("CancelInfoRS", "CancelRules", "CancelRule")
        let (penalty, currency) = try mapped { () throws(OpenTravel.Failure) in
            (try OpenTravel.amount(rule, "Amount", in: "CancelRule"), try OpenTravel.required(rule, "CurrencyCode", in: "CancelRule"))
        }
        guard let status = answer["Status"], status == "Cancelled" || status == "Pending" else { throw .malformed("OTA_CancelRS/@Status must be Cancelled or Pending") }
        return SupplierCancellation(supplier: supplier, reference: reference, simulated: simulate, status: status == "Cancelled" ? .cancelled : .confirmed,
                                    penalty: penalty, currency: currency)
    }

    /// OpenTravel has no statement message: such suppliers are reconciled from an uploaded CSV.
    func statement(from: CalendarDate, to: CalendarDate, timeout: Duration) async throws(SupplierFailure) -> [SupplierStatementRow] {
        throw .rejected(code: "STATEMENT_UNSUPPORTED", message: "the OpenTravel protocol has no statement export: upload the supplier's statement as CSV")
    }

    func hotels(page: Int, timeout: Duration) async throws(SupplierFailure) -> SupplierHotelPage {
        let answer = try await call("OTA_HotelSearchRQ", attributes: [("MaxResponses", String(Self.contentPageSize)), ("MoreDataEchoToken", String(page))],
                                    children: [], timeout: timeout)
        let hotels = try (answer.child("Properties")?.all("Property") ?? []).map { property throws(SupplierFailure) in
            try mapped { () throws(OpenTravel.Failure) in try OpenTravel.hotel(property, supplier: supplier) }
        }
        let total = answer["TotalCount"].flatMap(Int.init) ?? hotels.count
        return SupplierHotelPage(supplier: supplier, page: page, total: total, hotels: hotels,
                                 nextPage: answer["MoreIndicator"] == "true" ? answer["MoreDataEchoToken"].flatMap(Int.init) : nil)
    }

    // MARK: mapping

    func read(type: String, id: String, timeout: Duration) async throws(SupplierFailure) -> [SupplierBooking] {
        let answer = try await call("OTA_ReadRQ", children: [XMLElement("ReadRequests", children: [XMLElement("ReadRequest", children: [
            XMLElement("UniqueID", [("Type", type), ("ID", id)])
        ])])], timeout: timeout)
        return try (answer.child("ReservationsList")?.all("HotelReservation") ?? []).map { reservation throws(SupplierFailure) in
            try mapped { () throws(OpenTravel.Failure) in try OpenTravel.booking(reservation, supplier: supplier) }
        }
    }

    func roomStays(_ answer: XMLElement) throws(SupplierFailure) -> [SupplierOffer] {
        try (answer.child("RoomStays")?.all("RoomStay") ?? []).map { stay throws(SupplierFailure) in
            try mapped { () throws(OpenTravel.Failure) in try OpenTravel.offer(stay, supplier: supplier) }
        }
    }

    /// A field missing from an answer is a malformed answer, not the supplier refusing.
    func mapped<T>(_ body: () throws(OpenTravel.Failure) -> T) throws(SupplierFailure) -> T {
        do { return try body() } catch { throw .malformed(error.text) }
    }

    // MARK: the wire

    func call(_ root: String, attributes: [(String, String)] = [], children: [XMLElement], timeout: Duration) async throws(SupplierFailure) -> XMLElement {
        let message = OpenTravel.request(root, user: credentials.key, password: credentials.secret, attributes: attributes, children: children)
        let reply = try await transport.send(.POST, baseURL, headers: [("Content-Type", "application/xml; charset=utf-8"), ("Accept", "application/xml")],
                                             body: message.documentBytes, timeout: timeout)
        let answer: XMLElement
        do {
            answer = try XMLElement(parsing: reply.body)
        } catch {
            throw reply.status >= 500 ? .serverError(status: reply.status, message: String(reply.text.prefix(200))) : .malformed(error.description)
        }
        let expected = OpenTravel.responseName(root)
        do {
            try OpenTravel.requireSuccess(answer)
        } catch {
            throw failure(error, status: reply.status)
        }
        guard reply.status < 300 else { throw .serverError(status: reply.status, message: "\(expected) with Success but HTTP \(reply.status)") }
        guard answer.localName == expected || (root == "OTA_ReadRQ" && answer.localName == "OTA_ResRetrieveRS") else {
            throw .malformed("expected \(expected), got \(answer.localName)")
        }
        return answer
    }

    func failure(_ error: OpenTravel.Failure, status: Int) -> SupplierFailure {
        if status >= 500 { return .serverError(status: status, message: error.text) }
        switch OpenTravel.Code(rawValue: error.code) {
        case .authorization: return .authentication(error.text)
        case .noAvailability: return .soldOut
        case .rateChanged: return .priceChanged(error.text)
        case .reservationNotFound: return .notFound(error.text)
        case .systemError: return .serverError(status: status, message: error.text)
        default: return .rejected(code: error.code, message: error.text)
        }
    }
}
