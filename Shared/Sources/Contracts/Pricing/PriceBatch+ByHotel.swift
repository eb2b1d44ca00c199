// pricing's batch in its compact shape (`POST /prices/by-hotel`), the one PricingClient sends: the
// offers grouped by what a supplier's offers at one hotel share (supplier, master hotel, country,
// city, stars, check-in, the net's currency), so each offer carries only its board, refundability
// and amounts; the answer lists the prices in the offers' order, without ids, the currency once.
// A quarter of `POST /prices`'s bytes for a search's batch, and reading the batch was most of
// pricing's CPU. Read, it stays in its groups: pricing works out what a group shares once.
//
//   {"tenant_id": "t", "currency": "EUR", "booking_date": "2026-12-07",
//    "hotels": [{"supplier": "globebeds", "master_hotel_id": 7, "country_code": "FR", "city": "Paris", "stars": 4,
//                "check_in": "2027-06-01", "net_currency": "USD",
//                "offers": [{"board": "BB", "refundable": true, "net": "180.00", "minimum_sell": {"amount": "190", "currency": "USD"}}]}]}
//   -> {"currency": "EUR", "offers": [{"sell": "171.12", "net": "162.90", "rule_id": "r1", "guard": "min_margin"}, {"unpriced": "..."}]}

import FoundationEssentials

extension PriceBatchRequest {
    /// The request as `POST /prices/by-hotel` takes it: kept in its groups when read, so pricing
    /// works out what a group shares (its rules, its conversions) once.
    public struct ByHotel: Sendable, JSONWritable, JSONReadable {
        public var tenantId: String
        public var currency: String
        public var bookingDate: CalendarDate?
        public var hotels: [Hotel]

        /// A supplier's offers at one hotel, for one check-in, with a net in one currency.
        public struct Hotel: Sendable, Equatable {
            public var supplier: String
            public var masterHotelId: Int64?
            public var countryCode: String?
            public var city: String?
            public var stars: Int?
            public var checkIn: CalendarDate
            public var netCurrency: String
            public var offers: [Terms]

            public init(
                supplier: String, masterHotelId: Int64?, countryCode: String?, city: String?, stars: Int?, checkIn: CalendarDate, netCurrency: String,
                offers: [Terms]
            ) {
                (self.supplier, self.masterHotelId, self.countryCode, self.city, self.stars) = (supplier, masterHotelId, countryCode, city, stars)
                (self.checkIn, self.netCurrency, self.offers) = (checkIn, netCurrency, offers)
            }

            /// What `lead` shares with the other offers of its group, and `offers`.
            public init(sharedBy lead: PriceableOffer, offers: [Terms]) {
                self.init(
                    supplier: lead.supplier, masterHotelId: lead.masterHotelId, countryCode: lead.countryCode, city: lead.city, stars: lead.stars,
                    checkIn: lead.checkIn, netCurrency: lead.net.currency, offers: offers)
            }
        }

        /// What is an offer's own within its group.
        public struct Terms: Sendable, Equatable {
            public var board: Board
            public var refundable: Bool
            public var net: Amount
            public var minimumSell: Money?

            public init(board: Board, refundable: Bool, net: Amount, minimumSell: Money?) {
                (self.board, self.refundable, self.net, self.minimumSell) = (board, refundable, net, minimumSell)
            }

            /// `offer`'s own terms.
            public init(_ offer: PriceableOffer) {
                self.init(board: offer.board, refundable: offer.refundable, net: offer.net.amount, minimumSell: offer.minimumSell)
            }
        }

        /// The offers grouped in runs of what they share, in order.
        public init(_ request: PriceBatchRequest) {
            (tenantId, currency, bookingDate) = (request.tenantId, request.currency, request.bookingDate)
            hotels = Self.groups(of: request.offers).map { range in
                Hotel(sharedBy: request.offers[range.lowerBound], offers: request.offers[range].map(Terms.init))
            }
        }

        /// How many offers in all.
        public var count: Int { hotels.reduce(0) { $0 + $1.offers.count } }

        public func write(json: inout JSONWriter) {
            json.object {
                $0.field("tenant_id", tenantId)
                $0.field("currency", currency)
                $0.field("booking_date", bookingDate)
                $0.key("hotels")
                $0.array(hotels) { json, hotel in
                    json.object {
                        $0.field("supplier", hotel.supplier)
                        $0.field("master_hotel_id", hotel.masterHotelId)
                        $0.field("country_code", hotel.countryCode)
                        $0.field("city", hotel.city)
                        $0.field("stars", hotel.stars)
                        $0.field("check_in", hotel.checkIn)
                        $0.field("net_currency", hotel.netCurrency)
                        $0.key("offers")
                        $0.array(hotel.offers) { json, offer in
                            json.object {
                                $0.field("board", code: offer.board)
                                $0.field("refundable", offer.refundable)
                                $0.field("net", offer.net)
                                $0.field("minimum_sell", offer.minimumSell)
                            }
                        }
                    }
                }
            }
        }

        /// Runs of offers that share their group's fields, in order (the answer keeps the offers' order).
        static func groups(of offers: [PriceableOffer]) -> [Range<Int>] {
            var groups: [Range<Int>] = []
            var start = 0
            for index in offers.indices.dropFirst() where !offers[index].sharesGroup(with: offers[start]) {
                groups.append(start..<index)
                start = index
            }
            if !offers.isEmpty { groups.append(start..<offers.count) }
            return groups
        }

