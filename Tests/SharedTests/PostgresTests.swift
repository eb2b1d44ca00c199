// The libpq client against the real PostgreSQL: pool, decoding, errors, transactions, NOTIFY, timeouts.

import Foundation
import Shared
import ServiceLifecycle
import Testing

@Suite(.serialized) struct PostgresTests {
    @Test func twoHundredConcurrentQueriesThroughAPoolOfFive() async throws {
        let settings = try TestInfrastructure.postgresSettings(poolSize: 5)
        try await withPool(settings) { pool in
            let results = try await withThrowingTaskGroup(of: (Int, Int, Int).self) { group in
                for i in 0..<200 {
                    group.addTask {
                        let row = try await pool.query(
                            "SELECT $1::int AS n, (SELECT count(*) FROM pg_stat_activity WHERE application_name = $2)::int AS sessions FROM pg_sleep(0.005)",
                            [i, settings.applicationName]
                        ).first!
                        return (i, try row.int("n"), try row.int("sessions"))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.count == 200)
            #expect(results.allSatisfy { $0.0 == $0.1 })
            #expect(results.map(\.2).max()! <= 5, "never more sessions than the pool size")
        }
    }

    @Test func connectionsOpenAsWorkNeedsThem() async throws {
        let settings = try TestInfrastructure.postgresSettings(poolSize: 5)
        let sessions = "SELECT (SELECT count(*) FROM pg_stat_activity WHERE application_name = $1)::int AS sessions FROM pg_sleep($2)"
        try await withPool(settings) { pool in
            var serial: [Int] = []
            for _ in 0..<10 { serial.append(try await pool.query(sessions, [settings.applicationName, 0.0]).first!.int("sessions")) }
            #expect(serial.first == 1, "an idle pool has no connection; the first query opens one")
            #expect(serial.max()! <= 2, "one query at a time needs one connection (two while a thread is still on its way back)")
            let busy = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<30 { group.addTask { try await pool.query(sessions, [settings.applicationName, 0.05]).first!.int("sessions") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(busy.max() == 5, "under load the pool grows to its size and no further: \(busy)")
        }
    }

    @Test func decodesTypedColumns() async throws {
        try await withPool(try TestInfrastructure.postgresSettings(poolSize: 1)) { pool in
            let id = UUID()
            let row = try #require(try await pool.query(
                """
                SELECT $1::text AS t, $2::bigint AS i, $3::numeric AS d, $4::bool AS b, $5::uuid AS u,
                       $6::timestamptz AS ts, '{"guest_name":"Li","nights":2}'::jsonb AS j, $7::text[] AS a,
                       NULL::text AS missing, $8::date AS night, 90.50::numeric(12,2) AS price
                """,
                ["O'Brien; DROP TABLE x", 9_007_199_254_740_993, Decimal(string: "12345678901234567890.125")!, true, id,
                 Date(timeIntervalSince1970: 1_795_000_000.123), PostgresArray(["a", "b c", "quote\"d", "back\\slash", "NULL"]), CalendarDate("2028-02-29")!]
            ).first)
            #expect(try row.string("t") == "O'Brien; DROP TABLE x")
            #expect(try row.int("i") == 9_007_199_254_740_993)
            #expect(try row.decimal("d") == Decimal(string: "12345678901234567890.125")!)
            #expect(try row.amount("price").description == "90.50", "money keeps its digits")
            #expect(try row.optionalAmount("missing") == nil)
            #expect(throws: PostgresRow.DecodingFailure.self) { try row.amount("t") }
            #expect(try row.bool("b"))
            #expect(try row.uuid("u") == id)
            #expect(abs(try row.date("ts").timeIntervalSince1970 - 1_795_000_000.123) < 0.001)
            struct Stay: Decodable, Equatable { let guest_name: String; let nights: Int }
            #expect(try row.json("j", as: Stay.self) == Stay(guest_name: "Li", nights: 2))
            #expect(try row.stringArray("a") == ["a", "b c", "quote\"d", "back\\slash", "NULL"])
            #expect(try row.calendarDate("night") == CalendarDate(year: 2028, month: 2, day: 29))
            #expect(try row.isNull("missing"))
            #expect(try row.optionalString("missing") == nil)
            let missing: String? = nil
            let nulls = try #require(try await pool.query("SELECT $1::text IS NULL AS a, $2::text IS NULL AS b, $3::text AS c", [nil, missing, Optional("x")]).first)
            #expect(try nulls.bool("a") && nulls.bool("b"))
            #expect(try nulls.string("c") == "x")
            #expect(throws: PostgresRow.DecodingFailure.self) { try row.int("t") }
            #expect(throws: PostgresRow.DecodingFailure.self) { try row.string("nope") }
        }
    }

    @Test func errorsCarrySQLStateAndStackedStatementsAreRefused() async throws {
        try await withPool(try TestInfrastructure.postgresSettings(poolSize: 1)) { pool in
            let table = "t_\(UUID().uuidString.prefix(8).lowercased())"
            try await pool.execute("CREATE TEMP TABLE IF NOT EXISTS \(table) (id int PRIMARY KEY)")
            try await pool.withConnection { connection in
                try connection.execute("CREATE TEMP TABLE u (id int PRIMARY KEY)")
                try connection.execute("INSERT INTO u VALUES ($1)", [1])
                do {
                    try connection.execute("INSERT INTO u VALUES ($1)", [1])
                    Issue.record("duplicate accepted")
                } catch let error as PostgresError {
                    #expect(error.isUniqueViolation)
                    #expect(error.detail?.contains("(id)=(1)") == true)
                }
            }
            await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1; SELECT 2") }
            do {
                try await pool.withConnection { connection in
                    try connection.execute("CREATE TEMP TABLE IF NOT EXISTS guests (email text CHECK (email LIKE '%@%'))")
                    try connection.execute("INSERT INTO guests VALUES ($1)", ["private-guest-data"])
                }
                Issue.record("the check constraint let the row in")
            } catch let error as PostgresError {
                #expect(error.detail?.contains("private-guest-data") == true, "the caller's code may read it")
                for logged in [String(describing: error), String(reflecting: error), "\(error)"] {
                    #expect(!logged.contains("private-guest-data") && logged.contains("failing row withheld"), "\(logged)")
                }
            }
            do {
                try await pool.query("SELEC 1")
            } catch let error as PostgresError {
                #expect(error.sqlState == "42601")
            }
            #expect(try await pool.query("SELECT 1 AS one").first?.int("one") == 1, "the connection is still usable")
        }
    }

    @Test func statementsArePreparedOncePerSessionAndSurviveATableChange() async throws {
        try await withPool(try TestInfrastructure.postgresSettings(poolSize: 1)) { pool in
            let table = "p_\(UUID().uuidString.prefix(8).lowercased())"
            try await pool.execute("CREATE TABLE \(table) (id int)")
            defer { Task { try? await pool.execute("DROP TABLE \(table)") } }
            try await pool.execute("INSERT INTO \(table) VALUES ($1)", [7])
            let select = "SELECT * FROM \(table) WHERE id = $1"
            for _ in 0..<3 { #expect(try await pool.query(select, [7]).first?.int("id") == 7) }
            let kept = "SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1"
            #expect(try await pool.query(kept, [select]).first?.int("n") == 1, "prepared once, run three times")
            try await pool.execute("ALTER TABLE \(table) ADD COLUMN note text DEFAULT 'added'")
            let row = try #require(try await pool.query(select, [7]).first)
            #expect(try row.string("note") == "added", "the kept plan is replaced, not failed")
            for i in 0..<(PreparedStatements.capacity + 20) { _ = try await pool.query("SELECT \(i) + $1::int AS n", [1]) }
            let count = try await pool.query("SELECT count(*)::int AS n FROM pg_prepared_statements").first?.int("n")
            #expect(count == PreparedStatements.capacity, "texts past the cap run unprepared")
            #expect(try await pool.query("SELECT 9999 + $1::int AS n", [1]).first?.int("n") == 10000)
        }
    }

    @Test func transactionCommitsOnReturnAndRollsBackOnThrow() async throws {
        try await withPool(try TestInfrastructure.postgresSettings(poolSize: 2)) { pool in
            let table = "tx_\(UUID().uuidString.prefix(8).lowercased())"
            try await pool.execute("CREATE TABLE \(table) (id int PRIMARY KEY)")
            defer { Task { try? await pool.execute("DROP TABLE \(table)") } }
            try await pool.transaction { try $0.execute("INSERT INTO \(table) VALUES (1)") }
            struct Abort: Error {}
            await #expect(throws: Abort.self) {
                try await pool.transaction { connection in
                    try connection.execute("INSERT INTO \(table) VALUES (2)")
                    throw Abort()
                }
            }
            let ids = try await pool.query("SELECT id FROM \(table) ORDER BY id").map { try $0.int("id") }
            #expect(ids == [1])
            try await pool.execute("DROP TABLE \(table)")
        }
    }

    @Test func aSessionLostInsideATransactionFailsItInsteadOfReconnecting() async throws {
        try await withPool(try TestInfrastructure.postgresSettings(poolSize: 1)) { pool in
            let table = "lost_\(UUID().uuidString.prefix(8).lowercased())"
            try await pool.execute("CREATE TABLE \(table) (id int PRIMARY KEY)")
            await #expect(throws: PostgresError.self) {
                try await pool.transaction { connection in
                    try connection.execute("INSERT INTO \(table) VALUES (1)")
                    _ = try? connection.query("SELECT pg_terminate_backend(pg_backend_pid())")
                    // A silent reconnect here would commit row 2 alone, outside the transaction.
                    try connection.execute("INSERT INTO \(table) VALUES (2)")
                }
            }
            #expect(try await pool.query("SELECT count(*)::int AS n FROM \(table)").first?.int("n") == 0, "nothing of the transaction persisted")
            try await pool.execute("DROP TABLE \(table)")
        }
    }

    @Test func serializationFailuresAreRetried() async throws {
        try await withPool(try TestInfrastructure.postgresSettings(poolSize: 8)) { pool in
            let table = "ser_\(UUID().uuidString.prefix(8).lowercased())"
            try await pool.execute("CREATE TABLE \(table) (id int PRIMARY KEY, n int NOT NULL)")
            try await pool.execute("INSERT INTO \(table) VALUES (1, 0)")
            let increment: @Sendable (PostgresConnection) throws -> Void = { connection in
                let n = try connection.query("SELECT n FROM \(table) WHERE id = 1").first!.int("n")
                Thread.sleep(forTimeInterval: 0.002)
                try connection.execute("UPDATE \(table) SET n = $1 WHERE id = 1", [n + 1])
            }
            // Without retries, concurrent serializable read-modify-writes abort with 40001.
            let failures = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<16 { group.addTask { (try? await pool.transaction(.serializable, increment)) == nil } }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(failures > 0, "the test must provoke conflicts")
            let before = try await pool.query("SELECT n FROM \(table)").first!.int("n")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<16 { group.addTask { try await pool.retryingTransaction(.serializable, attempts: 50, increment) } }
                try await group.waitForAll()
            }
            #expect(try await pool.query("SELECT n FROM \(table)").first!.int("n") == before + 16)
            try await pool.execute("DROP TABLE \(table)")
        }
    }

