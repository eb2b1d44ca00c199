// The suppliers the simulator plays: each with its protocol, currency, share of the world's hotels
// and its own habits in writing names, addresses and coordinates.

enum SupplierProtocol: String, Sendable, Codable {
    /// JSON over REST in the style of the large bed banks (API key + SHA-256 signature).
    case bedBankJSON = "bedbank_json"
    /// OpenTravel Alliance XML messages.
    case openTravelXML = "ota_xml"
}

struct SimulatedSupplier: Sendable {
    let code: String
    let name: String
    let protocolKind: SupplierProtocol
    let currency: String
    /// Units of the currency per euro (prices are made in euros).
    let euroRate: Double
    /// Share of the world's hotels this supplier sells.
    let coverage: Double
    let spelling: SpellingStyle

    static let all: [SimulatedSupplier] = [
        SimulatedSupplier(code: "globebeds", name: "GlobeBeds", protocolKind: .bedBankJSON, currency: "EUR", euroRate: 1, coverage: 0.76, spelling: .careful),
        SimulatedSupplier(code: "otaconnect", name: "OTA Connect", protocolKind: .openTravelXML, currency: "USD", euroRate: 1.08, coverage: 0.77, spelling: .gds),
        SimulatedSupplier(code: "sunbeds", name: "SunBeds Asia", protocolKind: .bedBankJSON, currency: "CNY", euroRate: 7.8, coverage: 0.78, spelling: .loose),
    ]

    static func named(_ code: String) -> SimulatedSupplier? { all.first { $0.code == code } }

    /// The hotel code this supplier gives its `index`-th hotel.
    func hotelCode(_ index: Int) -> String {
        switch spelling {
        case .careful: String(100_000 + index * 3)
        case .gds: "OC" + String(10_000 + index * 7)
        case .loose: "SB-" + String(500_000 + index * 11)
        }
    }
}
