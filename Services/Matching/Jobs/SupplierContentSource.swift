// Supplier content through supplier-adapter: which suppliers exist, and every page of one's feed.

import FoundationEssentials
import Shared

struct SupplierContentSource: Sendable {
    let baseURL: String
    let client: HTTP1Client

    struct SupplierState: Decodable {
        var code: String
        var enabled: Bool
        var status: String
    }

    enum Failure: Error, CustomStringConvertible {
        case answered(String, Int, String)
        var description: String {
            switch self {
            case .answered(let path, let status, let body): "supplier-adapter answered \(status) to \(path): \(body.prefix(300))"
            }
        }
    }

    /// Enabled suppliers that are not suspended, by code.
    func suppliers() async throws -> [String] {
        try await get("/suppliers", as: [SupplierState].self).filter { $0.enabled && $0.status != "suspended" }.map(\.code).sorted()
    }

    func hotels(_ supplier: String) async throws -> [SupplierHotel] {
        var hotels: [SupplierHotel] = []
        var page: Int? = 1
        while let current = page {
            let answer = try await get("/suppliers/\(supplier.percentEncoded)/hotels?page=\(current)", as: SupplierHotelPage.self)
            hotels += answer.hotels
            page = answer.nextPage
        }
        return hotels
    }

    func get<T: Decodable>(_ path: String, as: T.Type) async throws -> T {
        let response = try await client.execute(.get, baseURL + path, timeout: .seconds(60))
        let body = Data(buffer: response.body)
        guard response.status.code == 200 else { throw Failure.answered(path, Int(response.status.code), String(decoding: body, as: UTF8.self)) }
        return try PlatformJSON.decoder.decode(T.self, from: body)
    }
}
