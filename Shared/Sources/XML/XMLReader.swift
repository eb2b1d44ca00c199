// Parses one XML document into an `XMLElement` tree, strictly: a mismatched tag, an unknown entity,
// an unquoted attribute, text outside the root or a DTD is an error naming the byte offset.

public struct XMLSyntaxError: Error, Equatable, CustomStringConvertible {
    public let offset: Int
    public let problem: String
    public var description: String { "malformed XML at byte \(offset): \(problem)" }
}

extension XMLElement {
    /// The deepest nesting accepted: a hostile document cannot exhaust the stack.
    public static let maximumDepth = 64

    public init(parsing bytes: some Collection<UInt8>) throws(XMLSyntaxError) {
        var reader = XMLReader(Array(bytes))
        self = try reader.document()
    }

    public init(parsing text: String) throws(XMLSyntaxError) {
        try self.init(parsing: Array(text.utf8))
    }
}

struct XMLReader {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        // A UTF-8 byte order mark is allowed before the declaration.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    func fail(_ problem: String) -> XMLSyntaxError { XMLSyntaxError(offset: index, problem: problem) }

    mutating func document() throws(XMLSyntaxError) -> XMLElement {
        try skipMisc()
        guard peek == UInt8(ascii: "<") else { throw fail(index >= bytes.count ? "empty document" : "text before the root element") }
        let root = try element(depth: 0)
        try skipMisc()
        guard index == bytes.count else { throw fail("content after the root element") }
        return root
    }

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Whether the bytes at the reader are `literal` (compared in place: this runs at every tag).
    func starts(with literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] { return false }
        return true
    }

    mutating func skipWhitespace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }

    /// Whitespace, comments and processing instructions (the declaration among them).
    mutating func skipMisc() throws(XMLSyntaxError) {
        while true {
            skipWhitespace()
            if starts(with: "<?") {
                try skip(past: "?>", what: "processing instruction")
            } else if starts(with: "<!--") {
                try skip(past: "-->", what: "comment")
            } else if starts(with: "<!") {
                throw fail("document type declarations are not accepted")
            } else {
                return
            }
        }
    }

    mutating func skip(past terminator: StaticString, what: String) throws(XMLSyntaxError) {
        while index < bytes.count {
            if starts(with: terminator) {
                index += terminator.utf8CodeUnitCount
                return
            }
            index += 1
        }
        throw fail("unterminated \(what)")
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: ":"):
            true
        default: byte >= 0x80
        }
    }

    mutating func name() throws(XMLSyntaxError) -> String {
        let start = index
        while let byte = peek, Self.isNameByte(byte) { index += 1 }
        guard index > start else { throw fail("expected a name") }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    mutating func element(depth: Int) throws(XMLSyntaxError) -> XMLElement {
        guard depth < XMLElement.maximumDepth else { throw fail("elements nested deeper than \(XMLElement.maximumDepth)") }
        index += 1  // "<"
        var element = XMLElement(try name())
        while true {
            let before = index
            skipWhitespace()
            switch peek {
            case UInt8(ascii: "/"):
                index += 1
                guard peek == UInt8(ascii: ">") else { throw fail("expected '>' after '/'") }
                index += 1
                return element
            case UInt8(ascii: ">"):
                index += 1
                try content(of: &element, depth: depth)
                return element
            case nil:
                throw fail("unterminated start tag <\(element.name)>")
            default:
                guard index > before else { throw fail("expected whitespace before an attribute") }
                let key = try name()
                skipWhitespace()
                guard peek == UInt8(ascii: "=") else { throw fail("expected '=' after attribute \(key)") }
                index += 1
                skipWhitespace()
                guard let quote = peek, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                    throw fail("attribute \(key) needs a quoted value")
                }
                index += 1
                let value = try characters(until: quote)
                index += 1
                guard element[key] == nil else { throw fail("attribute \(key) appears twice") }
                element.attributes.append((key, value))
            }
        }
    }

    mutating func content(of element: inout XMLElement, depth: Int) throws(XMLSyntaxError) {
        var text = ""
        while true {
            guard let byte = peek else { throw fail("unterminated element <\(element.name)>") }
            if byte != UInt8(ascii: "<") {
                text += try characters(until: UInt8(ascii: "<"))
            } else if starts(with: "</") {
                index += 2
                let closing = try name()
                guard closing == element.name else { throw fail("</\(closing)> closes <\(element.name)>") }
                skipWhitespace()
                guard peek == UInt8(ascii: ">") else { throw fail("expected '>' in </\(closing)>") }
                index += 1
                // Whitespace between elements is layout, not text.
                let layout = text.allSatisfy(\.isWhitespace) && (!element.children.isEmpty || text.contains("\n"))
                element.text = layout ? "" : text
                return
            } else if starts(with: "<!--") {
                try skip(past: "-->", what: "comment")
            } else if starts(with: "<![CDATA[") {
                index += 9
                let start = index
                try skip(past: "]]>", what: "CDATA section")
                text += String(decoding: bytes[start..<(index - 3)], as: UTF8.self)
            } else if starts(with: "<?") {
                try skip(past: "?>", what: "processing instruction")
            } else {
                element.children.append(try self.element(depth: depth + 1))
            }
        }
    }

    /// Character data up to (not including) `terminator`, entities resolved.
    mutating func characters(until terminator: UInt8) throws(XMLSyntaxError) -> String {
        // Most values hold no entity: made straight from the document's bytes.
        let start = index
        while let byte = peek, byte != terminator, byte != UInt8(ascii: "&"), byte != UInt8(ascii: "<") { index += 1 }
        if peek == terminator { return String(decoding: bytes[start..<index], as: UTF8.self) }
        var out = Array(bytes[start..<index])
        while let byte = peek, byte != terminator {
            if byte == UInt8(ascii: "&") {
                out += try entity()
            } else if byte == UInt8(ascii: "<") {
                throw fail("'<' inside an attribute value")
            } else {
                out.append(byte)
                index += 1
            }
        }
        guard peek == terminator else { throw fail("unexpected end of document") }
        return String(decoding: out, as: UTF8.self)
    }

    mutating func entity() throws(XMLSyntaxError) -> [UInt8] {
        let start = index
        guard let end = bytes[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else { throw fail("unterminated entity") }
        let body = String(decoding: bytes[(start + 1)..<end], as: UTF8.self)
        index = end + 1
        switch body {
        case "lt": return [UInt8(ascii: "<")]
        case "gt": return [UInt8(ascii: ">")]
        case "amp": return [UInt8(ascii: "&")]
        case "quot": return [UInt8(ascii: "\"")]
        case "apos": return [UInt8(ascii: "'")]
        default:
            let number: UInt32? =
                body.hasPrefix("#x") ? UInt32(body.dropFirst(2), radix: 16) : body.hasPrefix("#") ? UInt32(body.dropFirst(), radix: 10) : nil
            guard let number, let scalar = Unicode.Scalar(number) else {
                index = start
                throw fail("unknown entity &\(body);")
            }
            return Array(String(Character(scalar)).utf8)
        }
    }
}