        public init(json: inout JSONReader) throws {
            var tenantId: String?, currency: String?, bookingDate: CalendarDate?, hotels: [Hotel]?
            try json.object { reader, key in
                if reader.null() { return }
                switch key {
                case "tenant_id": tenantId = try reader.string()
                case "currency": currency = try reader.string()
                case "booking_date": bookingDate = try reader.calendarDate()
                case "hotels": hotels = try reader.array { try Hotel(json: &$0) }
                default: try reader.skip()
                }
            }
            guard let tenantId, let currency, let hotels else { throw json.failure("a batch with tenant_id, currency and hotels") }
            (self.tenantId, self.currency, self.bookingDate, self.hotels) = (tenantId, currency, bookingDate, hotels)
        }
    }
}

extension PriceBatchRequest.ByHotel.Hotel {
    init(json: inout JSONReader) throws {
        var supplier: String?, masterHotelId: Int64?, countryCode: String?, city: String?, stars: Int?, checkIn: CalendarDate?
        var netCurrency: String?, offers: [PriceBatchRequest.ByHotel.Terms] = []
        try json.object { reader, key in
            if reader.null() { return }
            switch key {
            case "supplier": supplier = try reader.string()
            case "master_hotel_id": masterHotelId = Int64(try reader.int())
            case "country_code": countryCode = try reader.string()
            case "city": city = try reader.string()
            case "stars": stars = try reader.int()
            case "check_in": checkIn = try reader.calendarDate()
            case "net_currency": netCurrency = try reader.string()
            case "offers": offers = try reader.array { try PriceBatchRequest.ByHotel.Terms(json: &$0) }
            default: try reader.skip()
            }
        }
        guard let supplier, let checkIn, let netCurrency else { throw json.failure("a hotel with supplier, check_in, net_currency and offers") }
        self.init(
            supplier: supplier, masterHotelId: masterHotelId, countryCode: countryCode, city: city, stars: stars, checkIn: checkIn, netCurrency: netCurrency,
            offers: offers)
    }
}

extension PriceBatchRequest.ByHotel.Terms {
    init(json: inout JSONReader) throws {
        var board: Board?, refundable: Bool?, net: Amount?, minimumSell: Money?
        try json.object { reader, key in
            if reader.null() { return }
            switch key {
            case "board": board = try reader.code(Board.self)
            case "refundable": refundable = try reader.bool()
            case "net": net = try reader.amount()
            case "minimum_sell": minimumSell = try Money(json: &reader)
            default: try reader.skip()
            }
        }
        guard let board, let refundable, let net else { throw json.failure("an offer with board, refundable and net") }
        self.init(board: board, refundable: refundable, net: net, minimumSell: minimumSell)
    }
}

extension PriceableOffer {
    /// Whether the two can travel in one group of the compact batch.
    func sharesGroup(with other: PriceableOffer) -> Bool {
        supplier == other.supplier && masterHotelId == other.masterHotelId && countryCode == other.countryCode && city == other.city
            && stars == other.stars && checkIn == other.checkIn && net.currency == other.net.currency
    }
}

extension PriceBatchResult {
    /// The answer as `POST /prices/by-hotel` gives it: one price per offer in the request's order.
    public struct InOrder: JSONWritable, JSONReadable {
        public var currency: String
        /// Their ids are not written; read, they are empty until `matched(to:)`.
        public var offers: [PricedOffer]

        public init(currency: String, offers: [PricedOffer]) {
            self.currency = currency
            self.offers = offers
        }

        /// The answer with the request's ids, offer by offer; nil when the counts differ.
        public func matched(to request: PriceBatchRequest) -> PriceBatchResult? {
            guard offers.count == request.offers.count else { return nil }
            return PriceBatchResult(offers: zip(offers, request.offers).map { priced, offer in
                var priced = priced
                priced.id = offer.id
                return priced
            })
        }

        public func write(json: inout JSONWriter) {
            json.object {
                $0.field("currency", currency)
                $0.key("offers")
                $0.array(offers) { json, offer in
                    json.object {
                        $0.field("sell", offer.sell?.amount)
                        $0.field("net", offer.net?.amount)
                        $0.field("rule_id", offer.ruleId)
                        $0.field("guard", offer.guardApplied)
                        $0.field("unpriced", offer.unpriced)
                    }
                }
            }
        }

        public init(json: inout JSONReader) throws {
            var currency: String?, offers: [(sell: Amount?, net: Amount?, ruleId: String?, guardApplied: String?, unpriced: String?)]?
            try json.object { reader, key in
                switch key {
                case "currency": currency = try reader.string()
                case "offers": offers = try reader.array { try Self.readPrice(&$0) }
                default: try reader.skip()
                }
            }
            guard let currency, let offers else { throw json.failure("prices with a currency and offers") }
            self.init(currency: currency, offers: offers.map { price in
                PricedOffer(
                    id: "", sell: price.sell.map { Money($0, currency) }, net: price.net.map { Money($0, currency) }, ruleId: price.ruleId,
                    guardApplied: price.guardApplied, unpriced: price.unpriced)
            })
        }

        private static func readPrice(_ json: inout JSONReader) throws -> (sell: Amount?, net: Amount?, ruleId: String?, guardApplied: String?, unpriced: String?) {
            var sell: Amount?, net: Amount?, ruleId: String?, guardApplied: String?, unpriced: String?
            try json.object { reader, key in
                if reader.null() { return }
                switch key {
                case "sell": sell = try reader.amount()
                case "net": net = try reader.amount()
                case "rule_id": ruleId = try reader.string()
                case "guard": guardApplied = try reader.string()
                case "unpriced": unpriced = try reader.string()
                default: try reader.skip()
                }
            }
            guard unpriced != nil || (sell != nil && net != nil) else { throw json.failure("a price with sell and net, or why it is unpriced") }
            return (sell, net, ruleId, guardApplied, unpriced)
        }
    }
}
