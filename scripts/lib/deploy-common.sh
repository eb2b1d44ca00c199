# What scripts/deploy.sh and scripts/rollback.sh share.

source "$(dirname "${BASH_SOURCE[0]}")/say.sh"
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

# A release is an image tag that names one build: never `latest` (there would be nothing to go back to).
valid_tag() {
    [[ $1 =~ ^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$ ]] || die "not an image tag: $1"
    [ "$1" != latest ] || die "deploy a release tag (v1.4.2, a commit), not latest: there would be nothing to roll back to"
}

# compose_environment ENV: the env file, the tag history, the settings compose reads.
compose_environment() {
    ENVIRONMENT=$1
    [ -f "compose/compose.$ENVIRONMENT.yml" ] || die "no compose/compose.$ENVIRONMENT.yml: environments are dev, staging, production"
    ENV_FILE=compose/.env.$ENVIRONMENT
    [ -f "$ENV_FILE" ] || die "no $ENV_FILE: copy compose/.env.example and fill it in"
    HISTORY=compose/.deploy/$ENVIRONMENT.tags
    mkdir -p compose/.deploy
    touch "$HISTORY"
    export CONFIG_ENV=$ENVIRONMENT
    # Alertmanager reads the operators' webhook URL from a file (it is a secret, not config).
    ( umask 077; env_value ALERT_WEBHOOK_URL >compose/alertmanager/webhook-url )
    if docker compose version >/dev/null 2>&1; then COMPOSE=(docker compose); else COMPOSE=(docker-compose); fi
}

# env_value NAME: NAME's value in the environment's env file.
env_value() { grep -E "^$1=" "$ENV_FILE" | tail -1 | cut -d= -f2- || true; }

compose() {
    IMAGE_TAG=$tag "${COMPOSE[@]}" --project-name "hotel-$ENVIRONMENT" --env-file "$ENV_FILE" \
        -f compose/compose.base.yml -f "compose/compose.$ENVIRONMENT.yml" "$@"
}

# health TAG: the gateway's health, and with the env file's operator key every service on TAG
# (waiting up to HEALTH_TIMEOUT seconds, 300).
health() {
    local port=8080
    [ "$ENVIRONMENT" = production ] && port=$(env_value HTTP_PORT)
    ADMIN_API_KEY=$(env_value ADMIN_API_KEY) ADMIN_API_SECRET=$(env_value ADMIN_API_SECRET) \
        scripts/health-check.sh "http://127.0.0.1:${port:-8080}" --version "$1" --timeout "${HEALTH_TIMEOUT:-300}"
}

last_good() { tail -1 "$HISTORY"; }
