// The bed-bank JSON protocol (camelCase, in the style of the large bed banks' hotel APIs): what the
// simulator serves and supplier-adapter speaks. Amounts are decimal strings.

import FoundationEssentials
import Shared

public enum BedBank {
    public static let apiPath = "hotel-api/1.0"
    public static let contentPath = "hotel-content-api/1.0"

    // MARK: availability

    public struct Stay: Codable, Sendable, Equatable {
        public var checkIn: CalendarDate
        public var checkOut: CalendarDate
        public init(checkIn: CalendarDate, checkOut: CalendarDate) {
            self.checkIn = checkIn
            self.checkOut = checkOut
        }
    }

    public struct Pax: Codable, Sendable, Equatable {
        /// "AD" adult, "CH" child.
        public var type: String
        public var age: Int?
        public var name: String?
        public var surname: String?
        public init(type: String, age: Int? = nil, name: String? = nil, surname: String? = nil) {
            self.type = type
            self.age = age
            self.name = name
            self.surname = surname
        }
    }

    public struct OccupancyRequest: Codable, Sendable, Equatable {
        public var rooms: Int
        public var adults: Int
        public var children: Int
        public var paxes: [Pax]?
        public init(rooms: Int, adults: Int, children: Int, paxes: [Pax]?) {
            self.rooms = rooms
            self.adults = adults
            self.children = children
            self.paxes = paxes
        }
    }

    public struct HotelFilter: Codable, Sendable, Equatable {
        public var hotel: [String]
        public init(hotel: [String]) { self.hotel = hotel }
    }

    public struct Geolocation: Codable, Sendable, Equatable {
        public var latitude: Double
        public var longitude: Double
        public var radius: Double
        public var unit: String
        public init(latitude: Double, longitude: Double, radius: Double, unit: String = "km") {
            self.latitude = latitude
            self.longitude = longitude
            self.radius = radius
            self.unit = unit
        }
    }

    public struct AvailabilityRequest: Codable, Sendable, Equatable {
        public var stay: Stay
        public var occupancies: [OccupancyRequest]
        public var hotels: HotelFilter?
        public var geolocation: Geolocation?
        public init(stay: Stay, occupancies: [OccupancyRequest], hotels: HotelFilter?, geolocation: Geolocation?) {
            self.stay = stay
            self.occupancies = occupancies
            self.hotels = hotels
            self.geolocation = geolocation
        }
    }

    public struct CancellationPolicy: Codable, Sendable, Equatable {
        public var amount: Amount
        public var from: Date
        public init(amount: Amount, from: Date) {
            self.amount = amount
            self.from = from
        }
    }

    public struct Rate: Codable, Sendable, Equatable {
        /// Absent in booking details, like the fields below that only describe a rate for sale.
        public var rateKey: String?
        /// "NOR" refundable, "NRF" non-refundable.
        public var rateClass: String?
        public var rateType: String?
        public var net: Amount
        public var sellingRate: Amount?
        public var hotelMandatory: Bool?
        public var allotment: Int?
        public var boardCode: String
        public var boardName: String
        public var rooms: Int
        public var adults: Int?
        public var children: Int?
        public var cancellationPolicies: [CancellationPolicy]
        public init(
            rateKey: String?, rateClass: String?, rateType: String?, net: Amount, sellingRate: Amount?, hotelMandatory: Bool?, allotment: Int?,
            boardCode: String, boardName: String, rooms: Int, adults: Int?, children: Int?, cancellationPolicies: [CancellationPolicy]
        ) {
            self.rateKey = rateKey
            self.rateClass = rateClass
            self.rateType = rateType
            self.net = net
            self.sellingRate = sellingRate
            self.hotelMandatory = hotelMandatory
            self.allotment = allotment
            self.boardCode = boardCode
            self.boardName = boardName
            self.rooms = rooms
            self.adults = adults
            self.children = children
            self.cancellationPolicies = cancellationPolicies
        }
    }

    public struct Room: Codable, Sendable, Equatable {
        public var code: String
        public var name: String
        public var rates: [Rate]
        public init(code: String, name: String, rates: [Rate]) {
            self.code = code
            self.name = name
            self.rates = rates
        }
    }

    public struct Hotel: Codable, Sendable, Equatable {
        public var code: String
        public var name: String
        public var categoryCode: String?
        public var destinationName: String?
        public var latitude: String?
        public var longitude: String?
        public var currency: String
        public var checkIn: CalendarDate?
        public var checkOut: CalendarDate?
        public var totalNet: Amount?
        public var rooms: [Room]
        public init(
            code: String, name: String, categoryCode: String?, destinationName: String?, latitude: String?, longitude: String?, currency: String,
            checkIn: CalendarDate?, checkOut: CalendarDate?, totalNet: Amount?, rooms: [Room]
        ) {
            self.code = code
            self.name = name
            self.categoryCode = categoryCode
            self.destinationName = destinationName
            self.latitude = latitude
            self.longitude = longitude
            self.currency = currency
            self.checkIn = checkIn
            self.checkOut = checkOut
            self.totalNet = totalNet
            self.rooms = rooms
        }
    }

    public struct HotelList: Codable, Sendable, Equatable {
        public var checkIn: CalendarDate
        public var checkOut: CalendarDate
        public var total: Int
        public var hotels: [Hotel]
        public init(checkIn: CalendarDate, checkOut: CalendarDate, total: Int, hotels: [Hotel]) {
            self.checkIn = checkIn
            self.checkOut = checkOut
            self.total = total
            self.hotels = hotels
        }
    }

