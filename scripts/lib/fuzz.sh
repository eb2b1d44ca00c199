# Fuzzing the public API with Schemathesis against the gateway's OpenAPI document, once with an
# operator's token and once with a distributor's: every operation, its examples, the coverage
# phase's boundary and invalid values, random fuzzing, and the stateful phase following the
# document's links (search -> price check, order -> read/confirm/cancel, rule -> enable/disable,
# tenant -> keys). A failure is a server error (other than one the operation declares), an
# undocumented status or content type, or a body that breaks the document's schema. One worker: with several, Python 3.11's ast (which Hypothesis
# uses to describe its filters) fails across threads ("AST constructor recursion depth mismatch").
#   fuzz_api GATEWAY CREDENTIALS_JSON MAX_EXAMPLES LOG_DIR [SEED]
# Needs python3-venv; Schemathesis lives in .run/venv-fuzz, kept between runs.

SCHEMATHESIS_VERSION=4.32.5

fuzz_api() {
    local gateway=$1 credentials=$2 examples=$3 logs=$4 seed=${5:-1} venv=.run/venv-fuzz who token failed=()
    if [ ! -x "$venv/bin/st" ] || ! "$venv/bin/st" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
        rm -rf "$venv"
        python3 -m venv "$venv" && "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION" || die "fuzz: installing schemathesis failed"
    fi
    mkdir -p "$logs"
    # A 5xx the document declares for an operation (502 when a supplier cannot be reached, 503 when
    # a dependency is down) is its answer, not a crash: allowed there, and only there. The fuzzer's
    # own examples point a supplier at api.supplier.example, whose statement then cannot be fetched.
    python3 - >"$logs/schemathesis.toml" <<'PY'
import json
document = json.load(open("Services/Gateway/Resources/openapi.json"))
for path, operations in document["paths"].items():
    for method, operation in operations.items():
        declared = sorted(code for code in (operation.get("responses", {}) if isinstance(operation, dict) else {}) if code.startswith("5"))
        if declared:
            print(f'[[operations]]\ninclude-name = "{method.upper()} {path}"')
            print(f'checks.not_a_server_error.expected-statuses = {json.dumps(["2xx", "3xx", "4xx"] + declared)}\n')
PY
    for who in operator distributor; do
        token=$(python3 - "$gateway" "$credentials" "$who" <<'PY'
import json, sys
sys.path.insert(0, "scripts/lib")
from platform_api import call
gateway, credentials, who = sys.argv[1:]
c = json.load(open(credentials))
key = c["admin"] if who == "operator" else c["distributors"][0]
status, answer = call(gateway, "POST", "/api/v1/auth/token", {"api_key": key["api_key"], "api_secret": key["api_secret"]})
print(answer["access_token"] if status == 200 else "")
PY
)
        [ -n "$token" ] || die "fuzz: the $who cannot sign in"
        if "$venv/bin/st" --config-file "$logs/schemathesis.toml" run Services/Gateway/Resources/openapi.json --url "$gateway" -H "Authorization: Bearer $token" \
            --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
            --max-examples "$examples" --seed "$seed" -w 1 --no-color >"$logs/fuzz-$who.log" 2>&1; then
            say "fuzz ($who): $(grep -E '[0-9]+ generated' "$logs/fuzz-$who.log" | tr -s ' ' | sed 's/^ //')"
        else
            failed+=("$who")
            grep -E '^_+ |Received:|Documented:|^  (❌|🚫)' "$logs/fuzz-$who.log" | cut -c1-200 >&2 || true
        fi
    done
    [ ${#failed[@]} -eq 0 ] || die "fuzz: failures with the ${failed[*]} token (see $logs/fuzz-*.log)"
}
