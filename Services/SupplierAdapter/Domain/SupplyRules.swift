// What the adapter accepts before it bothers a supplier: a clear 400 naming the field otherwise.

import Shared

enum SupplyRules {
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
