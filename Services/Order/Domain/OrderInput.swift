// What a distributor sends to place an order (`POST /api/v1/orders`), checked field by field, and
// the fingerprint its Idempotency-Key is bound to.

import FoundationEssentials
import Shared

struct PlaceOrderInput: Codable, Sendable, Equatable {
    struct Person: Codable, Sendable, Equatable {
        var firstName: String
        var lastName: String
        enum CodingKeys: String, CodingKey { case firstName = "first_name", lastName = "last_name" }
    }

    /// How to reach the lead guest (the first of `guests`).
    struct Contact: Codable, Sendable, Equatable {
        var email: String
        var phone: String?
    }

    /// The largest price rise the distributor accepts between its search and the booking: a
    /// percentage of the offer's price, or an amount in the offer's currency.
    struct Tolerance: Codable, Sendable, Equatable {
        var percent: Amount?
        var amount: Money?

        init(percent: Amount? = nil, amount: Money? = nil) {
            self.percent = percent
            self.amount = amount
        }
    }

    var offerId: String
    var guests: [Person]
    var contact: Contact
    /// The distributor's own reference for the booking.
    var clientReference: String?
    var priceTolerance: Tolerance?
    /// Reserve now (credit, and rooms of a direct contract), confirm later with `/confirm`.
    var hold: Bool?
    var remark: String?

    enum CodingKeys: String, CodingKey {
        case offerId = "offer_id", guests, contact, clientReference = "client_reference", priceTolerance = "price_tolerance", hold, remark
    }

    /// The body as the Idempotency-Key remembers it: the same fields give the same fingerprint,
    /// however the JSON was spaced or ordered.
    var fingerprint: String {
        var canonical = self
        canonical.hold = hold ?? false
        let encoder = PlatformJSON.encoder
        encoder.outputFormatting.insert(.sortedKeys)
        return Digest.hex(Digest.sha256(Array((try? encoder.encode(canonical)) ?? Data())))
    }

    static let maximumGuests = 14

    /// A 400 naming the first field that is wrong and why.
    func validated() throws -> PlaceOrderInput {
        var input = self
        guard !offerId.isEmpty, offerId.utf8.count <= 8192 else { throw Self.invalid("offer_id", "must be an offer_id from a search (at most 8192 characters)") }
        guard (1...Self.maximumGuests).contains(guests.count) else { throw Self.invalid("guests", "needs 1 to \(Self.maximumGuests) guests, the lead guest first") }
        input.guests = try guests.enumerated().map { index, guest in
            Person(firstName: try TextRule.name.check(guest.firstName, field: "guests[\(index)].first_name").trimmed,
                   lastName: try TextRule.name.check(guest.lastName, field: "guests[\(index)].last_name").trimmed)
        }
        input.contact.email = try TextRule.email.check(contact.email, field: "contact.email")
        if let phone = contact.phone {
            guard (5...32).contains(phone.count), phone.allSatisfy({ $0.isNumber || " +-().".contains($0) }) else {
                throw Self.invalid("contact.phone", "must be 5 to 32 digits, spaces and + - ( ) .")
            }
        }
        input.clientReference = try TextRule(length: 1...64).check(clientReference, field: "client_reference")
        input.remark = try TextRule(length: 0...500, multiline: true).check(remark, field: "remark")
        if let tolerance = priceTolerance {
            switch (tolerance.percent, tolerance.amount) {
            case (let percent?, nil):
                guard percent >= .zero, percent <= Amount(100) else { throw Self.invalid("price_tolerance.percent", "must be from 0 to 100") }
            case (nil, let amount?):
                guard amount.amount >= .zero, Currency.isCode(amount.currency) else {
                    throw Self.invalid("price_tolerance.amount", "must be an amount of at least 0 in a known currency")
                }
            default:
                throw Self.invalid("price_tolerance", "give either percent or amount, not both")
            }
        }
        return input
    }

    static func invalid(_ field: String, _ why: String) -> Problem {
        Problem(.badRequest, code: "invalid_field", detail: "\(field) \(why).", extensions: ["field": .string(field)])
    }
}

extension String {
    var trimmed: String { String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed()) }
}