    @Test func statementTimeoutCancelsLongQueries() async throws {
        try await withPool(try TestInfrastructure.postgresSettings(poolSize: 1, statementTimeout: .milliseconds(100))) { pool in
            do {
                try await pool.query("SELECT pg_sleep(2)")
                Issue.record("no timeout")
            } catch let error as PostgresError {
                #expect(error.isStatementTimeout)
            }
            #expect(try await pool.query("SELECT 1 AS one").first?.int("one") == 1)
        }
    }

    @Test func listenNotifyDelivers() async throws {
        try await withListener { pool, channel, events in
            try await pool.notify(channel, payload: "order-1")
            try await pool.notify(channel, payload: "order-2")
            #expect(await events.next() == .notification(.init(channel: channel, payload: "order-1")))
            #expect(await events.next() == .notification(.init(channel: channel, payload: "order-2")))
        }
    }
}

@Suite struct StrayTransactionTests {
    @Test func aConnectionLeftInAFailedTransactionGoesBackToThePoolClean() async throws {
        try await withPool(try TestInfrastructure.postgresSettings(poolSize: 1)) { pool in
            // A step that opens a transaction and fails before its ROLLBACK (what the outbox relay once did).
            await #expect(throws: PostgresError.self) {
                try await pool.withConnection { connection in
                    try connection.execute("BEGIN")
                    try connection.execute("SELECT * FROM no_such_table_anywhere")
                }
            }
            #expect(try await pool.query("SELECT 1 AS one").first?.int("one") == 1, "the next user of the only connection is not in an aborted transaction")
            await #expect(throws: PostgresError.self) {
                try await pool.withLease { lease in
                    try await lease.run { connection in
                        try connection.execute("BEGIN")
                        try connection.execute("SELECT * FROM no_such_table_anywhere")
                    }
                }
            }
            #expect(try await pool.query("SELECT 1 AS one").first?.int("one") == 1)
            let open = try await pool.withConnection { connection in
                try connection.execute("BEGIN")
                return try connection.query("SELECT 2 AS two").first?.int("two")
            }
            #expect(open == 2)
            #expect(try await pool.query("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle in transaction'",
                                         [pool.settings.applicationName]).first?.int("n") == 0, "nor left idle in a transaction")
        }
    }
}
