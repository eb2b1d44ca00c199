// A PostgreSQL failure with its SQLSTATE, so callers can tell a unique violation from a lost connection.

public struct PostgresError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable {
    /// Five-character SQLSTATE ("23505"), or nil when the failure was not the server's (connection lost).
    public let sqlState: String?
    public let message: String
    public let detail: String?

    public init(sqlState: String?, message: String, detail: String? = nil) {
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
    }

    /// What logs show: the server's message and detail, except a detail that dumps the row a
    /// constraint refused ("Failing row contains (...)"), which holds a caller's data.
    public var description: String {
        "PostgreSQL \(sqlState ?? "connection") error: \(message)" + (loggableDetail.map { " (\($0))" } ?? "")
    }

    public var debugDescription: String { description }

    var loggableDetail: String? {
        guard let detail else { return nil }
        return detail.hasPrefix("Failing row contains") ? "failing row withheld" : detail
    }

    /// The server has not answered for longer than the pool's reconnect window: not tried again now.
    public static let unavailable = PostgresError(sqlState: nil, message: "the database is unreachable (calls fail at once until it is back)")

    public var isUniqueViolation: Bool { sqlState == "23505" }
    public var isSerializationFailure: Bool { sqlState == "40001" }
    public var isDeadlock: Bool { sqlState == "40P01" }
    /// "cached plan must not change result type": a table changed under a prepared statement.
    public var isStalePlan: Bool { sqlState == "0A000" && message.contains("cached plan") }
    public var isStatementTimeout: Bool { sqlState == "57014" }
    /// Class 08 (connection exception) or no server answer at all: the connection is gone.
    public var isConnectionFailure: Bool { sqlState == nil || sqlState?.hasPrefix("08") == true || sqlState == "57P01" }
}
