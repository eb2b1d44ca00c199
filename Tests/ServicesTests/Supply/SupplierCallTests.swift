// supplier-adapter against the simulator, in both protocols: the whole booking path, malformed and
// refused answers, retries only where safe, the breaker, and the booking whose answer was lost.

import Foundation
import HTTPTypes
import HummingbirdTesting
@testable import Shared
@testable import SupplierAdapter
import Testing
import TestSupport

@Suite(.serialized) struct SupplierCallTests {
    static let suppliers = ["globebeds", "otaconnect"]

    func availability(_ client: any TestClientProtocol, _ code: String, hotels: [String]) async throws -> (status: HTTPResponse.Status, json: Any?) {
        let (checkIn, checkOut) = client.stay()
        return try await client.call("/suppliers/\(code)/availability", .post,
                                     body: ["check_in": checkIn, "check_out": checkOut, "occupancy": ["adults": 2], "hotel_codes": hotels])
    }

    /// The first `count` hotel codes of the supplier's content feed, read through the adapter.
    func hotelCodes(_ client: any TestClientProtocol, _ code: String, count: Int = 20) async throws -> [String] {
        let (status, json) = try await client.call("/suppliers/\(code)/hotels?page=1", .get)
        #expect(status == .ok, "content: \(String(describing: json))")
        let hotels = try #require((json as? [String: Any])?["hotels"] as? [[String: Any]])
        return hotels.prefix(count).compactMap { $0["code"] as? String }
    }

