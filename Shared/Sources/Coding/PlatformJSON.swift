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
            do {
                return try PlatformJSON.decoder.decode(T.self, from: Data(buffer: buffer))
            } catch let error as DecodingError {
                // Thrown as a Problem so Hummingbird passes it through instead of rewording it.
                throw Problem(.badRequest, code: "invalid_body", detail: DecodingErrorText.describe(error))
            }
        }
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
