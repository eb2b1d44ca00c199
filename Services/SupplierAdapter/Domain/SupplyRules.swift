// What the adapter accepts before it bothers a supplier: a clear 400 naming the field otherwise.

import Shared

enum SupplyRules {
    static let maximumNights = 30
    static let maximumHotelCodes = 2000

    static func validate(_ query: AvailabilityQuery) throws {
        let nights = query.checkIn.nights(until: query.checkOut)
        guard nights >= 1, nights <= maximumNights else {
            throw Problem(.badRequest, code: "invalid_stay", detail: "check_out must be 1 to \(maximumNights) nights after check_in.")
        }
        guard (1...8).contains(query.occupancy.adults), query.occupancy.childrenAges.count <= 6, query.occupancy.childrenAges.allSatisfy({ (0...17).contains($0) }) else {
            throw Problem(.badRequest, code: "invalid_occupancy", detail: "occupancy needs 1 to 8 adults and at most 6 children aged 0 to 17.")
        }
        switch (query.hotelCodes, query.area) {
        case (let codes?, nil):
            guard (1...maximumHotelCodes).contains(codes.count), codes.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 64 }) else {
                throw Problem(.badRequest, code: "invalid_hotel_codes", detail: "hotel_codes needs 1 to \(maximumHotelCodes) codes of at most 64 characters.")
            }
        case (nil, let area?):
            guard (-90...90).contains(area.latitude), (-180...180).contains(area.longitude), area.radiusKm > 0, area.radiusKm <= 50 else {
                throw Problem(.badRequest, code: "invalid_area", detail: "area needs a latitude (-90..90), a longitude (-180..180) and a radius_km above 0, at most 50.")
            }
        default:
            throw Problem(.badRequest, code: "invalid_query", detail: "Give either hotel_codes or area, not both and not neither.")
        }
    }

    static func validate(_ booking: SupplierBookingRequest) throws {
        try requireText(booking.rateKey, "rate_key", max: 4096)
        try requireText(booking.clientReference, "client_reference", max: 64)
        try requireText(booking.holder.givenName, "holder.given_name", max: 100)
        try requireText(booking.holder.surname, "holder.surname", max: 100)
        if let remark = booking.remark, remark.count > 500 { throw Problem(.badRequest, code: "invalid_body", detail: "remark is at most 500 characters.") }
    }

    static func requireText(_ text: String, _ field: String, max: Int) throws {
        guard !text.isEmpty, text.count <= max else { throw Problem(.badRequest, code: "invalid_body", detail: "\(field) must be 1 to \(max) characters.") }
    }
}
