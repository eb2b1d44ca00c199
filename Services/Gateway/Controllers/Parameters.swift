// Reading path and query parameters the way every gateway route does: a clear 400 naming the
// parameter when one is malformed.

import FoundationEssentials
import Hummingbird
import Shared

extension PlatformRequestContext {
    /// A path parameter that must be a UUID, lower-cased.
    func uuid(_ parameter: String, code: String, naming what: String) throws -> String {
        let text = try parameters.require(parameter)
        guard let id = UUID(uuidString: text) else { throw Problem(.badRequest, code: code, detail: "'\(text)' is not \(what) (a UUID).") }
        return id.uuidString.lowercased()
    }
}

extension Request {
    /// Query parameter `name` as one of `T`'s cases, nil when absent.
    func query<T: RawRepresentable & CaseIterable>(_ name: String, as type: T.Type) throws -> T? where T.RawValue == String {
        try uri.queryParameters[name[...]].map { text in
            guard let value = T(rawValue: String(text)) else {
                throw Problem(.badRequest, code: "invalid_query", detail: "\(name) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            return value
        }
    }

    /// Query parameter `name` as a UUID (lower-cased), nil when absent.
    func queryUUID(_ name: String) throws -> String? {
        try uri.queryParameters[name[...]].map { text in
            guard let id = UUID(uuidString: String(text)) else { throw Problem(.badRequest, code: "invalid_query", detail: "\(name) must be a UUID.") }
            return id.uuidString.lowercased()
        }
    }

    /// `limit` from the query: 1 to 500, 50 when absent.
    func limit() throws -> Int {
        try uri.queryParameters["limit"].map { text in
            guard let limit = Int(text), (1...500).contains(limit) else { throw Problem(.badRequest, code: "invalid_query", detail: "limit must be 1 to 500.") }
            return limit
        } ?? 50
    }
}
