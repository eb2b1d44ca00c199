// The bed-bank availability answer written and read by hand is the document the Codable form
// describes: each reads what the other writes, optional members left out or null, required ones
// refused when missing.

import Foundation
@testable import Shared
import SupplierProtocols
import Testing

@Suite struct BedBankJSONTests {
    static let answer: BedBank.AvailabilityResponse = {
        let checkIn = CalendarDate("2027-03-01")!, checkOut = CalendarDate("2027-03-03")!
        let policies = [
            BedBank.CancellationPolicy(amount: Amount("61.20")!, from: Date(timeIntervalSince1970: 1_803_000_000.125)),
            BedBank.CancellationPolicy(amount: Amount("122.40")!, from: Date(timeIntervalSince1970: 1_803_086_400)),
        ]
        let rates = [
            BedBank.Rate(
                rateKey: "k1|\"quoted\"|é", rateClass: "NOR", rateType: "BOOKABLE", net: Amount("122.40")!, sellingRate: Amount("150.00")!,
                hotelMandatory: true, allotment: 3, boardCode: "BB", boardName: "Bed and breakfast", rooms: 1, adults: 2, children: 0,
                cancellationPolicies: policies),
            BedBank.Rate(
                rateKey: nil, rateClass: nil, rateType: nil, net: Amount("99")!, sellingRate: nil, hotelMandatory: nil, allotment: nil,
                boardCode: "RO", boardName: "Room only", rooms: 2, adults: nil, children: nil, cancellationPolicies: []),
        ]
        let hotels = [
            BedBank.Hotel(
                code: "H1", name: "Hôtel \\ du Nord", categoryCode: "4EST", destinationName: "Paris", latitude: "48.85", longitude: "2.35",
                currency: "EUR", checkIn: checkIn, checkOut: checkOut, totalNet: Amount("99")!,
                rooms: [BedBank.Room(code: "DBL", name: "Double", rates: rates)]),
            BedBank.Hotel(
                code: "H2", name: "Second", categoryCode: nil, destinationName: nil, latitude: nil, longitude: nil, currency: "USD",
                checkIn: nil, checkOut: nil, totalNet: nil, rooms: []),
        ]
        return BedBank.AvailabilityResponse(hotels: .init(checkIn: checkIn, checkOut: checkOut, total: 2, hotels: hotels))
    }()

    @Test func whatOneWritesTheOtherReads() throws {
        let written = JSONWriter.bytes(of: Self.answer)
        #expect(try PlatformJSON.decoder.decode(BedBank.AvailabilityResponse.self, from: Data(written)) == Self.answer)
        let encoded = Array(try PlatformJSON.encoder.encode(Self.answer))
        #expect(try JSONReader.read(BedBank.AvailabilityResponse.self, from: encoded) == Self.answer)
    }

    @Test func nullOptionalsAreReadAndMissingRequiredMembersRefused() throws {
        let rate = #"{"net":"10.00","sellingRate":null,"hotelMandatory":null,"boardCode":"RO","boardName":"Room only","rooms":1,"cancellationPolicies":[],"extra":{"a":[1]}}"#
        let read = try JSONReader.read(BedBank.Rate.self, from: Array(rate.utf8))
        #expect(read.net == Amount("10.00")! && read.sellingRate == nil && read.hotelMandatory == nil)
        let noNet = #"{"boardCode":"RO","boardName":"Room only","rooms":1,"cancellationPolicies":[]}"#
        #expect(throws: JSONReader.Failure.self) { try JSONReader.read(BedBank.Rate.self, from: Array(noNet.utf8)) }
        let badDate = #"{"amount":"1.00","from":"tomorrow"}"#
        #expect(throws: JSONReader.Failure.self) { try JSONReader.read(BedBank.CancellationPolicy.self, from: Array(badDate.utf8)) }
    }
}
