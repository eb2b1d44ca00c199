#!/usr/bin/env bash
# Runs every test against real PostgreSQL, Redis, RabbitMQ and ClickHouse started just for this run,
# on their own ports and data under .run/test/, so a running dev stack is not disturbed.
# Installs what is missing first (Debian packages). Extra arguments go to `swift test` (e.g. --filter).
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/test-env.sh
source scripts/lib/infra.sh

# The static checks run in virtualenvs kept between runs: openapi-spec-validator, helm-python-sdk
# (Helm's own library: render, lint), kubernetes-validate, Selenium and marionette-driver (the console
# test, in Chromium and Firefox) in one;
# docker-compose 1.29 in another (its PyYAML 5 only builds with Cython < 3). promtool and amtool
# are Debian's.
PACKAGES+=(python3-venv prometheus prometheus-alertmanager)
python_tools() {
    local venv=.run/venv compose=.run/venv-compose
    if [ ! -x "$venv/bin/kubernetes-validate" ] || [ ! -d "$venv/lib/python3"*/site-packages/marionette_driver ]; then
        rm -rf "$venv"
        python3 -m venv "$venv" && "$venv/bin/pip" install -q openapi-spec-validator==0.9.0 helm-python-sdk==0.2.2 kubernetes-validate==1.37.0 selenium==4.51.0 \
            marionette-driver==3.7.1
    fi
    if [ ! -x "$compose/bin/docker-compose" ]; then
        rm -rf "$compose"
        python3 -m venv "$compose" && "$compose/bin/pip" install -q "cython<3" wheel \
            && "$compose/bin/pip" install -q --no-build-isolation pyyaml==5.4.1 && "$compose/bin/pip" install -q docker-compose==1.29.2
    fi
}

# The API description, the generated monitoring files, compose, the chart, the alert rules.
static_checks() {
    python_tools
    .run/venv/bin/python scripts/lib/openapi.py check
    python3 scripts/lib/monitoring.py check
    .run/venv/bin/python scripts/lib/deploy_check.py .run/venv-compose/bin/docker-compose
    deploy_test
}

source scripts/lib/backup-common.sh
source scripts/lib/backup-test.sh
source scripts/lib/deploy-test.sh
source scripts/lib/services.sh
source scripts/lib/console-test.sh
source scripts/lib/fuzz.sh

started=$SECONDS
install_packages
static_checks
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
    # scripts/backup.sh and scripts/restore.sh, on what the suites left in the databases.
    backup_test
    # The operator console in Chromium and Firefox, against the whole platform.
    console_test
fi
