// A small, strict XML reader and writer for supplier protocols (OpenTravel): elements, attributes and
// text; the prolog, comments and CDATA are understood; DTDs are refused. Anything malformed throws.

public struct XMLElement: Hashable, Sendable {
    /// The name as written, prefix included (`ota:RoomStay`).
    public var name: String
    public var attributes: [(String, String)]
    public var children: [XMLElement]
    /// The element's own text, whitespace between child elements dropped.
    public var text: String

    public init(_ name: String, _ attributes: [(String, String)] = [], text: String = "", children: [XMLElement] = []) {
        self.name = name
        self.attributes = attributes
        self.text = text
        self.children = children
    }

    /// The name without a namespace prefix (nothing allocated: children are looked up by it, a
    /// city's availability answer thousands of times).
    public var localName: Substring {
        guard let colon = name.utf8.firstIndex(of: UInt8(ascii: ":")) else { return Substring(name) }
        return name[name.utf8.index(after: colon)...]
    }

    public subscript(attribute: String) -> String? { attributes.first { $0.0 == attribute }?.1 }

    /// The first child with this local name.
    public func child(_ localName: String) -> XMLElement? { children.first { $0.localName == localName } }
    public func all(_ localName: String) -> [XMLElement] { children.filter { $0.localName == localName } }

    /// Follows local names down the first match at each level: `element.path("POS", "Source", "RequestorID")`.
    public func path(_ names: String...) -> XMLElement? {
        names.reduce(Optional(self)) { $0?.child($1) }
    }

    public static func == (a: XMLElement, b: XMLElement) -> Bool {
        a.name == b.name && a.text == b.text && a.children == b.children
            && a.attributes.map(\.0) == b.attributes.map(\.0) && a.attributes.map(\.1) == b.attributes.map(\.1)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(text)
        hasher.combine(children)
    }

    /// The document text with an XML declaration.
    public var document: String { String(decoding: documentBytes, as: UTF8.self) }

    /// The document as UTF-8, written byte by byte (a simulated supplier's answer has thousands of
    /// elements: appending to a String, scalar by scalar, had been a tenth of its work).
    public var documentBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        out.append(contentsOf: #"<?xml version="1.0" encoding="UTF-8"?>"#.utf8)
        write(to: &out)
        return out
    }

    public func write(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "<"))
        out.append(contentsOf: name.utf8)
        for (key, value) in attributes {
            out.append(UInt8(ascii: " "))
            out.append(contentsOf: key.utf8)
            out.append(contentsOf: #"=""#.utf8)
            XMLElement.escape(value, to: &out, quotes: true)
            out.append(UInt8(ascii: "\""))
        }
        if children.isEmpty && text.isEmpty {
            out.append(contentsOf: "/>".utf8)
            return
        }
        out.append(UInt8(ascii: ">"))
        XMLElement.escape(text, to: &out, quotes: false)
        for child in children { child.write(to: &out) }
        out.append(contentsOf: "</".utf8)
        out.append(contentsOf: name.utf8)
        out.append(UInt8(ascii: ">"))
    }

    /// `text` with `<`, `>`, `&` (and `"` in an attribute) as entities: runs without one are copied whole.
    static func escape(_ text: String, to out: inout [UInt8], quotes: Bool) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for (index, byte) in bytes.enumerated() {
                let entity: StaticString
                switch byte {
                case UInt8(ascii: "<"): entity = "&lt;"
                case UInt8(ascii: ">"): entity = "&gt;"
                case UInt8(ascii: "&"): entity = "&amp;"
                case UInt8(ascii: "\"") where quotes: entity = "&quot;"
                default: continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                out.append(contentsOf: UnsafeBufferPointer(start: entity.utf8Start, count: entity.utf8CodeUnitCount))
                start = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }
}
