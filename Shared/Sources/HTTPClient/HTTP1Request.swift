// A request as it goes on the wire, written by HTTP1Client itself: the request line, Host, the
// caller's header lines, the framing. No header types in between (building NIO's HTTPHeaders from
// HTTPFields and having NIO encode them cost the gateway ~7% of a proxied request).

import HTTPTypes
import NIOCore

extension HTTP1Client {
    /// Header lines (`name: value` CRLF each), in the order added.
    public struct HeaderLines: Sendable {
        var bytes: ByteBuffer

        public init(capacity: Int = 512) {
            bytes = ByteBufferAllocator().buffer(capacity: capacity)
        }

        /// The fields but Host, Content-Length and Transfer-Encoding: the client writes those itself.
        public init(_ fields: HTTPFields) {
            self.init()
            for field in fields where !Self.isFraming(field.name) { add(field) }
        }

        static func isFraming(_ name: HTTPField.Name) -> Bool {
            name == .contentLength || name == .transferEncoding || name.canonicalName == "host"
        }

        /// A field of HTTPFields (legal by construction).
        public mutating func add(_ field: HTTPField) {
            bytes.writeString(field.name.rawName)
            bytes.writeStaticString(": ")
            field.withUnsafeBytesOfValue { _ = bytes.writeBytes($0) }
            bytes.writeStaticString("\r\n")
        }

        /// A name and value not known to be legal (a header another parser accepted, a value made
        /// here): added only when the name is a token and the value holds no control character but
        /// tab; false when left out. The caller leaves out Host, Content-Length and Transfer-Encoding.
        @discardableResult
        public mutating func add(name: String, value: String) -> Bool {
            guard !name.isEmpty, Self.all(name, Self.isTokenByte), Self.all(value, Self.isValueByte) else { return false }
            bytes.writeString(name)
            bytes.writeStaticString(": ")
            bytes.writeString(value)
            bytes.writeStaticString("\r\n")
            return true
        }

        /// Whether every byte of `text` passes, on its contiguous bytes (a UTF8View walk costs ~10 instructions a byte).
        static func all(_ text: String, _ test: (UInt8) -> Bool) -> Bool {
            text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(test) } ?? text.utf8.allSatisfy(test)
        }

        static func isTokenByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
                UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
                UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
                true
            default: false
            }
        }

        static func isValueByte(_ byte: UInt8) -> Bool {
            byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
        }
    }

    /// The whole request head: `METHOD target HTTP/1.1`, Host, the lines, and Content-Length when
    /// there is a body or the method expects one.
    static func requestHead(_ method: HTTPRequest.Method, _ target: Target, _ lines: HeaderLines, bodyBytes: Int?) -> ByteBuffer {
        var head = ByteBufferAllocator().buffer(capacity: lines.bytes.readableBytes + target.pathAndQuery.utf8.count + target.origin.hostHeader.utf8.count + 64)
        head.writeString(method.rawValue)
        head.writeStaticString(" ")
        head.writeString(target.pathAndQuery)
        head.writeStaticString(" HTTP/1.1\r\nHost: ")
        head.writeString(target.origin.hostHeader)
        head.writeStaticString("\r\n")
        head.writeImmutableBuffer(lines.bytes)
        if let length = bodyBytes ?? (method == .post || method == .put || method == .patch ? 0 : nil) {
            head.writeStaticString("Content-Length: ")
            head.writeString(String(length))
            head.writeStaticString("\r\n")
        }
        head.writeStaticString("\r\n")
        return head
    }
}
