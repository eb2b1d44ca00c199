// An offer's id: everything a booking needs to know about the offer, sealed and signed, so a
// distributor can neither read it (it names the supplier and the net price), nor alter the price,
// nor use another tenant's offer: `<AES-256-GCM sealed JSON>.<base64url HMAC-SHA-256 of it>`, both
// keyed from OFFER_TOKEN_SECRET; refused when altered, expired, or presented by another tenant.

import FoundationEssentials
import Shared

struct OfferTerms: Codable, Sendable, Equatable {
    var tenantId: String
    var supplier: String
    var rateKey: String
    var rateType: RateType
    var masterHotelId: Int64
    var hotelCode: String
    var roomCode: String
    var roomName: String
    var board: Board
    var refundable: Bool
    var checkIn: CalendarDate
    var checkOut: CalendarDate
    var occupancy: Occupancy
    /// What the supplier charges, in its currency.
    var net: Money
    /// What the distributor pays, in the currency it asked for.
    var sell: Money
    var cancellationPolicies: [CancellationPolicy]
    /// Seconds since 1970 after which the token is refused.
    var expires: Int

    enum CodingKeys: String, CodingKey {
        case tenantId = "t", supplier = "s", rateKey = "k", rateType = "rt", masterHotelId = "h", hotelCode = "hc", roomCode = "rc", roomName = "rn"
        case board = "b", refundable = "r", checkIn = "ci", checkOut = "co", occupancy = "o", net = "n", sell = "p", cancellationPolicies = "cp"
        case expires = "x"
    }
}

struct OfferTokens: Sendable {
    let key: HMACKey
    let box: SecretBox

    init(secret: String) {
        key = HMACKey(Array(secret.utf8))
        box = SecretBox(secret: secret, purpose: "hotel-platform/offer-token/v1")
    }

    enum Refusal: Error, Equatable {
        case malformed, forged, expired, otherTenant
    }

    func sign(_ terms: OfferTerms) throws -> String {
        let payload = try box.seal(String(decoding: try PlatformJSON.encoder.encode(terms), as: UTF8.self), context: "offer")
        return payload + "." + Base64URL.encode(key.authenticate(Array(payload.utf8)))
    }

    /// The terms of `token` when it was signed here, has not expired at `now`, and belongs to `tenant`.
    func verify(_ token: String, tenant: String, now: Int) throws(Refusal) -> OfferTerms {
        // The sealed terms hold a dot themselves ("v1."): the signature follows the last one.
        guard token.utf8.count <= 8192, let dot = token.lastIndex(of: "."), let mac = Base64URL.decode(token[token.index(after: dot)...]) else { throw .malformed }
        let payload = token[..<dot]
        guard Digest.constantTimeEquals(mac, key.authenticate(Array(payload.utf8))) else { throw .forged }
        guard let json = try? box.open(String(payload), context: "offer"), let terms = try? PlatformJSON.decoder.decode(OfferTerms.self, from: Data(json.utf8))
        else { throw .malformed }
        guard terms.expires > now else { throw .expired }
        guard terms.tenantId == tenant else { throw .otherTenant }
        return terms
    }
}
