// Operators manage direct contracts (through the gateway):
//   POST /api/v1/admin/inventory/hotels                          {hotel_id, name, currency, channel?, channel_hotel_code?, on_sale?} -> 201
//   GET  /api/v1/admin/inventory/hotels[?page=&page_size=]
//   GET  /api/v1/admin/inventory/hotels/{id}                     the contract with its room types and rate plans
//   PUT  /api/v1/admin/inventory/hotels/{id}                     {name, channel?, channel_hotel_code?, on_sale}
//   PUT  /api/v1/admin/inventory/hotels/{id}/room-types/{code}   {name, max_occupancy}
//   PUT  /api/v1/admin/inventory/hotels/{id}/rate-plans/{code}   {name, board, refundable, cancellation: [{days_before, percent}]}
//   POST /api/v1/admin/inventory/hotels/{id}/calendar            {updates: [CalendarUpdate]}: all in one transaction
//   GET  /api/v1/admin/inventory/hotels/{id}/calendar?from=&to=[&room_type=]
//   GET  /api/v1/admin/inventory/holds/{order}

import FoundationEssentials
import Hummingbird
import Shared

struct ContractController: Sendable {
    let contracts: ContractRepository
    let calendar: CalendarRepository
    let catalog: ContractCatalog
    let desk: HoldDesk
    var clock: @Sendable () -> Date = { Date() }

    struct HotelInput: Decodable {
        var hotelId: Int64?
        var name: String
        var currency: String?
        var channel: String?
        var channelHotelCode: String?
        var onSale: Bool?
        enum CodingKeys: String, CodingKey { case hotelId = "hotel_id", name, currency, channel, channelHotelCode = "channel_hotel_code", onSale = "on_sale" }
    }

    struct RoomTypeInput: Decodable {
        var name: String
        var maxOccupancy: Int
        enum CodingKeys: String, CodingKey { case name, maxOccupancy = "max_occupancy" }
    }

    struct RatePlanInput: Decodable {
        var name: String
        var board: Board
        var refundable: Bool
        var cancellation: [CancellationRule]?
    }

    struct CalendarInput: Decodable { var updates: [CalendarUpdate] }

    struct CalendarWritten: ResponseEncodable {
        var updates: Int
        var written: Int
    }

    struct CalendarPage: ResponseEncodable {
        var hotelId: Int64
        var from: CalendarDate
        var to: CalendarDate
        var nights: [CalendarDay]
        enum CodingKeys: String, CodingKey { case hotelId = "hotel_id", from, to, nights }
    }

    static let maximumUpdates = 5000

    func add(to router: Router<PlatformRequestContext>) {
        let hotels = router.group("api/v1/admin/inventory/hotels")
        hotels.post { request, context in
            _ = try context.requireOperator()
            let input = try await request.decode(as: HotelInput.self, context: context)
            guard let id = input.hotelId, id > 0 else { throw Problem(.badRequest, code: "invalid_hotel", detail: "hotel_id (matching's master hotel id) is required.") }
            guard let currency = input.currency, Currency.isCode(currency) else {
                throw Problem(.badRequest, code: "invalid_currency", detail: "currency must be an ISO 4217 code like EUR.")
            }
            let hotel = try Self.hotel(input, id: id, currency: currency)
            guard try await contracts.create(hotel) else { throw Problem(.conflict, code: "contract_exists", detail: "Hotel \(id) has a contract already.") }
            catalog.invalidate()
            return EditedResponse(status: .created, response: try await contract(id))
        }
        hotels.get { request, context in
            _ = try context.requireOperator()
            let (page, size) = try request.paging()
            let found = try await contracts.page(limit: size, offset: (page - 1) * size)
            return ListPage(total: found.total, page: page, pageSize: size, name: "hotels", items: found.hotels)
        }
        hotels.get(":id") { _, context in
            _ = try context.requireOperator()
            return try await contract(try Self.id(context))
        }
        hotels.put(":id") { request, context in
            _ = try context.requireOperator()
            let id = try Self.id(context)
            let input = try await request.decode(as: HotelInput.self, context: context)
            let current = try await contract(id)
            if let currency = input.currency, currency != current.currency {
                throw Problem(.unprocessableContent, code: "currency_fixed", detail: "A contract keeps its currency (\(current.currency)); prices are in it.")
            }
            guard try await contracts.update(try Self.hotel(input, id: id, currency: current.currency)) else { throw Self.noContract(id) }
            catalog.invalidate()
            return try await contract(id)
        }
        hotels.put(":id/room-types/:code") { request, context in
            _ = try context.requireOperator()
            let id = try Self.id(context)
            let input = try await request.decode(as: RoomTypeInput.self, context: context)
            let room = RoomType(code: try context.parameters.require("code"), name: input.name, maxOccupancy: input.maxOccupancy)
            try ContractRules.check(room)
            _ = try await contract(id)
            try await contracts.put(room, in: id)
            catalog.invalidate()
            return try await contract(id)
        }
        hotels.put(":id/rate-plans/:code") { request, context in
            _ = try context.requireOperator()
            let id = try Self.id(context)
            let input = try await request.decode(as: RatePlanInput.self, context: context)
            let plan = RatePlan(
                code: try context.parameters.require("code"), name: input.name, board: input.board, refundable: input.refundable, cancellation: input.cancellation ?? [])
            try ContractRules.check(plan)
            _ = try await contract(id)
            try await contracts.put(plan, in: id)
            catalog.invalidate()
            return try await contract(id)
        }
        hotels.post(":id/calendar") { request, context in
            _ = try context.requireOperator()
            let id = try Self.id(context)
            let input = try await request.decode(as: CalendarInput.self, context: context)
            let hotel = try await contract(id)
            try Self.check(input.updates, against: hotel, today: CalendarDate(utc: clock()))
            let written = try await calendar.apply(input.updates, hotel: id, cause: .calendar, trace: context.trace)
            desk.sellable.forget(id)
            return CalendarWritten(updates: input.updates.count, written: written)
        }
        hotels.get(":id/calendar") { request, context in
            _ = try context.requireOperator()
            let id = try Self.id(context)
            let parameters = request.uri.queryParameters
            guard let from = parameters["from"].flatMap({ CalendarDate($0) }), let to = parameters["to"].flatMap({ CalendarDate($0) }),
                  from <= to, from.nights(until: to) <= 366
            else { throw Problem(.badRequest, code: "invalid_query", detail: "from and to (YYYY-MM-DD, to not before from, at most 366 days apart) are required.") }
            _ = try await contract(id)
            let room = parameters["room_type"].map(String.init)
            return CalendarPage(hotelId: id, from: from, to: to, nights: try await calendar.nights(hotel: id, roomType: room, from: from, to: to))
        }
        router.get("api/v1/admin/inventory/holds/:order") { _, context -> Hold in
            _ = try context.requireOperator()
            let order = try context.parameters.require("order")
            guard let hold = try await desk.holds.hold(of: order) else { throw Problem(.notFound, code: "unknown_hold", detail: "Order \(order.prefix(100)) holds no rooms.") }
            return hold
        }
    }