    @Test(arguments: suppliers) func searchCheckBookReadCancel(_ supplier: String) async throws {
        try await SupplyHarness().run { simulator, client in
            let code = try await client.register(supplier, on: simulator)
            let codes = try await hotelCodes(client, code)
            #expect(codes.count == 20)
            let (status, json) = try await availability(client, code, hotels: codes)
            let offers = try #require((json as? [String: Any])?["offers"] as? [[String: Any]])
            #expect(status == .ok && offers.count > 20, "\(offers.count) offers")
            #expect(offers.allSatisfy { Amount(($0["net"] as? String) ?? "") != nil && ($0["rate_key"] as? String)?.isEmpty == false && $0["currency"] as? String != nil })
            let offer = try #require(offers.first { $0["rate_type"] as? String == "BOOKABLE" && $0["refundable"] as? Bool == true })

            let check = try await client.call("/suppliers/\(code)/rate-checks", .post, body: ["rate_key": offer["rate_key"]!, "expected_net": offer["net"]!])
            #expect(check.status == .ok && (check.json as? [String: Any])?["status"] as? String == "AVAILABLE", "\(String(describing: check.json))")
            let dearer = try await client.call("/suppliers/\(code)/rate-checks", .post, body: ["rate_key": offer["rate_key"]!, "expected_net": "0.01"])
            #expect((dearer.json as? [String: Any])?["status"] as? String == "PRICE_CHANGED")

            let reference = "ORD-\(UUID().uuidString.prefix(12))"
            let booked = try await client.call("/suppliers/\(code)/bookings", .post,
                                               body: ["rate_key": offer["rate_key"]!, "client_reference": reference, "holder": ["given_name": "Wei", "surname": "Li"]])
            let booking = try #require(booked.json as? [String: Any])
            #expect(booked.status == .created && booking["status"] as? String == "CONFIRMED" && booking["net"] as? String == offer["net"] as? String, "\(booking)")
            let supplierReference = try #require(booking["reference"] as? String)

            let found = try await client.call("/suppliers/\(code)/bookings?client_reference=\(reference)", .get)
            #expect((found.json as? [[String: Any]])?.map { $0["reference"] as? String } == [supplierReference])
            let quote = try await client.call("/suppliers/\(code)/bookings/\(supplierReference)/cancellation", .post, body: ["simulate": true])
            #expect((quote.json as? [String: Any])?["simulated"] as? Bool == true && (quote.json as? [String: Any])?["penalty"] as? String == "0.00",
                    "free before the deadline: \(String(describing: quote.json))")
            let read = try await client.call("/suppliers/\(code)/bookings/\(supplierReference)", .get)
            #expect((read.json as? [String: Any])?["status"] as? String == "CONFIRMED", "a quote cancels nothing")
            let cancelled = try await client.call("/suppliers/\(code)/bookings/\(supplierReference)/cancellation", .post, body: ["simulate": false])
            #expect(cancelled.status == .ok && (cancelled.json as? [String: Any])?["status"] as? String == "CANCELLED")
            let twice = try await client.call("/suppliers/\(code)/bookings/\(supplierReference)/cancellation", .post, body: ["simulate": false])
            #expect(twice.status == .unprocessableContent, "already cancelled: \(String(describing: twice.json))")
        }
    }

    @Test(arguments: suppliers) func wrongCredentialsAndUnknownRatesAreClearErrors(_ supplier: String) async throws {
        try await SupplyHarness().run { simulator, client in
            let wrong = try await client.register(supplier, on: simulator, secret: "not-the-secret")
            let refused = try await availability(client, wrong, hotels: ["1"])
            #expect(refused.status == .badGateway && (refused.json as? [String: Any])?["code"] as? String == "supplier_authentication_failed")
            let code = try await client.register(supplier, on: simulator)
            let bogus = try await client.call("/suppliers/\(code)/rate-checks", .post, body: ["rate_key": "not-a-rate-key"])
            #expect(bogus.status == .unprocessableContent && (bogus.json as? [String: Any])?["code"] as? String == "supplier_rejected", "\(String(describing: bogus.json))")
            let unknown = try await availability(client, "no-such-supplier", hotels: ["1"])
            #expect(unknown.status == .notFound)
        }
    }

    @Test func badQueriesNeverReachTheSupplier() async throws {
        try await SupplyHarness().run { simulator, client in
            let code = try await client.register("globebeds", on: simulator)
            let (checkIn, checkOut) = client.stay()
            let bodies: [([String: Any], String)] = [
                (["check_in": checkOut, "check_out": checkIn, "occupancy": ["adults": 2], "hotel_codes": ["1"]], "invalid_stay"),
                (["check_in": checkIn, "check_out": checkOut, "occupancy": ["adults": 0], "hotel_codes": ["1"]], "invalid_occupancy"),
                (["check_in": checkIn, "check_out": checkOut, "occupancy": ["adults": 2]], "invalid_query"),
                (["check_in": checkIn, "check_out": checkOut, "occupancy": ["adults": 2], "area": ["latitude": 95, "longitude": 0, "radius_km": 1]], "invalid_area"),
                (["check_in": "2026-13-01", "check_out": checkOut, "occupancy": ["adults": 2], "hotel_codes": ["1"]], "invalid_body"),
            ]
            for (body, problem) in bodies {
                let (status, json) = try await client.call("/suppliers/\(code)/availability", .post, body: body)
                #expect(status == .badRequest && (json as? [String: Any])?["code"] as? String == problem, "\(problem): \(String(describing: json))")
            }
            #expect(try await client.metricLines("supplier_calls_total", "supplier=\"\(code)\"").isEmpty)
        }
    }

    @Test(arguments: suppliers) func malformedAnswersBecomeAClearErrorAndACountedMetric(_ supplier: String) async throws {
        try await SupplyHarness(["RETRY_MAX_ATTEMPTS": "2"]).run { simulator, client in
            let code = try await client.register(supplier, on: simulator)
            try await simulator.setFaults(supplier, ["malformed_rate": 1])
            let (status, json) = try await availability(client, code, hotels: ["1"])
            #expect(status == .badGateway && (json as? [String: Any])?["code"] as? String == "supplier_malformed_response", "\(String(describing: json))")
            let counted = try await client.metricLines("supplier_malformed_responses_total", "supplier=\"\(code)\"")
            #expect(counted.first?.hasSuffix(" 2") == true, "both attempts counted: \(counted)")
        }
    }

    @Test func readsAreRetriedBookingsNever() async throws {
        try await SupplyHarness(["RETRY_MAX_ATTEMPTS": "3"]).run { simulator, client in
            let code = try await client.register("globebeds", on: simulator)
            let codes = try await hotelCodes(client, code, count: 5)
            let offers = try #require(((try await availability(client, code, hotels: codes)).json as? [String: Any])?["offers"] as? [[String: Any]])
            let offer = try #require(offers.first { $0["rate_type"] as? String == "BOOKABLE" })
            try await simulator.setFaults("globebeds", ["error_rate": 1])
            #expect(try await availability(client, code, hotels: codes).status == .badGateway)
            #expect(try await client.metricLines("supplier_calls_total", "supplier=\"\(code)\"", "operation=\"availability\"", "outcome=\"server_error\"").first?.hasSuffix(" 3") == true,
                    "three attempts of a search")

            let reference = "ORD-\(UUID().uuidString.prefix(12))"
            let booked = try await client.call("/suppliers/\(code)/bookings", .post,
                                               body: ["rate_key": offer["rate_key"]!, "client_reference": reference, "holder": ["given_name": "Ana", "surname": "Ruiz"]])
            #expect(booked.status == .badGateway && (booked.json as? [String: Any])?["code"] as? String == "supplier_booking_unknown", "\(String(describing: booked.json))")
            #expect(try await client.metricLines("supplier_calls_total", "supplier=\"\(code)\"", "operation=\"book\"").map { $0.split(separator: " ").last } == ["1"],
                    "the booking went out once")
            #expect(try await client.metricLines("supplier_calls_total", "supplier=\"\(code)\"", "operation=\"booking_lookup\"").isEmpty == false, "then it was looked up")
        }
    }

    @Test(arguments: suppliers) func aBookingWhoseAnswerIsLostIsFoundByReferenceNeverMadeTwice(_ supplier: String) async throws {
        try await SupplyHarness().run { simulator, client in
            let code = try await client.register(supplier, on: simulator, extra: ["booking_timeout_ms": 400])
            let codes = try await hotelCodes(client, code, count: 5)
            let offers = try #require(((try await availability(client, code, hotels: codes)).json as? [String: Any])?["offers"] as? [[String: Any]])
            let offer = try #require(offers.first { $0["rate_type"] as? String == "BOOKABLE" })
            try await simulator.setFaults(supplier, ["book_timeout_rate": 1, "hang_ms": 2000])
            let reference = "ORD-\(UUID().uuidString.prefix(12))"
            let booked = try await client.call("/suppliers/\(code)/bookings", .post,
                                               body: ["rate_key": offer["rate_key"]!, "client_reference": reference, "holder": ["given_name": "Ana", "surname": "Ruiz"]])
            #expect(booked.status == .created && (booked.json as? [String: Any])?["client_reference"] as? String == reference, "\(String(describing: booked.json))")
            #expect(try await client.metricLines("supplier_calls_total", "supplier=\"\(code)\"", "operation=\"book\"", "outcome=\"timeout\"").first?.hasSuffix(" 1") == true)
            #expect(try await simulator.bookings(supplier, clientReference: reference).count == 1, "one booking at the supplier, not two")
        }
    }

    @Test func theBreakerOpensOnAFailingSupplierAndClosesWhenItRecovers() async throws {
        try await SupplyHarness(["RETRY_MAX_ATTEMPTS": "1", "BREAKER_FAILURES": "3", "BREAKER_OPEN_MS": "400"]).run { simulator, client in
            let code = try await client.register("otaconnect", on: simulator)
            try await simulator.setFaults("otaconnect", ["error_rate": 1])
            for _ in 0..<3 { #expect(try await availability(client, code, hotels: ["OC10000"]).status == .badGateway) }
            let open = try await availability(client, code, hotels: ["OC10000"])
            #expect(open.status == .serviceUnavailable && (open.json as? [String: Any])?["code"] as? String == "supplier_circuit_open")
            let state = try await client.call("/suppliers", .get)
            #expect((state.json as? [[String: Any]])?.first { $0["code"] as? String == code }?["breaker"] as? String == "open")
            try await simulator.setFaults("otaconnect", [:])
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await availability(client, code, hotels: ["OC10000"]).status == .ok, "the probe passes and closes it")
            #expect(try await availability(client, code, hotels: ["OC10000"]).status == .ok)
        }
    }

    @Test func everyCallBecomesASupplierCallEvent() async throws {
        try await SupplyHarness().run { simulator, client in
            let code = try await client.register("globebeds", on: simulator)
            let answer = try await availability(client, code, hotels: ["100000"])
            #expect(answer.status == .ok)
            let offers = try #require((answer.json as? [String: Any])?["offers"] as? [[String: Any]])
            let env = EnvironmentVariables(ServiceEnvironment.all)
            let pool = PostgresPool(settings: try PostgresSettings(env, applicationName: "test"), logger: .init(label: "test"))
            let written = try await eventually(within: .seconds(5)) {
                try await pool.query("SELECT count(*) AS n FROM supplier.outbox WHERE event_type = 'supplier.call' AND body LIKE $1", ["%\"supplier\":\"\(code)\"%"])
                    .first!.int("n") == 1
            }
            #expect(written, "one supplier.call event for the one call")
            let body = try await pool.query("SELECT body FROM supplier.outbox WHERE event_type = 'supplier.call' AND body LIKE $1", ["%\"supplier\":\"\(code)\"%"]).first?.string("body")
            let event = try PlatformJSON.decoder.decode(EventEnvelope.self, from: Data(try #require(body).utf8)).payload(as: SupplierCallEvent.self)
            #expect(event.operation == "availability" && event.offers == offers.count && offers.count > 1, "with how many offers came back: \(body ?? "")")
            // And the cheapest net price for the stay asked, for matching's price comparisons.
            let (checkIn, checkOut) = client.stay()
            let lowest = try #require(offers.compactMap { ($0["net"] as? String).flatMap { Amount($0) } }.min())
            #expect(event.stay == "\(checkIn)/\(checkOut)/2" && event.quotes == [HotelQuote(hotelCode: "100000", net: lowest, currency: "EUR")],
                    "\(event.quotes ?? [])")
            try await pool.shutdown()
        }
    }
}

