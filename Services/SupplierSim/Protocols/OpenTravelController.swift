// The OpenTravel XML protocol of the simulated suppliers that speak it: one endpoint,
// POST /{supplier}/ota, taking OTA_HotelAvailRQ (search, or a rate check with a RatePlanCandidate
// BookingCode), OTA_HotelResRQ, OTA_ReadRQ, OTA_CancelRQ (Initiate quotes, Commit cancels) and
// OTA_HotelSearchRQ (the content feed, paged by MoreDataEchoToken). Credentials travel in the POS.

import FoundationEssentials
import Hummingbird
import Shared
import SupplierProtocols

struct OpenTravelController: Sendable {
    let desks: [String: SupplierDesk]
    let credentials: SimulatorCredentials
    let faults: FaultInjector
    let clock: @Sendable () -> Date

    static let contentPageSize = 500

    func add(to router: Router<PlatformRequestContext>) {
        router.post(":supplier/ota") { request, context in
            guard let code = context.parameters.get("supplier"), let desk = desks[code] else {
                return SimulatorResponse.xml(OpenTravel.errors("OTA_ErrorRS", .init(.systemError, "no OpenTravel supplier at this path")), status: .notFound)
            }
            let message: XMLElement
            do {
                message = try XMLElement(parsing: try await SimulatorResponse.body(request).readableBytesView)
            } catch let failure as XMLSyntaxError {
                return SimulatorResponse.xml(OpenTravel.errors("OTA_ErrorRS", .init(.invalidValue, failure.description)), status: .badRequest)
            }
            let answer = OpenTravel.responseName(message.localName)
            guard let (user, password) = OpenTravel.credentials(message), user == credentials.user(code), password == credentials.secret(code) else {
                return SimulatorResponse.xml(OpenTravel.errors(answer, .init(.authorization, "POS/Source/RequestorID: unknown ID or wrong MessagePassword")))
            }
            let isBooking = message.localName == "OTA_HotelResRQ"
            return try await faults.run(code, booking: isBooking,
                                        error: { SimulatorResponse.xml(OpenTravel.errors(answer, .init(.systemError, "internal supplier error")), status: .internalServerError) },
                                        malformed: { SimulatorResponse.malformed(contentType: "application/xml", sample: OpenTravel.success(answer, children: [XMLElement("RoomStays")]).document) }) {
                do {
                    return SimulatorResponse.xml(try await handle(message, desk: desk))
                } catch let failure as OpenTravel.Failure {
                    return SimulatorResponse.xml(OpenTravel.errors(answer, failure))
                } catch let failure as DeskError {
                    return SimulatorResponse.xml(OpenTravel.errors(answer, map(failure)))
                }
            }
        }
    }

    func handle(_ message: XMLElement, desk: SupplierDesk) async throws -> XMLElement {
        switch message.localName {
        case "OTA_HotelAvailRQ": try await availability(message, desk: desk)
        case "OTA_HotelResRQ": try await book(message, desk: desk)
        case "OTA_ReadRQ": try await read(message, desk: desk)
        case "OTA_CancelRQ": try await cancel(message, desk: desk)
        case "OTA_HotelSearchRQ": try content(message, desk: desk)
        default: throw OpenTravel.Failure(.invalidValue, "unsupported message \(message.localName)")
        }
    }

    func availability(_ message: XMLElement, desk: SupplierDesk) async throws -> XMLElement {
        let segment = message.path("AvailRequestSegments", "AvailRequestSegment")
        if let bookingCode = segment?.path("RatePlanCandidates", "RatePlanCandidate")?["BookingCode"] {
            let (_, offer, entry) = try await desk.check(rateKey: bookingCode, now: clock())
            return OpenTravel.success("OTA_HotelAvailRS", children: [XMLElement("RoomStays", children: [OpenTravel.roomStay(offer, hotelName: entry.hotel.name)])])
        }
        let span = segment?.child("StayDateRange")
        let checkIn = try OpenTravel.date(span, "Start", in: "StayDateRange")
        let checkOut = try OpenTravel.date(span, "End", in: "StayDateRange")
        let counts = segment?.path("RoomStayCandidates", "RoomStayCandidate", "GuestCounts")?.all("GuestCount") ?? []
        // AgeQualifyingCode 10 = adult, 8 = child (with Age).
        let adults = counts.filter { $0["AgeQualifyingCode"] == "10" }.compactMap { $0["Count"].flatMap(Int.init) }.reduce(0, +)
        let ages = counts.filter { $0["AgeQualifyingCode"] == "8" }.flatMap { count in
            Array(repeating: count["Age"].flatMap(Int.init) ?? -1, count: count["Count"].flatMap(Int.init) ?? 1)
        }
        let criterion = segment?.path("HotelSearchCriteria", "Criterion")
        let codes = criterion?.all("HotelRef").compactMap { $0["HotelCode"] }
        var area: GeoArea?
        if let position = criterion?.child("Position") {
            guard let latitude = position["Latitude"].flatMap(Double.init), let longitude = position["Longitude"].flatMap(Double.init),
                let radius = criterion?.child("Radius")?["Distance"].flatMap(Double.init)
            else { throw OpenTravel.Failure(.invalidValue, "Criterion/Position needs Latitude and Longitude, and Radius a Distance in km") }
            area = GeoArea(latitude: latitude, longitude: longitude, radiusKm: radius)
        }
        let results = try await desk.availability(hotelCodes: codes, area: area, checkIn: checkIn, checkOut: checkOut,
                                                  occupancy: Occupancy(adults: adults, childrenAges: ages), now: clock())
        let stays = results.flatMap { entry, offers in offers.map { OpenTravel.roomStay($0, hotelName: entry.hotel.name) } }
        return OpenTravel.success("OTA_HotelAvailRS", children: [XMLElement("RoomStays", children: stays)])
    }

