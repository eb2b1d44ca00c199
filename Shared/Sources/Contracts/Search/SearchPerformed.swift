// `search.performed`: one per search, published by query-engine, taken in by bi (conversion).

public struct SearchPerformed: Codable, Sendable, Equatable {
    public static let type = "search.performed"

    public var searchId: String
    /// `city:<name>[,<country>]`, `near:<lat>,<lon>,<km>` or `hotels:<count>`.
    public var destination: String
    public var checkIn: CalendarDate
    public var checkOut: CalendarDate
    public var rooms: Int
    public var currency: String
    /// Hotels found.
    public var hotels: Int
    public var latencyMs: Int

    public init(searchId: String, destination: String, checkIn: CalendarDate, checkOut: CalendarDate, rooms: Int, currency: String, hotels: Int, latencyMs: Int) {
        (self.searchId, self.destination, self.checkIn, self.checkOut) = (searchId, destination, checkIn, checkOut)
        (self.rooms, self.currency, self.hotels, self.latencyMs) = (rooms, currency, hotels, latencyMs)
    }

    /// The city of a `city:` destination.
    public var city: String? {
        guard destination.hasPrefix("city:") else { return nil }
        return destination.dropFirst(5).split(separator: ",").first.map(String.init)
    }

    enum CodingKeys: String, CodingKey {
        case searchId = "search_id", destination, checkIn = "check_in", checkOut = "check_out", rooms, currency, hotels, latencyMs = "latency_ms"
    }
}
