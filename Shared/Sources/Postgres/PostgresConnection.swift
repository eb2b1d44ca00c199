// One libpq connection. Blocking: used only on a pool thread, by one caller at a time (the pool
// guarantees both). It connects lazily and reconnects after the server dropped it.

import CLibPQ
import FoundationEssentials
import Glibc

public final class PostgresConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    let settings: PostgresSettings
    /// Statements this session has prepared, by their text: parsed and planned once, not per call.
    private var prepared = PreparedStatements()
    /// The schemas whose outbox this connection's current work wrote: their relays are woken once it committed.
    private var outboxesWritten: Set<String> = []

    init(settings: PostgresSettings) {
        self.settings = settings
    }

    deinit { close() }

    /// Connects if not connected, or reconnects if the server dropped the connection. Called when a
    /// connection is handed out (pool checkout, start of a lease), never between statements.
    func ensureConnected() throws {
        // Reading what an idle connection received (without blocking) reveals a server that closed
        // it meanwhile, e.g. a restart: reconnect before sending instead of failing the query.
        if let handle, PQconsumeInput(handle) == 1, PQstatus(handle) == CONNECTION_OK { return }
        close()
        let keywords = ["dbname", "connect_timeout", "options", "application_name"]
        let values = [settings.url, String(settings.connectTimeoutSeconds), settings.sessionOptions, settings.applicationName]
        let connection = withCStringArray(keywords) { k in withCStringArray(values) { v in PQconnectdbParams(k, v, 1) } }
        guard let connection else { throw PostgresError(sqlState: nil, message: "libpq could not allocate a connection") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection)).trimmed
            PQfinish(connection)
            throw PostgresError(sqlState: nil, message: message)
        }
        // libpq would print NOTICEs ("schema already exists, skipping") raw on stderr, between our JSON log lines.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
    }

    /// Marks rows written in `schema`'s outbox by the statement or transaction under way.
    func wroteOutbox(of schema: String) { outboxesWritten.insert(schema) }

    /// Ends a caller's work on this connection: rolls back a transaction it left open, and returns
    /// the schemas whose outbox it wrote and committed (none when it was rolled back).
    func endWork() -> Set<String> {
        defer { outboxesWritten = [] }
        return endStrayTransaction() ? [] : outboxesWritten
    }

    var isConnected: Bool { handle.map { PQstatus($0) == CONNECTION_OK } ?? false }

    /// Rolls back a transaction left open (a failed step that never reached its ROLLBACK), so the
    /// connection goes back to the pool clean; true when there was one.
    @discardableResult
    func endStrayTransaction() -> Bool {
        guard let handle, PQstatus(handle) == CONNECTION_OK, PQtransactionStatus(handle) != PQTRANS_IDLE else { return false }
        _ = try? execute("ROLLBACK")
        return true
    }

    func close() {
        if let handle { PQfinish(handle) }
        handle = nil
        prepared = PreparedStatements()
    }

    /// Runs one statement with bound parameters (`$1`, `$2`, ...). The statement is prepared on
    /// this session the first time its text is seen (up to `PreparedStatements.capacity` texts;
    /// beyond that, statements run unprepared).
    @discardableResult
    public func query(_ sql: String, _ parameters: [(any PostgresBindable)?] = []) throws -> PostgresRows {
        // Never reconnects here: inside a transaction a fresh session would run the rest outside it.
        guard handle != nil else { throw PostgresError(sqlState: nil, message: "the connection was lost") }
        let texts = postgresParameters(parameters)
        do {
            return try run(sql, texts)
        } catch let error as PostgresError where error.isStalePlan {
            // A migration changed a table under a kept plan: forget it; outside a transaction the
            // statement is simply prepared again, inside one the caller's transaction has failed.
            forget(sql)
            guard let handle, PQtransactionStatus(handle) == PQTRANS_IDLE else { throw error }
            return try run(sql, texts)
        }
    }

    private func run(_ sql: String, _ texts: [String?]) throws -> PostgresRows {
        guard let name = try statementName(for: sql, parameterCount: texts.count) else {
            let result = withOptionalCStringArray(texts) { PQexecParams(handle, sql, Int32(texts.count), nil, $0, nil, nil, 0) }
            defer { PQclear(result) }
            return try rows(of: result)
        }
        let result = withOptionalCStringArray(texts) { PQexecPrepared(handle, name, Int32(texts.count), $0, nil, nil, 0) }
        defer { PQclear(result) }
        return try rows(of: result)
    }

    /// The prepared statement's name for this text, preparing it now if need be; nil when the
    /// session keeps as many as it may.
    private func statementName(for sql: String, parameterCount: Int) throws -> String? {
        if let name = prepared.names[sql] { return name }
        guard prepared.names.count < PreparedStatements.capacity else { return nil }
        let name = prepared.nextName()
        let result = PQprepare(handle, name, sql, Int32(parameterCount), nil)
        defer { PQclear(result) }
        _ = try rows(of: result)
        prepared.names[sql] = name
        return name
    }

    private func forget(_ sql: String) {
        guard let name = prepared.names.removeValue(forKey: sql) else { return }
        if let handle, PQtransactionStatus(handle) == PQTRANS_IDLE { PQclear(PQexec(handle, "DEALLOCATE \(name)")) }
    }

    /// Runs a script of several statements without parameters (migrations). Never with input.
    func executeScript(_ sql: String) throws {
        guard handle != nil else { throw PostgresError(sqlState: nil, message: "the connection was lost") }
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        _ = try rows(of: result)
    }

    /// Runs one statement and returns how many rows it changed.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [(any PostgresBindable)?] = []) throws -> Int {
        try query(sql, parameters).affected
    }

    private func rows(of result: OpaquePointer?) throws -> PostgresRows {
        guard let result else { throw failure(nil) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
            let rowCount = Int(PQntuples(result)), columnCount = Int(PQnfields(result))
            let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
            var values: [[String?]] = []
            values.reserveCapacity(rowCount)
            for row in 0..<rowCount {
                values.append((0..<columnCount).map { column in
                    PQgetisnull(result, Int32(row), Int32(column)) == 1 ? nil : String(cString: PQgetvalue(result, Int32(row), Int32(column)))
                })
            }
            let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
            return PostgresRows(columns: columns, values: values, affected: affected)
        default:
            throw failure(result)
        }
    }

    private func failure(_ result: OpaquePointer?) -> PostgresError {
        func field(_ code: UInt8) -> String? {
            guard let result, let value = PQresultErrorField(result, Int32(code)) else { return nil }
            return String(cString: value)
        }
        let message = field(UInt8(ascii: "M"))
            ?? handle.map { String(cString: PQerrorMessage($0)).trimmed }
            ?? "no connection"
        let error = PostgresError(sqlState: field(UInt8(ascii: "C")), message: message, detail: field(UInt8(ascii: "D")))
        if !isConnected || error.isConnectionFailure { close() }
        return error
    }

    /// The socket, for waiting on notifications.
    var socket: Int32 { handle.map { PQsocket($0) } ?? -1 }

    /// Reads whatever the server sent and returns the notifications among it.
    func drainNotifications() throws -> [PostgresNotification] {
        guard let handle else { throw PostgresError(sqlState: nil, message: "not connected") }
        guard PQconsumeInput(handle) == 1 else {
            let message = String(cString: PQerrorMessage(handle)).trimmed
            close()
            throw PostgresError(sqlState: nil, message: message)
        }
        var out: [PostgresNotification] = []
        while let notice = PQnotifies(handle) {
            out.append(PostgresNotification(channel: String(cString: notice.pointee.relname), payload: String(cString: notice.pointee.extra)))
            PQfreemem(notice)
        }
        return out
    }
}

/// The statements one session has prepared, by text, and the names it gave them.
public struct PreparedStatements: Sendable {
    /// Texts built per call (a list of N rows) would otherwise fill the server's memory.
    public static let capacity = 256
    var names: [String: String] = [:]
    private var counter = 0

    mutating func nextName() -> String {
        counter += 1
        return "s\(counter)"
    }
}

public struct PostgresNotification: Sendable, Equatable {
    public let channel: String
    public let payload: String

    public init(channel: String, payload: String) {
        self.channel = channel
        self.payload = payload
    }
}

private func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer($0) } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

private func withOptionalCStringArray<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    if strings.isEmpty { return body(nil) }
    let copies = strings.map { $0.map { strdup($0) } ?? nil }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { $0.map { UnsafePointer($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
