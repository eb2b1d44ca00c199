// Schema `matching`: the master hotel catalog (geo and trigram indexes), supplier hotel records as
// their feeds describe them, the mapping between the two, mapping jobs, and what was learned about
// each supplier's reliability.

import Shared

enum MatchingMigrations {
    static let all = [
        Migration(
            id: "001", name: "catalog_and_mappings",
            up: """
                CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
                CREATE EXTENSION IF NOT EXISTS cube WITH SCHEMA public;
                CREATE EXTENSION IF NOT EXISTS earthdistance WITH SCHEMA public;
                CREATE TABLE master_hotels (
                    id BIGSERIAL PRIMARY KEY,
                    name TEXT NOT NULL,
                    normalized_name TEXT NOT NULL,
                    address TEXT NOT NULL,
                    city TEXT NOT NULL,
                    normalized_city TEXT NOT NULL,
                    country_code TEXT NOT NULL,
                    latitude DOUBLE PRECISION NOT NULL CHECK (latitude BETWEEN -90 AND 90),
                    longitude DOUBLE PRECISION NOT NULL CHECK (longitude BETWEEN -180 AND 180),
                    stars INTEGER,
                    chain TEXT,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
                );
                CREATE INDEX master_hotels_geo ON master_hotels USING gist (public.ll_to_earth(latitude, longitude));
                CREATE INDEX master_hotels_name ON master_hotels USING gin (normalized_name public.gin_trgm_ops);
                CREATE INDEX master_hotels_city ON master_hotels (normalized_city);
                CREATE TABLE supplier_hotels (
                    supplier TEXT NOT NULL,
                    code TEXT NOT NULL,
                    name TEXT NOT NULL,
                    address TEXT NOT NULL,
                    city TEXT NOT NULL,
                    country_code TEXT NOT NULL,
                    latitude DOUBLE PRECISION NOT NULL,
                    longitude DOUBLE PRECISION NOT NULL,
                    stars INTEGER,
                    chain TEXT,
                    content_hash TEXT NOT NULL,
                    fetched_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    PRIMARY KEY (supplier, code)
                );
                CREATE TABLE mappings (
                    supplier TEXT NOT NULL,
                    code TEXT NOT NULL,
                    master_hotel_id BIGINT NOT NULL REFERENCES master_hotels (id),
                    -- mapped: live; review: master_hotel_id is only the proposed candidate
                    status TEXT NOT NULL CHECK (status IN ('mapped', 'review')),
                    method TEXT NOT NULL CHECK (method IN ('auto', 'new', 'approved', 'rejected', 'remapped')),
                    score DOUBLE PRECISION NOT NULL,
                    decided_by TEXT,
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    PRIMARY KEY (supplier, code),
                    FOREIGN KEY (supplier, code) REFERENCES supplier_hotels (supplier, code) ON DELETE CASCADE
                );
                -- A supplier lists a hotel once: a master holds at most one live record per supplier.
                CREATE UNIQUE INDEX mappings_one_per_supplier ON mappings (master_hotel_id, supplier) WHERE status = 'mapped';
                CREATE INDEX mappings_review ON mappings (updated_at) WHERE status = 'review';
                CREATE TABLE mapping_jobs (
                    id UUID PRIMARY KEY,
                    supplier TEXT,
                    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
                    total INTEGER NOT NULL DEFAULT 0,
                    processed INTEGER NOT NULL DEFAULT 0,
                    mapped INTEGER NOT NULL DEFAULT 0,
                    review INTEGER NOT NULL DEFAULT 0,
                    created INTEGER NOT NULL DEFAULT 0,
                    error TEXT,
                    requested_by TEXT NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                    started_at TIMESTAMPTZ,
                    finished_at TIMESTAMPTZ
                );
                CREATE INDEX mapping_jobs_queued ON mapping_jobs (created_at) WHERE status = 'queued';
                CREATE TABLE supplier_scores (
                    supplier TEXT PRIMARY KEY,
                    calls BIGINT NOT NULL DEFAULT 0,
                    failures BIGINT NOT NULL DEFAULT 0,
                    availability_calls BIGINT NOT NULL DEFAULT 0,
                    availability_failures BIGINT NOT NULL DEFAULT 0,
                    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
                );
                """,
            down: "DROP TABLE supplier_scores, mapping_jobs, mappings, supplier_hotels, master_hotels;"),
        Migration(
            id: "002", name: "supplier_scores_by_outcome",
            up: """
                -- Availability is whether searches find rooms; rating is whether bookings are confirmed.
                ALTER TABLE supplier_scores DROP COLUMN availability_calls, DROP COLUMN availability_failures,
                    ADD COLUMN searches BIGINT NOT NULL DEFAULT 0, ADD COLUMN searches_with_rooms BIGINT NOT NULL DEFAULT 0,
                    ADD COLUMN bookings BIGINT NOT NULL DEFAULT 0, ADD COLUMN bookings_confirmed BIGINT NOT NULL DEFAULT 0;
                """,
            down: """
                ALTER TABLE supplier_scores DROP COLUMN searches, DROP COLUMN searches_with_rooms, DROP COLUMN bookings, DROP COLUMN bookings_confirmed,
                    ADD COLUMN availability_calls BIGINT NOT NULL DEFAULT 0, ADD COLUMN availability_failures BIGINT NOT NULL DEFAULT 0;
                """),
        Migration(
            id: "003", name: "price_quotes",
            up: """
                -- The cheapest net price each supplier of a hotel asked for a stay, from availability answers:
                -- the price input of supplier ranking (suppliers compared on one stay, in one currency).
                CREATE TABLE price_quotes (
                    master_hotel_id BIGINT NOT NULL REFERENCES master_hotels (id) ON DELETE CASCADE,
                    stay TEXT NOT NULL,
                    currency CHAR(3) NOT NULL,
                    supplier TEXT NOT NULL,
                    net NUMERIC(18, 4) NOT NULL CHECK (net >= 0),
                    quoted_at TIMESTAMPTZ NOT NULL,
                    PRIMARY KEY (master_hotel_id, stay, currency, supplier)
                );
                CREATE INDEX price_quotes_age ON price_quotes (quoted_at);
                """,
            down: "DROP TABLE price_quotes;"),
        Migration(
            id: "004", name: "geo_index_with_fixed_search_path",
            up: """
                -- earthdistance's functions name its types without a schema, and autovacuum and ANALYZE
                -- evaluate index expressions with only pg_catalog on the search path ("type earth does
                -- not exist"): the geo index goes through a function that sets its own search path.
                CREATE FUNCTION geo_point(latitude DOUBLE PRECISION, longitude DOUBLE PRECISION) RETURNS public.earth
                    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                    SET search_path = public, pg_catalog
                    AS 'SELECT public.ll_to_earth(latitude, longitude)';
                DROP INDEX master_hotels_geo;
                CREATE INDEX master_hotels_geo ON master_hotels USING gist (geo_point(latitude, longitude));
                """,
            down: """
                DROP INDEX master_hotels_geo;
                CREATE INDEX master_hotels_geo ON master_hotels USING gist (public.ll_to_earth(latitude, longitude));
                DROP FUNCTION geo_point(DOUBLE PRECISION, DOUBLE PRECISION);
                """),
    ]
}
