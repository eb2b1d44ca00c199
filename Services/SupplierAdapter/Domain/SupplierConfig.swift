// A registered supplier: how to reach it and what it may cost us in time and connections. The
// credentials live here only in clear, in memory; the database holds them sealed.

import FoundationEssentials
import Shared

enum SupplierProtocolKind: String, Codable, Sendable, CaseIterable {
    case bedBankJSON = "bedbank_json", openTravelXML = "ota_xml"
}

struct SupplierCredentials: Codable, Equatable, Sendable {
    /// Bed-bank API key, or OpenTravel RequestorID.
    var key: String
    /// Bed-bank secret, or OpenTravel MessagePassword.
    var secret: String
}

struct SupplierConfig: Equatable, Sendable {
    var code: String
    var name: String
    var protocolKind: SupplierProtocolKind
    var baseURL: String
    var enabled: Bool
    var status: SupplierStatus
    var timeoutMs: Int
    var bookingTimeoutMs: Int
    var poolSize: Int
    var credentials: SupplierCredentials
    var updatedAt: Date?

    static let timeoutRange = 100...120_000
    static let poolRange = 1...1000

    /// Supplier codes: 2 to 40 of a-z, 0-9, '_' and '-', starting with a letter or digit.
    static func isValidCode(_ code: String) -> Bool {
        (2...40).contains(code.utf8.count) && code.utf8.first.map { $0 != UInt8(ascii: "_") && $0 != UInt8(ascii: "-") } == true
            && code.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    /// http or https with a host; no query or fragment. Trailing slashes dropped.
    static func normalizedBaseURL(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil, url.query == nil, url.fragment == nil else {
            return nil
        }
        var text = text
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
