// An offer's id (query-engine signs it, order opens it to book): everything a booking needs to
// know about the offer, sealed and signed, so a distributor can neither read it (it names the
// supplier and the net price), nor alter the price, nor use another tenant's offer:
// `<AES-256-GCM sealed JSON>.<base64url HMAC-SHA-256 of it>`, both keyed from OFFER_TOKEN_SECRET;
// refused when altered, expired, or presented by another tenant.

import FoundationEssentials
import HTTPTypes

public struct OfferTerms: Codable, Sendable, Equatable {
    public var tenantId: String
    public var supplier: String
    public var rateKey: String
    public var rateType: RateType
    public var masterHotelId: Int64
    public var hotelCode: String
    public var roomCode: String
    public var roomName: String
    public var board: Board
    public var refundable: Bool
    public var checkIn: CalendarDate
    public var checkOut: CalendarDate
    public var occupancy: Occupancy
    /// What the supplier charges, in its currency.
    public var net: Money
    /// What the distributor pays, in the currency it asked for.
    public var sell: Money
    public var cancellationPolicies: [CancellationPolicy]
    /// Seconds since 1970 after which the token is refused.
    public var expires: Int
    /// The net in the sell currency, as pricing converted it (for the platform's margin).
    public var cost: Amount? = nil
    /// The hotel's city (for the platform's reports).
    public var city: String? = nil

    public init(
        tenantId: String, supplier: String, rateKey: String, rateType: RateType, masterHotelId: Int64, hotelCode: String, roomCode: String, roomName: String,
        board: Board, refundable: Bool, checkIn: CalendarDate, checkOut: CalendarDate, occupancy: Occupancy, net: Money, sell: Money,
        cancellationPolicies: [CancellationPolicy], expires: Int, cost: Amount? = nil, city: String? = nil
    ) {
        (self.tenantId, self.supplier, self.rateKey, self.rateType, self.masterHotelId) = (tenantId, supplier, rateKey, rateType, masterHotelId)
        (self.hotelCode, self.roomCode, self.roomName, self.board, self.refundable) = (hotelCode, roomCode, roomName, board, refundable)
        (self.checkIn, self.checkOut, self.occupancy, self.net, self.sell) = (checkIn, checkOut, occupancy, net, sell)
        (self.cancellationPolicies, self.expires, self.cost, self.city) = (cancellationPolicies, expires, cost, city)
    }

    enum CodingKeys: String, CodingKey {
        case tenantId = "t", supplier = "s", rateKey = "k", rateType = "rt", masterHotelId = "h", hotelCode = "hc", roomCode = "rc", roomName = "rn"
        case board = "b", refundable = "r", checkIn = "ci", checkOut = "co", occupancy = "o", net = "n", sell = "p", cancellationPolicies = "cp"
        case expires = "x", cost = "nc", city = "c"
    }
}

/// Written by hand (a search signs every offer on its page; JSONEncoder took most of that time);
/// read back with the Codable form, under the same short keys.
extension OfferTerms: JSONWritable {
    public func write(json: inout JSONWriter) {
        json.object {
            $0.field("t", tenantId)
            $0.field("s", supplier)
            $0.field("k", rateKey)
            $0.field("rt", code: rateType)
            $0.field("h", masterHotelId)
            $0.field("hc", hotelCode)
            $0.field("rc", roomCode)
            $0.field("rn", roomName)
            $0.field("b", code: board)
            $0.field("r", refundable)
            $0.field("ci", checkIn)
            $0.field("co", checkOut)
            $0.field("o", occupancy)
            $0.field("n", net)
            $0.field("p", sell)
            $0.key("cp")
            $0.array(cancellationPolicies) { $0.value($1) }
            $0.field("x", expires)
            $0.field("nc", cost)
            $0.field("c", city)
        }
    }
}

public struct OfferTokens: Sendable {
    let key: HMACKey
    let box: SecretBox

    public init(secret: String) {
        key = HMACKey(Array(secret.utf8))
        box = SecretBox(secret: secret, purpose: "hotel-platform/offer-token/v1")
    }

    public enum Refusal: Error, Equatable {
        case malformed, forged, expired, otherTenant
    }

    public func sign(_ terms: OfferTerms) throws -> String {
        let payload = try box.seal(String(decoding: JSONWriter.bytes(of: terms, capacity: 768), as: UTF8.self), context: "offer")
        return payload + "." + Base64URL.encode(key.authenticate(Array(payload.utf8)))
    }

    /// The terms of `token` when it was signed here, has not expired at `now`, and belongs to `tenant`.
    public func verify(_ token: String, tenant: String, now: Int) throws(Refusal) -> OfferTerms {
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

extension OfferTokens.Refusal: ProblemConvertible {
    public var status: HTTPResponse.Status { self == .expired ? .gone : .badRequest }
    public var code: String {
        switch self {
        case .malformed, .forged: "invalid_offer"
        case .expired: "offer_expired"
        case .otherTenant: "invalid_offer"
        }
    }
    public var detail: String {
        switch self {
        case .malformed, .forged, .otherTenant: "This offer_id is not an offer of yours: use an offer_id from your own search, unchanged."
        case .expired: "This offer has expired: search again for a current offer_id."
        }
    }
}
