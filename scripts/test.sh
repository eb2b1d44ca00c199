#!/usr/bin/env bash
# Runs every test against real PostgreSQL, Redis, RabbitMQ and ClickHouse started just for this run,
# on their own ports and data under .run/test/, so a running dev stack is not disturbed.
# Installs what is missing first (Debian packages). Extra arguments go to `swift test` (e.g. --filter).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/test-env.sh
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
if [ $# -gt 0 ]; then
    swift test --skip-build "$@"
else
    # Fault suites stop and restart the shared servers: run them after the rest, alone.
    swift test --skip-build --skip FaultTests
    swift test --skip-build --filter FaultTests --no-parallel
fi
