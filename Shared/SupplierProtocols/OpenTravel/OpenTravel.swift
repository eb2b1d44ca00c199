// OpenTravel Alliance (OTA 2003/05) XML: the envelope every message shares (POS credentials,
// Success / Errors), the codes used, and times and amounts as OTA writes them.

import FoundationEssentials
import Shared

public enum OpenTravel {
    public static let namespace = "http://www.opentravel.org/OTA/2003/05"
    public static let version = "1.003"

    /// An error as OTA reports it: `<Error Type="3" Code="392">Invalid hotel code</Error>`.
    public struct Failure: Error, Equatable, Sendable {
        public var code: String
        public var text: String
        public init(_ code: Code, _ text: String) {
            self.code = code.rawValue
            self.text = text
        }
        public init(code: String, text: String) {
            self.code = code
            self.text = text
        }
    }

    /// The OTA error codes (ERR list) the protocol uses.
    public enum Code: String, Sendable {
        case authorization = "497", requiredFieldMissing = "321", invalidValue = "320", invalidHotelCode = "392", noAvailability = "322"
        case invalidRate = "372", rateChanged = "373", reservationNotFound = "245", alreadyCancelled = "95", systemError = "450"
        case requiresRecheck = "374"
    }

    /// Meal plan type codes (OTA MPT) for the boards.
    public static let mealPlans: [Board: String] = [.allInclusive: "1", .bedAndBreakfast: "3", .fullBoard: "10", .halfBoard: "12", .roomOnly: "14"]
    public static func board(mealPlan: String) -> Board? { mealPlans.first { $0.value == mealPlan }?.key }

    /// The response a request message is answered with: OTA_HotelAvailRQ -> OTA_HotelAvailRS.
    public static func responseName(_ request: some StringProtocol) -> String {
        (request.hasSuffix("RQ") ? String(request.dropLast(2)) : String(request)) + "RS"
    }

    /// A request message with its POS credentials.
    public static func request(_ root: String, user: String, password: String, attributes: [(String, String)] = [], children: [XMLElement]) -> XMLElement {
        let pos = XMLElement("POS", children: [XMLElement("Source", children: [XMLElement("RequestorID", [("ID", user), ("MessagePassword", password)])])])
        return XMLElement(root, [("xmlns", namespace), ("Version", version)] + attributes, children: [pos] + children)
    }

    /// A response message that succeeded.
    public static func success(_ root: String, attributes: [(String, String)] = [], children: [XMLElement]) -> XMLElement {
        XMLElement(root, [("xmlns", namespace), ("Version", version)] + attributes, children: [XMLElement("Success")] + children)
    }

    /// A response message that failed.
    public static func errors(_ root: String, _ failure: Failure) -> XMLElement {
        XMLElement(root, [("xmlns", namespace), ("Version", version)], children: [
            XMLElement("Errors", children: [XMLElement("Error", [("Type", "3"), ("Code", failure.code)], text: failure.text)])
        ])
    }

    /// The user and password of a request, if its POS carries them.
    public static func credentials(_ message: XMLElement) -> (user: String, password: String)? {
        guard let requestor = message.path("POS", "Source", "RequestorID"), let user = requestor["ID"], let password = requestor["MessagePassword"] else { return nil }
        return (user, password)
    }

    /// Throws the message's own error when it reports one.
    public static func requireSuccess(_ message: XMLElement) throws(Failure) {
        if let error = message.path("Errors", "Error") {
            throw Failure(code: error["Code"] ?? "?", text: error.text.isEmpty ? (error["ShortText"] ?? "unspecified error") : error.text)
        }
        guard message.child("Success") != nil else { throw Failure(.systemError, "\(message.name) has neither Success nor Errors") }
    }

    public static func required(_ element: XMLElement?, _ attribute: String, in place: @autoclosure () -> String) throws(Failure) -> String {
        guard let value = element?[attribute], !value.isEmpty else { throw Failure(.requiredFieldMissing, "\(place())/@\(attribute) is required") }
        return value
    }

    public static func date(_ element: XMLElement?, _ attribute: String, in place: @autoclosure () -> String) throws(Failure) -> CalendarDate {
        let text = try required(element, attribute, in: place())
        guard let date = CalendarDate(text) else { throw Failure(.invalidValue, "\(place())/@\(attribute) must be a date like 2026-12-01, got '\(text)'") }
        return date
    }

    public static func amount(_ element: XMLElement?, _ attribute: String, in place: @autoclosure () -> String) throws(Failure) -> Amount {
        let text = try required(element, attribute, in: place())
        guard let amount = Amount(text) else { throw Failure(.invalidValue, "\(place())/@\(attribute) must be a decimal amount, got '\(text)'") }
        return amount
    }

    public static func timestamp(_ date: Date) -> String { Timestamp.iso8601Milliseconds(date) }

    public static func timestamp(_ element: XMLElement?, _ attribute: String, in place: @autoclosure () -> String) throws(Failure) -> Date {
        let text = try required(element, attribute, in: place())
        guard let date = PlatformJSON.parseTimestamp(text) else { throw Failure(.invalidValue, "\(place())/@\(attribute) must be an ISO 8601 time, got '\(text)'") }
        return date
    }
}
