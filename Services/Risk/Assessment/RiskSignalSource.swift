// What the rules look at, gathered for one order: the tenant's account and 30-day figures from
// PostgreSQL (one query, which also finds the order's assessment if it has one: then nothing else is
// asked), the tenant's order counts and the guests' other tenants from Redis (one script call that
// also counts this order), the amount in the base currency (pricing's rates), and the blacklist
// (kept in memory). Without Redis the counts are unknown and left at this order alone
// (logged): an assessment never fails for want of a counter.

import FoundationEssentials
import Logging
import NIOConcurrencyHelpers
import Shared

final class RiskSignalSource: Sendable {
    let pool: PostgresPool
    let redis: RedisClient?
    let rates: ExchangeRateSource?
    let logger: Logger
    private let blacklist = NIOLockedValueBox<Set<String>>([])

    init(pool: PostgresPool, redis: RedisClient?, rates: ExchangeRateSource?, logger: Logger) {
        self.pool = pool
        self.redis = redis
        self.rates = rates
        self.logger = logger
    }

    /// KEYS none (one tenant's counters, one Redis); ARGV tenant, minute now (since 1970), minutes of the
    /// short window, milliseconds now, the guest window in ms, then each guest's key. Counts this order
    /// in its minute, returns {orders in the short window, orders in the hour, most other tenants
    /// that booked one of these guests within the window}.
    static let script = RedisScript(
        """
        local prefix = 'risk:orders:' .. ARGV[1] .. ':'
        local minute = tonumber(ARGV[2])
        redis.call('INCR', prefix .. minute)
        redis.call('EXPIRE', prefix .. minute, 3700)
        local recent, hour = 0, 0
        for m = minute - 59, minute do
            local count = tonumber(redis.call('GET', prefix .. m) or '0')
            hour = hour + count
            if m > minute - tonumber(ARGV[3]) then recent = recent + count end
        end
        local now, window, others = tonumber(ARGV[4]), tonumber(ARGV[5]), 0
        for i = 6, #ARGV do
            local guest = 'risk:guest:' .. ARGV[i]
            redis.call('ZREMRANGEBYSCORE', guest, '-inf', now - window)
            local seen = redis.call('ZCARD', guest) - (redis.call('ZSCORE', guest, ARGV[1]) and 1 or 0)
            if seen > others then others = seen end
            redis.call('ZADD', guest, now, ARGV[1])
            redis.call('PEXPIRE', guest, window)
        end
        return {recent, hour, others}
        """)

    /// When the tenant's account was opened, how much of its credit is in use, its 30-day average order.
    struct Standing: Sendable {
        var openedAt: Date?
        var utilisation = 0.0
        var average: Amount?
    }

    func signals(_ request: AssessmentRequest, standing: Standing, policy: RiskPolicy, now: Date = Date()) async -> (RiskSignals, amountBase: Amount?) {
        async let counts = counts(request, policy: policy, now: now)
        let rates = await rates?.current()
        let amountBase = rates?.inBase(request.amount)
        let (recent, hour, others) = await counts
        let checkIn = Date(timeIntervalSince1970: Double(request.checkIn.dayNumber) * 86_400)
        let signals = RiskSignals(
            ordersRecently: recent, ordersLastHour: hour, amount: amountBase ?? request.amount.amount, tenantAverage: standing.average,
            otherTenantsForGuest: others, hoursToCheckIn: checkIn.timeIntervalSince(now) / 3600,
            tenantAgeDays: standing.openedAt.map { Int(now.timeIntervalSince($0) / 86_400) } ?? 0, creditUtilisation: standing.utilisation,
            blacklisted: blacklisted(request))
        return (signals, amountBase)
    }

