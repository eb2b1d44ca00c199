// The room types simulated hotels sell, and which of them each hotel has.

struct RoomType: Sendable {
    let code: String
    let name: String
    /// Price relative to the hotel's standard room.
    let factor: Double
    let maxAdults: Int

    static let all: [RoomType] = [
        RoomType(code: "DBL.ST", name: "Standard Double", factor: 1.0, maxAdults: 2),
        RoomType(code: "TWN.ST", name: "Standard Twin", factor: 1.0, maxAdults: 2),
        RoomType(code: "DBL.SU", name: "Superior Double", factor: 1.25, maxAdults: 2),
        RoomType(code: "KNG.DX", name: "Deluxe King", factor: 1.5, maxAdults: 2),
        RoomType(code: "FAM.ST", name: "Family Room", factor: 1.6, maxAdults: 4),
        RoomType(code: "JSU.DX", name: "Junior Suite", factor: 2.2, maxAdults: 3),
    ]

    /// Three or four room types, the same for a hotel at every supplier.
    static func forHotel(_ hotelId: Int) -> [RoomType] {
        all.filter { $0.code == "DBL.ST" || StableHash.unit("room", String(hotelId), $0.code) < 0.55 }
    }

    static func named(_ code: String) -> RoomType? { all.first { $0.code == code } }
}
