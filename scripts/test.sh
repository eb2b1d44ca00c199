#!/usr/bin/env bash
# Runs every test against real PostgreSQL, Redis, RabbitMQ and ClickHouse started just for this run,
# on their own ports and data under .run/test/, so a running dev stack is not disturbed.
# Installs what is missing first (Debian packages). Extra arguments go to `swift test` (e.g. --filter).
set -euo pipefail
cd "$(dirname "$0")/.."

RUN_DIR=$PWD/.run/test
PG_PORT=55432 REDIS_PORT=56379 RABBIT_PORT=55672 RABBIT_DIST_PORT=55673 RABBIT_NODE=hotel-test@localhost CLICKHOUSE_PORT=58123
PG_FSYNC=off
source scripts/lib/infra.sh

started=$SECONDS
install_packages
stop_infrastructure
rm -rf "$RUN_DIR"
trap 'stop_infrastructure' EXIT
start_infrastructure
infrastructure_env
say "infrastructure up in $((SECONDS - started))s"

swift build --build-tests
swift test --skip-build "$@"
