// The channel managers' messages: each kept once per (channel, signed message) with the answer it
// was given, as applied, queued for the periodic sync, or refused.

import FoundationEssentials
import Shared

struct ChannelRepository: Sendable {
    let pool: PostgresPool

    enum Status: String, Sendable { case applied, queued, refused }

    struct Stored: Sendable {
        var id: Int64
        var channel: String
        var body: String
        var answer: String
    }

    static let insert = """
        INSERT INTO inventory.channel_messages (channel, message_key, kind, body, status, answer, problems, applied_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $5 = 'applied' THEN now() END)
        """

    /// The answer the message was given, when it came before.
    func answer(channel: String, key: String) async throws -> String? {
        try await pool.query("SELECT answer FROM inventory.channel_messages WHERE channel = $1 AND message_key = $2", [channel, key]).first?.string("answer")
    }

    /// Keeps a message with its answer; false when the same message was kept meanwhile.
    func keep(channel: String, key: String, kind: String, body: String, status: Status, answer: String, problems: String? = nil) async throws -> Bool {
        do {
            try await pool.execute(Self.insert, [channel, key, kind, body, status.rawValue, answer, problems])
            return true
        } catch let error as PostgresError where error.isUniqueViolation {
            return false
        }
    }

    /// The same, inside the transaction that applies it.
    static func keep(on connection: PostgresConnection, channel: String, key: String, kind: String, body: String, answer: String) throws {
        try connection.execute(insert, [channel, key, kind, body, Status.applied.rawValue, answer, nil])
    }

    /// Queued messages, oldest first; of one channel when given.
    func queued(channel: String? = nil, limit: Int = 100) async throws -> [Stored] {
        try await pool.query(
            """
            SELECT id, channel, body, answer FROM inventory.channel_messages
            WHERE status = 'queued' AND ($1::text IS NULL OR channel = $1) ORDER BY id LIMIT $2
            """,
            [channel, limit]
        ).map { Stored(id: Int64(try $0.int("id")), channel: try $0.string("channel"), body: try $0.string("body"), answer: try $0.string("answer")) }
    }

    /// Marks a queued message applied inside the transaction that applies it; false when another
    /// replica's sync took it first.
    static func markApplied(_ id: Int64, on connection: PostgresConnection) throws -> Bool {
        try connection.execute("UPDATE inventory.channel_messages SET status = 'applied', applied_at = now() WHERE id = $1 AND status = 'queued'", [Int(id)]) == 1
    }

    func markRefused(_ id: Int64, problems: String) async throws {
        try await pool.execute("UPDATE inventory.channel_messages SET status = 'refused', problems = $2 WHERE id = $1 AND status = 'queued'", [Int(id), problems])
    }

    struct Listed: Encodable, Sendable {
        var id: Int64
        var channel: String
        var kind: String
        var status: String
        var problems: String?
        var receivedAt: Date
        var appliedAt: Date?
        enum CodingKeys: String, CodingKey { case id, channel, kind, status, problems, receivedAt = "received_at", appliedAt = "applied_at" }
    }

    func page(status: String?, limit: Int, offset: Int) async throws -> (total: Int, messages: [Listed]) {
        let rows = try await pool.query(
            """
            SELECT id, channel, kind, status, problems, received_at, applied_at, count(*) OVER () AS total FROM inventory.channel_messages
            WHERE ($1::text IS NULL OR status = $1) ORDER BY id DESC LIMIT $2 OFFSET $3
            """,
            [status, limit, offset])
        return (try rows.first?.int("total") ?? 0, try rows.map { row in
            Listed(id: Int64(try row.int("id")), channel: try row.string("channel"), kind: try row.string("kind"), status: try row.string("status"),
                   problems: try row.optionalString("problems"), receivedAt: try row.date("received_at"), appliedAt: try row.optionalDate("applied_at"))
        })
    }
}