@Suite struct SupplierFailureTests {
    @Test func theAdapterAndMatchingSortOutcomesAlike() {
        let faults: [SupplierFailure] = [.timeout, .unreachable("refused"), .serverError(status: 500, message: ""), .malformed("cut")]
        let own: [SupplierFailure] = [.circuitOpen, .busy, .authentication(""), .disabled, .unknownSupplier("x")]
        let answers: [SupplierFailure] = [.soldOut, .priceChanged(""), .notFound(""), .rejected(code: "X", message: "")]
        #expect(faults.allSatisfy { $0.isSupplierFault && SupplierCallEvent.faultOutcomes.contains($0.outcome) })
        #expect(own.allSatisfy { !$0.isSupplierFault && SupplierCallEvent.ownOutcomes.contains($0.outcome) })
        #expect(answers.allSatisfy { !$0.isSupplierFault && !SupplierCallEvent.ownOutcomes.contains($0.outcome) }, "the supplier saying no is an answer")
        #expect(faults.allSatisfy(\.isTransient) && !answers.contains(where: \.isTransient))
        #expect(!SupplierFailure.soldOut.mayHaveTakenEffect && SupplierFailure.timeout.mayHaveTakenEffect && !SupplierFailure.unreachable("").mayHaveTakenEffect)
    }
}

