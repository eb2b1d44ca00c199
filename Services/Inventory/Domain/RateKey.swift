// The rate key inventory gives each offer: the hotel, room type, rate plan, stay, occupancy and the
// net price of one room, as plain text with an HMAC-SHA-256 over it (keyed from OFFER_TOKEN_SECRET),
// so a rate check or a hold can trust what it names without a lookup:
//   `v1|<hotel>|<room type>|<rate plan>|<check-in>|<check-out>|<adults>|<ages,...>|<net>|<currency>.<mac>`

import FoundationEssentials
import Shared

struct RateKey: Sendable, Equatable {
    var hotelId: Int64
    var roomType: String
    var ratePlan: String
    var checkIn: CalendarDate
    var checkOut: CalendarDate
    var occupancy: Occupancy
    /// One room for the whole stay.
    var net: Amount
    var currency: String

    var text: String {
        let ages = occupancy.childrenAges.map(String.init).joined(separator: ",")
        return ["v1", String(hotelId), roomType, ratePlan, checkIn.description, checkOut.description, String(occupancy.adults), ages, net.description, currency]
            .joined(separator: "|")
    }
}

struct RateKeySigner: Sendable {
    let key: HMACKey

    init(secret: String) {
        key = HMACKey(Array(("inventory-rate-key:" + secret).utf8))
    }

    func sign(_ rate: RateKey) -> String {
        let text = rate.text
        return text + "." + Base64URL.encode(key.authenticate(text.utf8))
    }

    /// The rate `key` names, when it was signed here; nil when it is malformed or altered.
    func verify(_ key: String) -> RateKey? {
        guard key.utf8.count <= 1024, let dot = key.lastIndex(of: "."), let mac = Base64URL.decode(key[key.index(after: dot)...]) else { return nil }
        let text = key[..<dot]
        guard Digest.constantTimeEquals(mac, self.key.authenticate(Array(text.utf8))) else { return nil }
        let parts = text.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 10, parts[0] == "v1", let hotel = Int64(parts[1]), let checkIn = CalendarDate(parts[4]), let checkOut = CalendarDate(parts[5]),
              let adults = Int(parts[6]), let net = Amount(parts[8])
        else { return nil }
        let ages = parts[7].isEmpty ? [] : parts[7].split(separator: ",").compactMap { Int($0) }
        return RateKey(hotelId: hotel, roomType: String(parts[2]), ratePlan: String(parts[3]), checkIn: checkIn, checkOut: checkOut,
                       occupancy: Occupancy(adults: adults, childrenAges: ages), net: net, currency: String(parts[9]))
    }
}
