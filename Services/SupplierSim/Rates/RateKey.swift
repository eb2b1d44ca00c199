// The simulator's rate key: everything needed to price the rate again, opaque to callers
// (base64url), so a rate check or booking can tell a stale or forged key from a good one.

import Shared

struct RateKey: Hashable, Sendable {
    var hotelCode: String
    var roomCode: String
    var board: Board
    var refundable: Bool
    var checkIn: CalendarDate
    var checkOut: CalendarDate
    var adults: Int
    var childrenAges: [Int]
    /// The net price (minor units) the key was issued at.
    var netMinorUnits: Int
    /// Issued by a rate check: the price is the one to book at.
    var checked: Bool

    var occupancy: Occupancy { Occupancy(adults: adults, childrenAges: childrenAges) }

    /// The rate itself, without price or check mark: what the price is derived from.
    var rateIdentity: String {
        var text = hotelCode
        text.reserveCapacity(hotelCode.utf8.count + roomCode.utf8.count + 40)
        for part in [roomCode, board.rawValue, refundable ? "R" : "N", checkIn.description, checkOut.description, String(adults)] {
            text += "|"
            text += part
        }
        text += "|"
        for (index, age) in childrenAges.enumerated() {
            if index > 0 { text += "," }
            text += String(age)
        }
        return text
    }

    var text: String { text(identity: rateIdentity) }

    /// The key's text, given its `rateIdentity` (already made for pricing the rate).
    func text(identity: String) -> String {
        Base64URL.encode(Array("\(checked ? "v1c" : "v1")|\(identity)|\(netMinorUnits)".utf8))
    }

    init(hotelCode: String, roomCode: String, board: Board, refundable: Bool, checkIn: CalendarDate, checkOut: CalendarDate, occupancy: Occupancy, netMinorUnits: Int, checked: Bool) {
        self.hotelCode = hotelCode
        self.roomCode = roomCode
        self.board = board
        self.refundable = refundable
        self.checkIn = checkIn
        self.checkOut = checkOut
        self.adults = occupancy.adults
        self.childrenAges = occupancy.childrenAges
        self.netMinorUnits = netMinorUnits
        self.checked = checked
    }

    init?(_ text: String) {
        guard let bytes = Base64URL.decode(text) else { return nil }
        let parts = String(decoding: bytes, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 10, parts[0] == "v1" || parts[0] == "v1c", let board = Board(rawValue: parts[3]), parts[4] == "R" || parts[4] == "N",
            let checkIn = CalendarDate(parts[5]), let checkOut = CalendarDate(parts[6]), let adults = Int(parts[7]), let net = Int(parts[9])
        else { return nil }
        let ages = parts[8].isEmpty ? [] : parts[8].split(separator: ",").compactMap { Int($0) }
        self.init(hotelCode: parts[1], roomCode: parts[2], board: board, refundable: parts[4] == "R", checkIn: checkIn, checkOut: checkOut,
                  occupancy: Occupancy(adults: adults, childrenAges: ages), netMinorUnits: net, checked: parts[0] == "v1c")
    }
}
