# The deploy test (scripts/test.sh runs it): scripts/deploy.sh, rollback.sh and health-check.sh run
# for real on a copy of compose/ and scripts/, against a stand-in for Docker (there is no engine
# here: it records what it is asked and which tag is "up") and a stand-in gateway whose operator
# health report shows the tag that is up, red when that tag is marked broken.

deploy_test() {
    local dir=$RUN_DIR/deploy-test port
    rm -rf "$dir"; mkdir -p "$dir/bin" "$dir/state"
    cp -r scripts compose "$dir/"
    cat >"$dir/bin/docker" <<'SH'
#!/usr/bin/env bash
echo "$*" >>"$FAKE_STATE/calls"
if [[ " $* " == *" up "* ]]; then echo "$IMAGE_TAG" >"$FAKE_STATE/live"; fi
exit 0
SH
    chmod +x "$dir/bin/docker"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    FAKE_STATE=$dir/state python3 - "$port" >"$dir/gateway.log" 2>&1 <<'PY' &
import http.server, json, os, pathlib, sys
state = pathlib.Path(os.environ["FAKE_STATE"])
class Gateway(http.server.BaseHTTPRequestHandler):
    def answer(self, body):
        data = json.dumps(body).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json"); self.send_header("Content-Length", str(len(data)))
        self.end_headers(); self.wfile.write(data)
    def do_GET(self):
        live = (state / "live").read_text().strip() if (state / "live").exists() else ""
        broken = (state / "broken").read_text().split() if (state / "broken").exists() else []
        if self.path in ("/health", "/ready"):
            return self.answer({"status": "ok"})
        if self.path == "/api/v1/admin/health" and self.headers.get("Authorization") == "Bearer op-token":
            names = ["gateway", "query-engine", "order", "supplier-adapter", "matching", "pricing", "settlement", "inventory", "risk", "bi"]
            status = "red" if live in broken else "green"
            return self.answer({"status": status, "services": [{"name": n, "status": status, "version": live} for n in names], "dependencies": []})
        self.send_response(404); self.end_headers()
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if body == {"api_key": "hk_admin_deploytest", "api_secret": "s" * 64}:
            return self.answer({"access_token": "op-token"})
        self.send_response(401); self.end_headers()
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Gateway).serve_forever()
PY
    local gateway=$!
    sed -e "s/^ADMIN_API_KEY=.*/ADMIN_API_KEY=hk_admin_deploytest/" -e "s/^ADMIN_API_SECRET=.*/ADMIN_API_SECRET=$(printf 's%.0s' {1..64})/" \
        -e "s/^HTTP_PORT=.*/HTTP_PORT=$port/" -e "s|^ALERT_WEBHOOK_URL=.*|ALERT_WEBHOOK_URL=https://chat.example/hook/1|" \
        compose/.env.example >"$dir/compose/.env.production"
    run() { ( cd "$dir" && PATH=$dir/bin:$PATH FAKE_STATE=$dir/state HEALTH_TIMEOUT=6 "$@" ) >>"$dir/out.log" 2>&1; }
    history() { tr '\n' ' ' <"$dir/compose/.deploy/production.tags" | sed 's/ $//'; }
    live() { cat "$dir/state/live"; }
    check() { "$@" || { kill "$gateway"; die "deploy test: $(caller | cut -d' ' -f1): $*; output: $(tail -20 "$dir/out.log")"; }; }

    say "deploy test: v1, v2, a broken v3, a rollback"
    check run scripts/deploy.sh compose production v1
    check [ "$(live)" = v1 ]
    check grep -q -- "--project-name hotel-production --env-file compose/.env.production -f compose/compose.base.yml -f compose/compose.production.yml pull" "$dir/state/calls"
    check grep -q -- "up -d --remove-orphans" "$dir/state/calls"
    check [ "$(cat "$dir/compose/alertmanager/webhook-url")" = https://chat.example/hook/1 ]
    check run scripts/deploy.sh compose production v2
    check [ "$(history)" = "v1 v2" ]
    echo v3 >"$dir/state/broken"
    if run scripts/deploy.sh compose production v3; then check false "a release that never became healthy was reported deployed"; fi
    check grep -q "v3 is not healthy: putting v2 back" "$dir/out.log"
    check [ "$(live)" = v2 ] && check [ "$(history)" = "v1 v2" ]
    check run scripts/rollback.sh compose production
    check [ "$(live)" = v1 ] && check [ "$(history)" = v1 ]
    if run scripts/rollback.sh compose production; then check false "a rollback with no earlier release"; fi
    if run scripts/deploy.sh compose production latest; then check false "latest was deployed"; fi
    check grep -q "not latest: there would be nothing to roll back to" "$dir/out.log"
    if run scripts/deploy.sh compose nowhere v1; then check false "an unknown environment was deployed"; fi
    # A wrong operator key: the health check says so instead of passing.
    sed -i "s/^ADMIN_API_KEY=.*/ADMIN_API_KEY=hk_admin_wrongkey/" "$dir/compose/.env.production"
    if run scripts/deploy.sh compose production v4; then check false "deployed with an operator key the gateway refuses"; fi
    check grep -q "operator key was not accepted" "$dir/out.log"
    kill "$gateway"
    say "deploy test: passed"
}
