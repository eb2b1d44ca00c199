// Webhooks in schema `gateway`: suppliers' signing secrets and the ids of what they sent (replay
// protection), and the outbound delivery log to distributors with its retry state.

import FoundationEssentials
import Shared

struct WebhookDelivery: Codable, Equatable, Sendable {
    enum Status: String, Codable, Sendable, CaseIterable { case pending, delivered, dead }

    var id: String
    var tenantId: String
    var eventId: String
    var eventType: String
    var url: String
    var status: Status
    var attempts: Int
    var nextAttemptAt: Date?
    var lastStatus: Int?
    var lastError: String?
    var createdAt: Date
    var deliveredAt: Date?
    /// The body sent (the event envelope), in single reads only.
    var payload: JSONValue?

    enum CodingKeys: String, CodingKey {
        case id, tenantId = "tenant_id", eventId = "event_id", eventType = "event_type", url, status, attempts
        case nextAttemptAt = "next_attempt_at", lastStatus = "last_status", lastError = "last_error", createdAt = "created_at"
        case deliveredAt = "delivered_at", payload
    }
}

/// A delivery claimed for one attempt.
struct DueDelivery: Sendable {
    var id: String
    var eventId: String
    var eventType: String
    var payload: String
    var url: String
    var attempts: Int
    var windowStartedAt: Date
    var sealedSecret: String?
}

struct WebhookRepository: Sendable {
    let pool: PostgresPool

    // MARK: Inbound

    func setSupplierSecret(_ code: String, sealed: String) async throws {
        try await pool.execute(
            """
            INSERT INTO gateway.supplier_webhook_secrets (supplier_code, secret) VALUES ($1, $2)
            ON CONFLICT (supplier_code) DO UPDATE SET secret = EXCLUDED.secret, updated_at = now()
            """,
            [code, sealed])
    }

    func sealedSupplierSecret(_ code: String) async throws -> String? {
        try await pool.query("SELECT secret FROM gateway.supplier_webhook_secrets WHERE supplier_code = $1", [code]).first?.string("secret")
    }

    func deleteSupplierSecret(_ code: String) async throws -> Bool {
        try await pool.execute("DELETE FROM gateway.supplier_webhook_secrets WHERE supplier_code = $1", [code]) > 0
    }

    /// Records a verified inbound webhook under each of its replay keys and appends its event, in one
    /// transaction; false (and nothing recorded) when any key was seen before.
    func accept(supplier: String, replayKeys: [String], event: EventEnvelope) async throws -> Bool {
        struct Replayed: Error {}
        do {
            try await pool.transaction { connection in
                let recorded = try connection.execute(
                    """
                    INSERT INTO gateway.inbound_webhooks (supplier_code, webhook_id)
                    SELECT $1, key FROM unnest($2::text[]) AS key ON CONFLICT DO NOTHING
                    """,
                    [supplier, PostgresArray(replayKeys)])
                guard recorded == Set(replayKeys).count else { throw Replayed() }
                try Outbox.append([event], schema: "gateway", on: connection)
            }
            return true
        } catch is Replayed {
            return false
        }
    }

    /// Forgets inbound ids older than `age` (far beyond the signature tolerance, so replays stay refused).
    func pruneInbound(olderThan age: Duration) async throws {
        try await pool.execute("DELETE FROM gateway.inbound_webhooks WHERE received_at < now() - make_interval(secs => $1)", [Int(age.components.seconds)])
    }

    // MARK: Outbound

    /// A delivery for each event whose tenant has a webhook URL and secret; an event already queued
    /// for its tenant is not queued again. Returns how many were queued.
    /// (An event's `data.internal`, what only the platform may know, is not delivered.)
    static func enqueue(_ events: [ConsumedEvent<JSONValue>], on connection: PostgresConnection) throws -> Int {
        let withTenant = events.filter { $0.envelope.tenantId != nil }
        guard !withTenant.isEmpty else { return 0 }
        let queued = try connection.execute(
            """
            INSERT INTO gateway.webhook_deliveries (id, tenant_id, event_id, event_type, payload, url)
            SELECT gen_random_uuid(), t.id, e.event_id, e.type,
                CASE WHEN e.payload::jsonb #> '{data,internal}' IS NULL THEN e.payload ELSE (e.payload::jsonb #- '{data,internal}')::text END, t.webhook_url
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS e(event_id, type, tenant, payload)
            JOIN gateway.tenants t ON t.id::text = lower(e.tenant)
            WHERE t.webhook_url IS NOT NULL AND t.webhook_secret IS NOT NULL
            ON CONFLICT (tenant_id, event_id) DO NOTHING
            """,
            [
                PostgresArray(withTenant.map { $0.envelope.id }), PostgresArray(withTenant.map { $0.envelope.type }),
                PostgresArray(withTenant.map { $0.envelope.tenantId! }), PostgresArray(withTenant.map { String(decoding: $0.body, as: UTF8.self) }),
            ])
        // Delivered to the dispatcher when the transaction commits.
        if queued > 0 { try connection.execute("SELECT pg_notify($1, '')", [GatewayMigrations.webhooksChannel]) }
        return queued
    }