@Suite struct CallRecorderTests {
    /// Past its quote capacity, an event waits without its quotes; past its capacity, it is dropped.
    @Test func quotesBeyondTheirCapacityAreLeftOutAndEventsBeyondTheirsDropped() throws {
        let pool = PostgresPool(settings: try PostgresSettings(EnvironmentVariables(ServiceEnvironment.all), applicationName: "test"), logger: .init(label: "test"))
        let recorder = CallRecorder(pool: pool, registry: .init(), logger: .init(label: "test"), capacity: 4, quoteCapacity: 5)
        func search(_ hotels: Int) -> SupplierCallEvent {
            SupplierCallEvent(supplier: "globebeds", operation: "availability", outcome: "ok", latencyMs: 5, attempt: 1, at: Date(), offers: hotels,
                              stay: "2026-12-01/2026-12-02/2", quotes: (0..<hotels).map { HotelQuote(hotelCode: "H\($0)", net: Amount(minorUnits: 10000 + $0), currency: "EUR") })
        }
        for hotels in [3, 3, 2, 0, 1] { recorder.record(search(hotels)) }
        let waiting = try recorder.waiting.map { try $0.payload(as: SupplierCallEvent.self) }
        #expect(waiting.map { $0.quotes?.count } == [3, nil, 2, 0], "the second would have made 6 quotes waiting; the fifth found no room at all")
        #expect(waiting.map(\.offers) == [3, 3, 2, 0] && waiting[1].stay == nil && waiting[2].stay == "2026-12-01/2026-12-02/2")
    }
}
