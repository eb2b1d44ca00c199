// Any JSON value: event payloads in the shared envelope, config values, free-form documents.

import FoundationEssentials
import Glibc

public enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Any Encodable as a JSON value, with the platform's conventions (its JSON read back by hand:
    /// Foundation's decoder tried every case of this enum in turn for every value).
    public init(encoding value: some Encodable) throws {
        self = try JSONReader.read(JSONValue.self, from: Array(PlatformJSON.encoder.encode(value)))
    }

    /// This value as a Decodable type, with the platform's conventions.
    public func decode<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try PlatformJSON.decoder.decode(T.self, from: Data(JSONWriter.bytes(of: self)))
    }
}

extension JSONValue: JSONReadable, JSONWritable {
    public init(json: inout JSONReader) throws { self = try json.any() }

    public func write(json: inout JSONWriter) {
        switch self {
        case .null: json.null()
        case .bool(let value): json.bool(value)
        case .integer(let value): json.int(value)
        case .number(let value): json.double(value)
        case .string(let value): json.string(value)
        case .array(let values): json.array(values) { writer, value in value.write(json: &writer) }
        case .object(let members):
            json.object { writer in
                for (key, value) in members {
                    writer.key(key)
                    value.write(json: &writer)
                }
            }
        }
    }
}
