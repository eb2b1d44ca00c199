// The simulated channel manager's admin API (dev and tests):
//   GET  /admin/channel-manager          its code, its webhook secret, its hotels (with a supplier's record of each)
//   POST /admin/channel-manager/push     {"url": "...", "days": 30} -> one round sent now, and what each message was answered

import FoundationEssentials
import Hummingbird
import Shared

struct ChannelManagerController: Sendable {
    let pusher: ChannelPusher

    struct HotelInfo: Encodable {
        var code: String
        var name: String
        var city: String
        var supplier: String
        var supplierHotelCode: String
        var roomTypes: [[String: String]]
        var ratePlans: [[String: String]]
        enum CodingKeys: String, CodingKey {
            case code, name, city, supplier, supplierHotelCode = "supplier_hotel_code", roomTypes = "room_types", ratePlans = "rate_plans"
        }
    }

    struct Info: ResponseEncodable {
        var code: String
        var secret: String
        var currency = "EUR"
        var hotels: [HotelInfo]
    }

    struct PushInput: Decodable {
        var url: String?
        var days: Int?
    }

    func add(to router: Router<PlatformRequestContext>) {
        router.get("admin/channel-manager") { _, _ in
            Info(code: SimulatedChannel.code, secret: pusher.secret, hotels: pusher.channel.hotels.map { hotel in
                HotelInfo(
                    code: hotel.code, name: hotel.real.name, city: hotel.real.city.name, supplier: hotel.supplier, supplierHotelCode: hotel.supplierHotelCode,
                    roomTypes: SimulatedChannel.roomTypes.map { ["code": $0.0, "name": $0.1, "max_occupancy": String($0.2)] },
                    ratePlans: SimulatedChannel.ratePlans.map { ["code": $0.0, "name": $0.1, "board": $0.2, "refundable": String($0.3)] })
            })
        }
        router.post("admin/channel-manager/push") { request, context -> EditedResponse<RoundAnswer> in
            let input = try await request.decode(as: PushInput.self, context: context)
            guard let url = input.url ?? pusher.url else {
                throw Problem(.badRequest, code: "no_url", detail: "Give url (the gateway's /api/v1/webhooks/channels/simcm), or start the simulator with SIM_CHANNEL_URL.")
            }
            let days = input.days ?? 30
            guard (1...365).contains(days) else { throw Problem(.badRequest, code: "invalid_days", detail: "days must be 1 to 365.") }
            return EditedResponse(status: .ok, response: RoundAnswer(round: await pusher.push(to: url, days: days)))
        }
    }

    struct RoundAnswer: ResponseEncodable {
        var round: ChannelPusher.Round
        func encode(to encoder: any Encoder) throws { try round.encode(to: encoder) }
    }
}
