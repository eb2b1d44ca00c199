#!/usr/bin/env bash
# Puts the previous release back.
#   scripts/rollback.sh compose dev|staging|production [TAG]
#   scripts/rollback.sh helm staging|production [REVISION] [--namespace NS] [--release NAME]
# compose: redeploys TAG, by default the release deployed before the live one
#   (compose/.deploy/<env>.tags), and checks its health. The schema stays as it is: migrations only
#   add, so the previous release runs on it (docs/deployment.md).
# helm: `helm rollback` to REVISION (default: the previous one), waiting until it is ready; then,
#   with HEALTH_URL set, the health check.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/deploy-common.sh

target=${1:-} environment=${2:-}
[ -n "$environment" ] || usage
shift 2

case $target in
compose)
    compose_environment "$environment"
    tag=${1:-}
    if [ -z "$tag" ]; then
        [ "$(wc -l <"$HISTORY")" -ge 2 ] || die "no earlier release of $environment in $HISTORY: name the tag"
        tag=$(tail -2 "$HISTORY" | head -1)
        # The live release leaves the history: a second rollback goes one further back.
        drop_live=true
    else
        drop_live=false
    fi
    valid_tag "$tag"
    say "rolling $environment back to $tag"
    scripts/deploy.sh compose "$environment" "$tag" --rollback
    if $drop_live; then sed -i '$d' "$HISTORY"; elif [ "$(last_good)" != "$tag" ]; then echo "$tag" >>"$HISTORY"; fi
    ;;
helm)
    namespace=hotel-platform release=hotel revision=""
    while [ $# -gt 0 ]; do
        case $1 in
            --namespace) namespace=$2; shift 2 ;;
            --release) release=$2; shift 2 ;;
            [0-9]*) revision=$1; shift ;;
            *) usage ;;
        esac
    done
    say "rolling Helm release $release ($namespace) back to ${revision:-its previous revision}"
    helm rollback "$release" $revision --namespace "$namespace" --wait --timeout 15m
    if [ -n "${HEALTH_URL:-}" ]; then scripts/health-check.sh "$HEALTH_URL" --timeout 300; fi
    ;;
*) usage ;;
esac
