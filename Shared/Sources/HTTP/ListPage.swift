// One page of a list as every paged route answers it: `total`, `page`, `page_size`, and the items
// under the list's own name (`accounts`, `movements`, ...).

import Hummingbird

public struct ListPage<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    public var total: Int
    public var page: Int
    public var pageSize: Int
    /// The key the items go under.
    public var name: String
    public var items: [Item]

    public init(total: Int, page: Int, pageSize: Int, name: String, items: [Item]) {
        (self.total, self.page, self.pageSize, self.name, self.items) = (total, page, pageSize, name, items)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        try container.encode(total, forKey: AnyCodingKey(stringValue: "total"))
        try container.encode(page, forKey: AnyCodingKey(stringValue: "page"))
        try container.encode(pageSize, forKey: AnyCodingKey(stringValue: "page_size"))
        try container.encode(items, forKey: AnyCodingKey(stringValue: name))
    }
}

extension Request {
    /// The query parameter `name` as a number in `range`; `fallback` when absent; a 400 otherwise.
    public func queryNumber(_ name: String, _ range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let text = uri.queryParameters[Substring(name)] else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw Problem(.badRequest, code: "invalid_query", detail: "\(name) must be \(range.lowerBound) to \(range.upperBound).")
        }
        return value
    }

    /// `page` (from 1) and `page_size` (1 to `maximumSize`, `defaultSize` when absent).
    public func paging(defaultSize: Int = 50, maximumSize: Int = 200) throws -> (page: Int, size: Int) {
        (try queryNumber("page", 1...100_000, default: 1), try queryNumber("page_size", 1...maximumSize, default: defaultSize))
    }
}
