#!/usr/bin/env bash
# Runs every test against real PostgreSQL, Redis, RabbitMQ and ClickHouse started just for this run,
# on their own ports and data under .run/test/, so a running dev stack is not disturbed.
# Installs what is missing first (Debian packages). Extra arguments go to `swift test` (e.g. --filter).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/test-env.sh
source scripts/lib/infra.sh

# The OpenAPI check runs in a virtualenv with openapi-spec-validator from PyPI (kept between runs).
PACKAGES+=(python3-venv)
check_openapi() {
    local venv=.run/venv
    if [ ! -x "$venv/bin/openapi-spec-validator" ]; then
        python3 -m venv "$venv" && "$venv/bin/pip" install -q openapi-spec-validator==0.9.0
    fi
    "$venv/bin/python" scripts/lib/openapi.py check
}

started=$SECONDS
install_packages
check_openapi
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
