-- Run once by a superuser on hotel_db (scripts/lib/infra.sh locally; /docker-entrypoint-initdb.d in
-- compose; the DBA in production): extensions the services' own role may not create.
SET client_min_messages = warning;
-- matching: trigram name search and geo search by radius.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS cube WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS earthdistance WITH SCHEMA public;