    /// Up to `limit` due deliveries, each leased for `lease` (another replica will not take it
    /// meanwhile; a crashed attempt is retried when the lease ends). The tenant's current URL and
    /// secret apply.
    func claimDue(limit: Int, lease: Duration) async throws -> [DueDelivery] {
        try await pool.query(
            """
            WITH due AS (
                SELECT id FROM gateway.webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()
                ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
            UPDATE gateway.webhook_deliveries d
            SET next_attempt_at = now() + make_interval(secs => $2), url = COALESCE(t.webhook_url, d.url)
            FROM due, gateway.tenants t WHERE d.id = due.id AND t.id = d.tenant_id
            RETURNING d.id, d.event_id, d.event_type, d.payload, d.url, d.attempts, d.window_started_at, t.webhook_secret
            """,
            [limit, Int(lease.components.seconds)]
        ).map { row in
            DueDelivery(
                id: try row.string("id"), eventId: try row.string("event_id"), eventType: try row.string("event_type"),
                payload: try row.string("payload"), url: try row.string("url"), attempts: try row.int("attempts"),
                windowStartedAt: try row.date("window_started_at"), sealedSecret: try row.optionalString("webhook_secret"))
        }
    }

    func markDelivered(_ id: String, httpStatus: Int) async throws {
        try await pool.execute(
            """
            UPDATE gateway.webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status = $2, last_error = NULL,
                delivered_at = now() WHERE id = $1 AND status = 'pending'
            """,
            [id, httpStatus])
    }

    /// A failed attempt: tried again at `retryAt`, or dead-lettered when nil.
    func markFailed(_ id: String, httpStatus: Int?, error: String, retryAt: Date?) async throws {
        try await pool.execute(
            """
            UPDATE gateway.webhook_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3,
                status = CASE WHEN $4::timestamptz IS NULL THEN 'dead' ELSE 'pending' END,
                next_attempt_at = COALESCE($4::timestamptz, next_attempt_at)
            WHERE id = $1 AND status = 'pending'
            """,
            [id, httpStatus, String(error.prefix(500)), retryAt])
    }

    private static let columns = """
        id, tenant_id, event_id, event_type, url, status, attempts, next_attempt_at, last_status, last_error, created_at, delivered_at
        """

    /// Newest first, optionally of one tenant and status.
    func deliveries(tenant: String?, status: WebhookDelivery.Status?, limit: Int) async throws -> [WebhookDelivery] {
        try await pool.query(
            """
            SELECT \(Self.columns) FROM gateway.webhook_deliveries
            WHERE ($1::uuid IS NULL OR tenant_id = $1) AND ($2::text IS NULL OR status = $2)
            ORDER BY created_at DESC, id LIMIT $3
            """,
            [tenant, status?.rawValue, limit]
        ).map { try Self.delivery($0) }
    }

    func delivery(_ id: String) async throws -> WebhookDelivery? {
        try await pool.query("SELECT \(Self.columns), payload FROM gateway.webhook_deliveries WHERE id = $1", [id]).first.map {
            try Self.delivery($0, withPayload: true)
        }
    }

    /// Sends a delivery again now, with a fresh retry window, whatever its state.
    func replay(_ id: String) async throws -> WebhookDelivery? {
        let replayed = try await pool.query(
            """
            UPDATE gateway.webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), window_started_at = now(),
                last_error = NULL, delivered_at = NULL
            WHERE id = $1 RETURNING \(Self.columns)
            """,
            [id]
        ).first.map { try Self.delivery($0) }
        if replayed != nil { try await pool.notify(GatewayMigrations.webhooksChannel) }
        return replayed
    }

    private static func delivery(_ row: PostgresRow, withPayload: Bool = false) throws -> WebhookDelivery {
        WebhookDelivery(
            id: try row.string("id"), tenantId: try row.string("tenant_id"), eventId: try row.string("event_id"),
            eventType: try row.string("event_type"), url: try row.string("url"),
            status: WebhookDelivery.Status(rawValue: try row.string("status")) ?? .pending, attempts: try row.int("attempts"),
            nextAttemptAt: try row.optionalDate("next_attempt_at"), lastStatus: try row.optionalInt("last_status"),
            lastError: try row.optionalString("last_error"), createdAt: try row.date("created_at"), deliveredAt: try row.optionalDate("delivered_at"),
            payload: withPayload ? try row.json("payload") : nil)
    }
}