    public struct AvailabilityResponse: Codable, Sendable, Equatable {
        public var hotels: HotelList
        public init(hotels: HotelList) { self.hotels = hotels }
    }

    // MARK: rate check

    public struct RateKeyRef: Codable, Sendable, Equatable {
        public var rateKey: String
        public var paxes: [Pax]?
        public init(rateKey: String, paxes: [Pax]? = nil) {
            self.rateKey = rateKey
            self.paxes = paxes
        }
    }

    public struct CheckRateRequest: Codable, Sendable, Equatable {
        public var rooms: [RateKeyRef]
        public init(rooms: [RateKeyRef]) { self.rooms = rooms }
    }

    public struct CheckRateResponse: Codable, Sendable, Equatable {
        public var hotel: Hotel
        public init(hotel: Hotel) { self.hotel = hotel }
    }

    // MARK: bookings

    public struct Holder: Codable, Sendable, Equatable {
        public var name: String
        public var surname: String
        public init(name: String, surname: String) {
            self.name = name
            self.surname = surname
        }
    }

    public struct BookingRequest: Codable, Sendable, Equatable {
        public var holder: Holder
        public var rooms: [RateKeyRef]
        public var clientReference: String
        public var remark: String?
        public init(holder: Holder, rooms: [RateKeyRef], clientReference: String, remark: String?) {
            self.holder = holder
            self.rooms = rooms
            self.clientReference = clientReference
            self.remark = remark
        }
    }

    public struct Booking: Codable, Sendable, Equatable {
        public var reference: String
        public var clientReference: String
        public var creationDate: CalendarDate?
        /// CONFIRMED or CANCELLED.
        public var status: String
        public var holder: Holder
        public var hotel: Hotel
        public var totalNet: Amount
        public var currency: String
        /// On cancellation (real or simulated): what it costs.
        public var cancellationAmount: Amount?
        public init(
            reference: String, clientReference: String, creationDate: CalendarDate?, status: String, holder: Holder, hotel: Hotel, totalNet: Amount,
            currency: String, cancellationAmount: Amount?
        ) {
            self.reference = reference
            self.clientReference = clientReference
            self.creationDate = creationDate
            self.status = status
            self.holder = holder
            self.hotel = hotel
            self.totalNet = totalNet
            self.currency = currency
            self.cancellationAmount = cancellationAmount
        }
    }

    public struct BookingResponse: Codable, Sendable, Equatable {
        public var booking: Booking
        public init(booking: Booking) { self.booking = booking }
    }

    public struct BookingList: Codable, Sendable, Equatable {
        public var total: Int
        public var bookings: [Booking]
        public init(total: Int, bookings: [Booking]) {
            self.total = total
            self.bookings = bookings
        }
    }

    public struct BookingListResponse: Codable, Sendable, Equatable {
        public var bookings: BookingList
        public init(bookings: BookingList) { self.bookings = bookings }
    }

    // MARK: content

    public struct Content: Codable, Sendable, Equatable {
        public var content: String
        public init(_ content: String) { self.content = content }
    }

    public struct Coordinates: Codable, Sendable, Equatable {
        public var latitude: Double
        public var longitude: Double
        public init(latitude: Double, longitude: Double) {
            self.latitude = latitude
            self.longitude = longitude
        }
    }

    public struct ContentHotel: Codable, Sendable, Equatable {
        public var code: String
        public var name: Content
        public var countryCode: String
        public var city: Content
        public var address: Content
        public var coordinates: Coordinates
        /// "4EST" for four stars; absent when unknown.
        public var categoryCode: String?
        public var chainCode: String?
        public init(
            code: String, name: Content, countryCode: String, city: Content, address: Content, coordinates: Coordinates, categoryCode: String?,
            chainCode: String?
        ) {
            self.code = code
            self.name = name
            self.countryCode = countryCode
            self.city = city
            self.address = address
            self.coordinates = coordinates
            self.categoryCode = categoryCode
            self.chainCode = chainCode
        }
    }

    public struct ContentResponse: Codable, Sendable, Equatable {
        public var from: Int
        public var to: Int
        public var total: Int
        public var hotels: [ContentHotel]
        public init(from: Int, to: Int, total: Int, hotels: [ContentHotel]) {
            self.from = from
            self.to = to
            self.total = total
            self.hotels = hotels
        }
    }

    // MARK: errors

    public struct ErrorDetail: Codable, Sendable, Equatable {
        public var code: String
        public var message: String
        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    public struct ErrorResponse: Codable, Sendable, Equatable {
        public var error: ErrorDetail
        public init(code: String, message: String) { error = ErrorDetail(code: code, message: message) }
    }

    /// "4EST" <-> 4.
    public static func category(stars: Int?) -> String? { stars.map { "\($0)EST" } }
    public static func stars(category: String?) -> Int? {
        guard let category, category.hasSuffix("EST") else { return nil }
        return Int(category.dropLast(3))
    }

    public static let boardNames: [Board: String] = [
        .roomOnly: "ROOM ONLY", .bedAndBreakfast: "BED AND BREAKFAST", .halfBoard: "HALF BOARD", .fullBoard: "FULL BOARD", .allInclusive: "ALL INCLUSIVE",
    ]
}
