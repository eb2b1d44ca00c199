// What matching learned about each supplier from `supplier.call` events, counted once per event.

import FoundationEssentials
import Shared

struct SupplierScoreRepository: Sendable {
    let pool: PostgresPool

    /// Adds what `calls` teach, inside the consumer's transaction (the inbox has dropped events seen before).
    static func record(_ calls: [SupplierCallEvent], on connection: PostgresConnection) throws {
        var tally: [String: SupplierStanding] = [:]
        for call in calls { tally[call.supplier, default: SupplierStanding()].learn(call) }
        for (supplier, add) in tally where add.calls > 0 {
            _ = try connection.execute(
                """
                INSERT INTO matching.supplier_scores (supplier, calls, failures, searches, searches_with_rooms, bookings, bookings_confirmed)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                ON CONFLICT (supplier) DO UPDATE SET calls = supplier_scores.calls + $2, failures = supplier_scores.failures + $3,
                    searches = supplier_scores.searches + $4, searches_with_rooms = supplier_scores.searches_with_rooms + $5,
                    bookings = supplier_scores.bookings + $6, bookings_confirmed = supplier_scores.bookings_confirmed + $7, updated_at = now()
                """, [supplier, add.calls, add.failures, add.searches, add.searchesWithRooms, add.bookings, add.bookingsConfirmed])
        }
        for call in calls {
            guard let stay = call.stay, let quotes = call.quotes, !quotes.isEmpty else { continue }
            try storeQuotes(quotes, supplier: call.supplier, stay: stay, at: call.at, on: connection)
        }
        if calls.contains(where: { $0.quotes != nil }) {
            _ = try connection.execute("DELETE FROM matching.price_quotes WHERE quoted_at < now() - make_interval(days => $1)", [priceMemoryDays])
        }
    }

    /// How long a price is remembered: comparisons are made over the last 30 days' quotes.
    static let priceMemoryDays = 30

    /// Each quote under the master hotel its code is mapped to (codes not mapped are left out); a
    /// later quote of the same stay replaces an earlier one.
    static func storeQuotes(_ quotes: [HotelQuote], supplier: String, stay: String, at: Date, on connection: PostgresConnection) throws {
        // One row per hotel and currency (the lowest), and only what the table can hold: a bad quote
        // in an event must not fail its whole batch again and again.
        let quotes = HotelQuote.lowest(quotes.filter { Currency.isCode($0.currency) && $0.net >= .zero && !$0.hotelCode.isEmpty })
        guard !quotes.isEmpty, stay.utf8.count <= 100 else { return }
        _ = try connection.execute(
            """
            INSERT INTO matching.price_quotes AS p (master_hotel_id, stay, currency, supplier, net, quoted_at)
            SELECT m.master_hotel_id, $2, q.currency, $1, q.net::numeric, $3
            FROM unnest($4::text[], $5::text[], $6::text[]) AS q(code, net, currency)
            JOIN matching.mappings m ON m.supplier = $1 AND m.code = q.code AND m.status = 'mapped'
            ON CONFLICT (master_hotel_id, stay, currency, supplier) DO UPDATE SET net = EXCLUDED.net, quoted_at = EXCLUDED.quoted_at
            WHERE EXCLUDED.quoted_at >= p.quoted_at
            """, [supplier, stay, at, PostgresArray(quotes.map(\.hotelCode)), PostgresArray(quotes.map(\.net.description)), PostgresArray(quotes.map(\.currency))])
    }

    /// For each supplier of `hotel`: of the stays it and at least one other supplier quoted (last 30
    /// days), how many, and in how many it asked the least (ties count). Quotes are compared in the
    /// base currency of `rates` (converted and rounded to its minor units) or, in a currency without
    /// a rate, only with quotes in the same currency.
    func prices(hotel: Int64, rates: ExchangeRates?) async throws -> [String: PriceStanding] {
        let known = (rates?.rates ?? [:]).sorted { $0.key < $1.key }
        let base = rates?.base ?? ""
        let rows = try await pool.query(
            """
            WITH rate AS (SELECT * FROM unnest($3::text[], $4::numeric[]) AS r(currency, rate)),
            quote AS (
                SELECT p.supplier, p.stay, CASE WHEN r.rate IS NULL THEN p.currency::text ELSE $5::text END AS currency,
                       min(CASE WHEN r.rate IS NULL THEN p.net ELSE round(p.net * r.rate, $6::integer) END) AS net
                FROM matching.price_quotes p LEFT JOIN rate r ON r.currency = p.currency
                WHERE p.master_hotel_id = $1 AND p.quoted_at >= now() - make_interval(days => $2)
                GROUP BY 1, 2, 3)
            SELECT supplier, count(*) AS compared, count(*) FILTER (WHERE net = lowest) AS cheapest
            FROM (SELECT supplier, net, min(net) OVER same AS lowest, count(*) OVER same AS quoted FROM quote WINDOW same AS (PARTITION BY stay, currency)) q
            WHERE quoted > 1 GROUP BY supplier
            """, [hotel, Self.priceMemoryDays, PostgresArray(known.map(\.key)), PostgresArray(known.map(\.value.description)), base, Currency.minorUnits(base)])
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.string("supplier"), PriceStanding(compared: try $0.int("compared"), cheapest: try $0.int("cheapest"))) })
    }

    func standings(_ suppliers: [String]) async throws -> [String: SupplierStanding] {
        let rows = try await pool.query("SELECT * FROM matching.supplier_scores WHERE supplier = ANY($1::text[])", [PostgresArray(suppliers)])
        return Dictionary(uniqueKeysWithValues: try rows.map { row in
            (try row.string("supplier"), SupplierStanding(
                calls: try row.int("calls"), failures: try row.int("failures"), searches: try row.int("searches"),
                searchesWithRooms: try row.int("searches_with_rooms"), bookings: try row.int("bookings"), bookingsConfirmed: try row.int("bookings_confirmed")))
        })
    }
}
