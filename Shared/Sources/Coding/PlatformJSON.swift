// The platform's JSON conventions, chosen once (docs/json.md): snake_case field names written out in
// CodingKeys (no key strategy, so free-form objects keep their keys), ISO 8601 UTC timestamps with
// milliseconds, calendar dates as `YYYY-MM-DD`, decimals as strings.

import FoundationEssentials
import Glibc
import Hummingbird

public enum PlatformJSON {
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.iso8601Milliseconds(date))
        }
        return encoder
    }

    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseTimestamp(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected an ISO 8601 timestamp like 2026-12-01T08:30:00.000Z, got '\(text)'")
            }
            return date
        }
        return decoder
    }

    /// ISO 8601 (RFC 3339) with or without fractional seconds, with `Z` or an offset; nothing looser.
    public static func parseTimestamp(_ text: String) -> Date? {
        FastTimestamp.parse(text)
    }

    /// Hummingbird request decoding with the platform's conventions; a body that does not decode is a 400.
    public struct RequestDecoder: Hummingbird.RequestDecoder {
        public init() {}
        public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            return try buffer.readableBytesView.withUnsafeBytes { try PlatformJSON.decodeBody(T.self, from: $0) }
        }
    }

    /// A request body as `T`, or a 400 problem that says what to fix: not JSON, a field missing or of
    /// the wrong type, or a NUL character (which no text field can hold). Every service decodes
    /// request bodies here.
    public static func decodeBody<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        if let offset = nulEscape(in: bytes) {
            throw Problem(
                .badRequest, code: "invalid_body",
                detail: "The body holds a NUL character (\\u0000) at byte \(offset): no text field accepts it; remove it.")
        }
        do {
            return try decoder.decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            // Thrown as a Problem so Hummingbird passes it through instead of rewording it.
            throw Problem(.badRequest, code: "invalid_body", detail: DecodingErrorText.describe(error))
        }
    }

    /// A request body read by hand (JSONReader, for hot paths), or a 400 problem saying where it went wrong.
    public static func readBody<T: JSONReadable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        do {
            return try buffer.withUnsafeReadableBytes { raw in try raw.withMemoryRebound(to: UInt8.self) { try JSONReader.read(T.self, fromBuffer: $0) } }
        } catch let failure as JSONReader.Failure {
            throw Problem(.badRequest, code: "invalid_body", detail: "The body is not what this call takes: \(failure).")
        }
    }

    /// A 200 answer written by hand (JSONWriter, for hot paths).
    public static func response(_ value: some JSONWritable, capacity: Int = 64 * 1024) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.bytes(of: value, capacity: capacity))))
    }

    /// Where JSON text escapes a NUL character (`\u0000`), if it does: PostgreSQL cannot store NUL in
    /// text, and C strings would cut the value there. A backslash appears only inside strings, so
    /// stepping over each escape finds exactly the escaped NULs.
    public static func nulEscape(in bytes: UnsafeRawBufferPointer) -> Int? {
        let backslash = UInt8(ascii: "\\"), zero = UInt8(ascii: "0")
        var index = 0
        while index + 1 < bytes.count {
            guard bytes[index] == backslash else {
                index += 1
                continue
            }
            if bytes[index + 1] == UInt8(ascii: "u"), index + 5 < bytes.count,
                bytes[index + 2] == zero, bytes[index + 3] == zero, bytes[index + 4] == zero, bytes[index + 5] == zero
            {
                return index
            }
            index += 2
        }
        return nil
    }

    /// Hummingbird response encoding with the platform's conventions.
    public struct ResponseEncoder: Hummingbird.ResponseEncoder {
        public init() {}
        public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
            let data = try PlatformJSON.encoder.encode(value)
            return Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: data))
            )
        }
    }
}

/// Any key of a JSON object, to see the keys a type does not know.
public struct AnyCodingKey: CodingKey {
    public let stringValue: String
    public init(stringValue: String) { self.stringValue = stringValue }
    public var intValue: Int? { nil }
    public init?(intValue: Int) { nil }
}

extension Decoder {
    /// Refuses an object holding a key `Keys` does not name: a misspelt field would otherwise be
    /// ignored without a word (for inputs where ignoring one changes the meaning, like a rule's scope).
    public func refuseUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        let known = Set(Keys.allCases.map(\.stringValue))
        let unknown = try container(keyedBy: AnyCodingKey.self).allKeys.map(\.stringValue).filter { !known.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath,
                debugDescription: "unknown field \(unknown.map { "'\($0)'" }.joined(separator: ", ")); known: \(known.sorted().joined(separator: ", "))"))
        }
    }
}

extension PlatformJSON {
    /// An idempotent operation's answer: `value` as JSON, marked `Idempotent-Replayed: true` when it
    /// repeats what an earlier call answered.
    public static func answer(_ value: some Encodable, replayed: Bool, status: HTTPResponse.Status) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if replayed { headers[.idempotentReplayed] = "true" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
