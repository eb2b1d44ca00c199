#!/usr/bin/env bash
# Deploys a release (an image tag: v1.4.2, or the commit CI built) and checks it is healthy.
#   scripts/deploy.sh compose dev|staging|production TAG [--build]
#   scripts/deploy.sh helm staging|production TAG [--namespace NS] [--release NAME]
# compose: reads compose/.env.<environment> (copied from compose/.env.example), pulls the image (or
#   builds it with --build), runs the one-shot migrations, then the services; waits for
#   scripts/health-check.sh (every service on TAG when the env file has an operator key); on failure
#   puts the previous release back (scripts/rollback.sh). Deployed tags: compose/.deploy/<env>.tags.
# helm: `helm upgrade --install --atomic` with values-<environment>.yaml and image.tag=TAG: the
#   chart's Job migrates first; a release that does not become ready is rolled back by Helm. Then,
#   with HEALTH_URL set, the same health check.
# Migrations only ever add (expand, then contract a release later): the previous release runs on the
# new schema, which is what makes a rollback safe.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deploy-common.sh

target=${1:-} environment=${2:-} tag=${3:-}
[ -n "$tag" ] || usage
shift 3
valid_tag "$tag"

case $target in
compose)
    build=false record=true
    for argument in "$@"; do
        case $argument in
            --build) build=true ;;
            --rollback) record=rollback ;;
            *) usage ;;
        esac
    done
    compose_environment "$environment"
    say "deploying $tag to $environment (compose)"
    if $build; then compose build; else compose pull --quiet; fi
    compose up -d --remove-orphans
    if health "$tag"; then
        [ "$record" = true ] && echo "$tag" >>"$HISTORY"
        say "$tag is live in $environment"
        exit 0
    fi
    previous=$(last_good)
    if [ "$record" = true ] && [ -n "$previous" ] && [ "$previous" != "$tag" ]; then
        say "$tag is not healthy: putting $previous back"
        scripts/rollback.sh compose "$environment" "$previous" || true
    fi
    die "$tag did not become healthy in $environment"
    ;;
helm)
    namespace=hotel-platform release=hotel
    while [ $# -gt 0 ]; do
        case $1 in
            --namespace) namespace=$2; shift 2 ;;
            --release) release=$2; shift 2 ;;
            *) usage ;;
        esac
    done
    values=helm/hotel-platform/values-$environment.yaml
    [ -f "$values" ] || die "no $values: environments are $(ls helm/hotel-platform/values-*.yaml | sed 's/.*values-//; s/.yaml//' | tr '\n' ' ')"
    say "deploying $tag to $environment (Helm release $release in $namespace)"
    helm upgrade --install "$release" helm/hotel-platform --namespace "$namespace" --create-namespace \
        -f "$values" --set "image.tag=$tag" --atomic --wait --timeout 15m
    if [ -n "${HEALTH_URL:-}" ]; then
        scripts/health-check.sh "$HEALTH_URL" --version "$tag" --timeout 300 || die "$tag is deployed but not healthy: scripts/rollback.sh helm $environment"
    fi
    say "$tag is live in $environment"
    ;;
*) usage ;;
esac