    func book(_ message: XMLElement, desk: SupplierDesk) async throws -> XMLElement {
        let reservation = message.path("HotelReservations", "HotelReservation")
        let clientReference = try OpenTravel.required(reservation?.all("UniqueID").first { $0["Type"] == OpenTravel.clientReferenceType }, "ID", in: "HotelReservation/UniqueID[@Type=14]")
        let bookingCode = try OpenTravel.required(reservation?.path("RoomStays", "RoomStay", "RoomRates", "RoomRate"), "BookingCode", in: "RoomStay/RoomRate")
        let name = reservation?.path("ResGuests", "ResGuest", "Profiles", "ProfileInfo", "Profile", "Customer", "PersonName")
        let holder = Guest(givenName: name?.child("GivenName")?.text ?? "", surname: name?.child("Surname")?.text ?? "")
        let (booking, _) = try await desk.book(rateKey: bookingCode, clientReference: clientReference, holder: holder, now: clock())
        return OpenTravel.success("OTA_HotelResRS", children: [XMLElement("HotelReservations", children: [OpenTravel.reservation(booking)])])
    }

    func read(_ message: XMLElement, desk: SupplierDesk) async throws -> XMLElement {
        let id = message.path("ReadRequests", "ReadRequest", "UniqueID")
        let value = try OpenTravel.required(id, "ID", in: "ReadRequest/UniqueID")
        let bookings: [SupplierBooking]
        switch id?["Type"] {
        case OpenTravel.clientReferenceType: bookings = await desk.bookings(clientReference: value)
        case OpenTravel.supplierReferenceType: bookings = [try await desk.booking(reference: value)]
        default: throw OpenTravel.Failure(.invalidValue, "ReadRequest/UniqueID/@Type must be 14 (your reference) or 10 (ours)")
        }
        return OpenTravel.success("OTA_ResRetrieveRS", children: [XMLElement("ReservationsList", children: bookings.map(OpenTravel.reservation))])
    }

    func cancel(_ message: XMLElement, desk: SupplierDesk) async throws -> XMLElement {
        let type = message["CancelType"] ?? "Commit"
        guard type == "Initiate" || type == "Commit" else { throw OpenTravel.Failure(.invalidValue, "CancelType must be Initiate (quote) or Commit") }
        let reference = try OpenTravel.required(message.all("UniqueID").first { $0["Type"] == OpenTravel.supplierReferenceType }, "ID", in: "UniqueID[@Type=10]")
        let (booking, penalty) = try await desk.cancel(reference: reference, simulate: type == "Initiate", now: clock())
        return OpenTravel.success("OTA_CancelRS", attributes: [("Status", type == "Initiate" ? "Pending" : "Cancelled")], children: [
            XMLElement("UniqueID", [("Type", OpenTravel.supplierReferenceType), ("ID", booking.reference)]),
            XMLElement("CancelInfoRS", children: [XMLElement("CancelRules", children: [
                XMLElement("CancelRule", [("Amount", penalty.description), ("CurrencyCode", booking.currency)])
            ])]),
        ])
    }

    func content(_ message: XMLElement, desk: SupplierDesk) throws -> XMLElement {
        let size = min(Self.contentPageSize, message["MaxResponses"].flatMap(Int.init) ?? Self.contentPageSize)
        guard size >= 1 else { throw OpenTravel.Failure(.invalidValue, "MaxResponses must be at least 1") }
        let page = message["MoreDataEchoToken"].flatMap(Int.init) ?? 1
        guard page >= 1 else { throw OpenTravel.Failure(.invalidValue, "MoreDataEchoToken must be a page number from 1") }
        let entries = desk.catalog.page(page, size: size)
        let more = page * size < desk.catalog.entries.count
        var attributes = [("TotalCount", String(desk.catalog.entries.count))]
        if more { attributes += [("MoreIndicator", "true"), ("MoreDataEchoToken", String(page + 1))] }
        return OpenTravel.success("OTA_HotelSearchRS", attributes: attributes, children: [XMLElement("Properties", children: entries.map { OpenTravel.property($0.hotel) })])
    }

    func map(_ failure: DeskError) -> OpenTravel.Failure {
        switch failure {
        case .invalidRequest(let message): .init(.invalidValue, message)
        case .invalidRateKey: .init(.invalidRate, "the BookingCode is not one of ours or no longer valid")
        case .soldOut: .init(.noAvailability, "no rooms left at this rate")
        case .priceChanged(let net): .init(.rateChanged, "the rate now costs \(net): check it again")
        case .requiresRateCheck: .init(.requiresRecheck, "RECHECK rates must be checked (RatePlanCandidate BookingCode) before booking")
        case .bookingNotFound(let reference): .init(.reservationNotFound, "no reservation \(reference)")
        case .alreadyCancelled(let reference): .init(.alreadyCancelled, "reservation \(reference) is already cancelled")
        }
    }
}
