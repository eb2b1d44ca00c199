// Mapping jobs: queued by operators or by `supplier.hotels.updated`, claimed by one replica at a
// time (SKIP LOCKED), with their progress for the status endpoint.

import FoundationEssentials
import Shared

struct MappingJobStatus: Codable, Sendable, Equatable {
    var id: UUID
    /// One supplier (incremental), or nil for every supplier.
    var supplier: String?
    var status: String
    var total: Int
    var processed: Int
    var mapped: Int
    var review: Int
    var created: Int
    var error: String?
    var requestedBy: String
    var createdAt: Date
    var startedAt: Date?
    var finishedAt: Date?
    /// Records decided per second since the job started.
    var ratePerSecond: Double?

    enum CodingKeys: String, CodingKey {
        case id, supplier, status, total, processed, mapped, review, created, error, requestedBy = "requested_by", createdAt = "created_at"
        case startedAt = "started_at", finishedAt = "finished_at", ratePerSecond = "rate_per_second"
    }
}

struct MappingJobRepository: Sendable {
    let pool: PostgresPool
    static let columns = "id, supplier, status, total, processed, mapped, review, created, error, requested_by, created_at, started_at, finished_at"

    /// Queues a job; a queued job for the same scope is reused rather than doubled.
    func enqueue(supplier: String?, by who: String) async throws -> MappingJobStatus {
        try await pool.transaction { try Self.enqueue(supplier: supplier, by: who, on: $0) }
    }

    /// Inside the caller's transaction (which must not be long: it holds the queue's lock).
    static func enqueue(supplier: String?, by who: String, on connection: PostgresConnection) throws -> MappingJobStatus {
        _ = try connection.execute("SELECT pg_advisory_xact_lock(hashtext('matching.mapping_jobs'))")
        if let queued = try connection.query(
            "SELECT \(Self.columns) FROM matching.mapping_jobs WHERE status = 'queued' AND supplier IS NOT DISTINCT FROM $1 LIMIT 1", [supplier]).first {
            return try Self.status(queued)
        }
        return try Self.status(try connection.query(
            "INSERT INTO matching.mapping_jobs (id, supplier, status, requested_by) VALUES ($1, $2, 'queued', $3) RETURNING \(Self.columns)",
            [UUID(), supplier, who]).first!)
    }

    func claim() async throws -> MappingJobStatus? {
        try await pool.query(
            """
            UPDATE matching.mapping_jobs SET status = 'running', started_at = now()
            WHERE id = (SELECT id FROM matching.mapping_jobs WHERE status = 'queued' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
            RETURNING \(Self.columns)
            """
        ).first.map(Self.status)
    }

    func progress(_ job: MappingJobStatus) async throws {
        _ = try await pool.execute(
            "UPDATE matching.mapping_jobs SET total = $2, processed = $3, mapped = $4, review = $5, created = $6 WHERE id = $1",
            [job.id, job.total, job.processed, job.mapped, job.review, job.created])
    }

    func finish(_ id: UUID, error: String?) async throws {
        _ = try await pool.execute(
            "UPDATE matching.mapping_jobs SET status = $2, error = $3, finished_at = now() WHERE id = $1", [id, error == nil ? "succeeded" : "failed", error])
    }

    func find(_ id: UUID) async throws -> MappingJobStatus? {
        try await pool.query("SELECT \(Self.columns) FROM matching.mapping_jobs WHERE id = $1", [id]).first.map(Self.status)
    }

    static func status(_ row: PostgresRow) throws -> MappingJobStatus {
        let startedAt = try row.optionalDate("started_at"), finishedAt = try row.optionalDate("finished_at")
        let processed = try row.int("processed")
        let elapsed = startedAt.map { (finishedAt ?? Date()).timeIntervalSince($0) }
        return MappingJobStatus(
            id: try row.uuid("id"), supplier: try row.optionalString("supplier"), status: try row.string("status"), total: try row.int("total"),
            processed: processed, mapped: try row.int("mapped"), review: try row.int("review"), created: try row.int("created"),
            error: try row.optionalString("error"), requestedBy: try row.string("requested_by"), createdAt: try row.date("created_at"),
            startedAt: startedAt, finishedAt: finishedAt,
            ratePerSecond: elapsed.flatMap { $0 > 0 ? (Double(processed) / $0 * 10).rounded() / 10 : nil })
    }
}
