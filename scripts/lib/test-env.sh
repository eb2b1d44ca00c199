# Ports and data directory of the servers scripts/test.sh runs (apart from a dev stack's).
RUN_DIR=$PWD/.run/test
PG_PORT=55432 REDIS_PORT=56379 RABBIT_PORT=55672 RABBIT_DIST_PORT=55673 RABBIT_NODE=hotel-test@localhost CLICKHOUSE_PORT=58123
PG_FSYNC=off
