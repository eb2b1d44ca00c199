// ClickHouse through its HTTP interface (ClickHouseEndpoint: CLICKHOUSE_URL and credentials): SQL
// in the body, rows in as TabSeparated, results out as JSON.

import FoundationEssentials
import Hummingbird
import NIOCore
import Shared

struct ClickHouse: Sendable {
    let endpoint: ClickHouseEndpoint
    let http: HTTP1Client

    struct Failure: Error, CustomStringConvertible {
        var status: Int
        var message: String
        var description: String { "ClickHouse answered \(status): \(message.prefix(300))" }
    }

    /// Runs `sql`; the answer's body.
    @discardableResult
    func execute(_ sql: String, body: String? = nil, timeout: Duration = .seconds(30)) async throws -> ByteBuffer {
        let url: String, payload: String
        if let body {
            url = endpoint.base + "?database=\(endpoint.database)&query=" + sql.percentEncoded
            payload = body
        } else {
            url = endpoint.base + "?database=\(endpoint.database)"
            payload = sql
        }
        let response = try await http.execute(.post, url, headers: endpoint.headers, body: ByteBuffer(string: payload), timeout: timeout)
        guard response.status.code == 200 else { throw Failure(status: Int(response.status.code), message: String(buffer: response.body)) }
        return response.body
    }

    /// Rows into `table`, as TabSeparated lines.
    func insert(into table: String, columns: [String], rows: [[String]]) async throws {
        guard !rows.isEmpty else { return }
        var text = ""
        text.reserveCapacity(rows.count * 400)
        for row in rows {
            text += row.map(Self.tsv).joined(separator: "\t")
            text += "\n"
        }
        try await execute("INSERT INTO \(table) (\(columns.joined(separator: ", "))) FORMAT TabSeparated", body: text)
    }

    struct Answer: Decodable { var data: [[String: JSONValue]] }

    /// `sql`'s rows, each a column name -> value (ClickHouse writes 64-bit integers as text).
    func rows(_ sql: String) async throws -> [[String: JSONValue]] {
        try PlatformJSON.decoder.decode(Answer.self, from: Data(buffer: try await execute(sql + " FORMAT JSON"))).data
    }

    static func tsv(_ value: String) -> String {
        guard value.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\\" || $0 == "\r" }) else { return value }
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.append(character)
            }
        }
        return out
    }

    /// A string literal for SQL.
    static func literal(_ value: String) -> String {
        "'" + value.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
    }
}