    /// The tenant's order counts and the guests' other tenants; this order alone when Redis cannot say.
    func counts(_ request: AssessmentRequest, policy: RiskPolicy, now: Date) async -> (Int, Int, Int) {
        guard let redis else { return (1, 1, 0) }
        let ms = Int(now.timeIntervalSince1970 * 1000)
        let guests = request.guests.map { guest in
            Digest.hex(Digest.sha256(Array((Self.normalized(guest.firstName + " " + guest.lastName) + "|" + Self.normalized(guest.email ?? "")).utf8))).prefix(32)
        }
        do {
            let reply = try await redis.eval(
                Self.script,
                arguments: [request.tenantId, String(ms / 60_000), String(policy.velocity.minutes), String(ms), String(policy.repeatedGuest.minutes * 60_000)]
                    + guests.map(String.init))
            guard case .array(let values) = reply, values.count == 3, let recent = values[0].integer, let hour = values[1].integer, let others = values[2].integer
            else { return (1, 1, 0) }
            return (recent, hour, others)
        } catch {
            logger.warning("order counts unknown: Redis did not answer", metadata: ["error": .string("\(error)")])
            return (1, 1, 0)
        }
    }

    /// The order's assessment if it has one, and its tenant's standing: one query.
    func lookUp(_ request: AssessmentRequest) async throws -> (stored: Assessment?, standing: Standing) {
        guard
            let row = try await pool.query(
                """
                SELECT \(Self.storedColumns), a.opened_at, a.balance, a.credit_limit, a.reserved, d.orders, d.amount
                FROM (SELECT $1::text AS tenant_id) t
                LEFT JOIN risk.assessments s ON s.order_id = $2
                LEFT JOIN risk.credit_accounts a ON a.tenant_id = t.tenant_id
                LEFT JOIN LATERAL (
                    SELECT sum(orders) AS orders, sum(amount_base) AS amount FROM risk.tenant_days
                    WHERE tenant_id = t.tenant_id AND day > current_date - 30
                ) d ON true
                """,
                [request.tenantId, request.orderId]
            ).first
        else { return (nil, Standing()) }
        if !(try row.isNull("order_id")) { return (try AssessmentRepository.assessment(row), Standing()) }
        return (nil, try Self.standing(row))
    }

    private static let storedColumns = AssessmentRepository.columns.split(separator: ", ").map { "s.\($0)" }.joined(separator: ", ")

    private static func standing(_ row: PostgresRow) throws -> Standing {
        var utilisation = 0.0
        if !(try row.isNull("balance")) {
            let balance = try row.decimal("balance"), limit = try row.decimal("credit_limit"), reserved = try row.decimal("reserved")
            let capacity = max(balance, 0) + limit, used = reserved + max(-balance, 0)
            if capacity > 0 { utilisation = Double((used / capacity).description) ?? 0 }
        }
        var average: Amount?
        if !(try row.isNull("orders")), try row.int("orders") > 0 {
            average = Amount(try row.decimal("amount") / Decimal(try row.int("orders")))
        }
        return Standing(openedAt: try row.isNull("opened_at") ? nil : try row.date("opened_at"), utilisation: utilisation, average: average)
    }

    // MARK: Blacklist

    /// Replaces the blacklist held in memory (`kind:value` entries, values normalized).
    func reloadBlacklist() async throws {
        let entries = try await pool.query("SELECT kind, value FROM risk.blacklist").map { "\(try $0.string("kind")):\(try $0.string("value"))" }
        blacklist.withLockedValue { $0 = Set(entries) }
    }

    /// The entries the order hits.
    func blacklisted(_ request: AssessmentRequest) -> [String] {
        var candidates = ["tenant:" + request.tenantId.lowercased()]
        if let ip = request.clientIp { candidates.append("ip:" + Self.normalized(ip)) }
        for guest in request.guests {
            candidates.append("name:" + Self.normalized(guest.firstName + " " + guest.lastName))
            if let email = guest.email { candidates.append("email:" + Self.normalized(email)) }
        }
        let list = blacklist.withLockedValue { $0 }
        return candidates.filter(list.contains)
    }

    /// Lower case, runs of spaces as one, trimmed: how names, emails and addresses are compared.
    static func normalized(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
