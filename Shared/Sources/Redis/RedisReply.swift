// A Redis reply copied out of hiredis, and the errors a command can end in.

public enum RedisReply: Sendable, Equatable {
    case bulk([UInt8])
    case status(String)
    case integer(Int)
    case array([RedisReply])
    case null

    /// Bulk and status replies as text.
    public var string: String? {
        switch self {
        case .bulk(let bytes): String(decoding: bytes, as: UTF8.self)
        case .status(let text): text
        case .integer(let n): String(n)
        default: nil
        }
    }

    public var integer: Int? {
        if case .integer(let n) = self { return n }
        return nil
    }
}

public enum RedisError: Error, CustomStringConvertible, Sendable {
    /// The server answered with an error (`WRONGTYPE ...`, `NOSCRIPT ...`).
    case server(String)
    /// No answer: refused, reset, timed out. The connection is discarded.
    case connection(String)

    public var description: String {
        switch self {
        case .server(let message): "Redis error: \(message)"
        case .connection(let message): "Redis connection error: \(message)"
        }
    }
}
