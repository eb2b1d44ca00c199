// A PostgreSQL failure with its SQLSTATE, so callers can tell a unique violation from a lost connection.

public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// Five-character SQLSTATE ("23505"), or nil when the failure was not the server's (connection lost).
    public let sqlState: String?
    public let message: String
    public let detail: String?

    public init(sqlState: String?, message: String, detail: String? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
    }

    public var description: String {
        "PostgreSQL \(sqlState ?? "connection") error: \(message)" + (detail.map { " (\($0))" } ?? "")
    }

    /// The server has not answered for longer than the pool's reconnect window: not tried again now.
    public static let unavailable = PostgresError(sqlState: nil, message: "the database is unreachable (calls fail at once until it is back)")

    public var isUniqueViolation: Bool { sqlState == "23505" }
    public var isSerializationFailure: Bool { sqlState == "40001" }
    public var isDeadlock: Bool { sqlState == "40P01" }
    public var isStatementTimeout: Bool { sqlState == "57014" }
    /// Class 08 (connection exception) or no server answer at all: the connection is gone.
    public var isConnectionFailure: Bool { sqlState == nil || sqlState?.hasPrefix("08") == true || sqlState == "57P01" }
}