    /// Every update is valid and names the hotel's own room types and rate plans; a 4xx saying which otherwise.
    static func check(_ updates: [CalendarUpdate], against hotel: ContractHotel, today: CalendarDate) throws {
        guard (1...maximumUpdates).contains(updates.count) else {
            throw Problem(.badRequest, code: "invalid_calendar", detail: "updates must hold 1 to \(maximumUpdates) updates.")
        }
        let rooms = Set(hotel.roomTypes.map(\.code)), plans = Set(hotel.ratePlans.map(\.code))
        for (index, update) in updates.enumerated() {
            if let (field, reason) = update.violation(today: today) {
                throw Problem(.unprocessableContent, code: "invalid_calendar", detail: "updates[\(index)].\(field) \(reason).",
                              extensions: ["field": .string("updates[\(index)].\(field)")])
            }
            guard rooms.contains(update.roomType) else {
                throw Problem(.unprocessableContent, code: "unknown_room_type", detail: "updates[\(index)]: hotel \(hotel.hotelId) has no room type \(update.roomType).")
            }
            if let unknown = update.prices?.keys.first(where: { !plans.contains($0) }) {
                throw Problem(.unprocessableContent, code: "unknown_rate_plan", detail: "updates[\(index)]: hotel \(hotel.hotelId) has no rate plan \(unknown).")
            }
        }
    }

    func contract(_ id: Int64) async throws -> ContractHotel {
        guard let hotel = try await contracts.hotel(id) else { throw Self.noContract(id) }
        return hotel
    }

    static func hotel(_ input: HotelInput, id: Int64, currency: String) throws -> ContractHotel {
        try TextRule.name.check(input.name, field: "name")
        try TextRule.code.check(input.channel, field: "channel")
        try TextRule.code.check(input.channelHotelCode, field: "channel_hotel_code")
        guard (input.channel == nil) == (input.channelHotelCode == nil) else {
            throw Problem(.badRequest, code: "invalid_channel", detail: "Give channel and channel_hotel_code together, or neither.")
        }
        return ContractHotel(
            hotelId: id, name: input.name, currency: currency, channel: input.channel, channelHotelCode: input.channelHotelCode, onSale: input.onSale ?? true,
            roomTypes: [], ratePlans: [])
    }

    static func id(_ context: PlatformRequestContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")), id > 0 else {
            throw Problem(.badRequest, code: "invalid_hotel", detail: "The hotel id is matching's master hotel id, a positive number.")
        }
        return id
    }

    static func noContract(_ id: Int64) -> Problem {
        Problem(.notFound, code: "unknown_contract", detail: "Hotel \(id) has no direct contract.")
    }
}

extension ContractHotel: ResponseEncodable {}
