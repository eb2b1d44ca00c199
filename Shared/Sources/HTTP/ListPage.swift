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
