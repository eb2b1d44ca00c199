"""Small helpers the scripts share to call the platform: JSON over HTTP, through the gateway with a
bearer token, or straight to a service with the identity the gateway would sign (GatewayIdentity)."""
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid

OPERATOR_TENANT = "00000000-0000-0000-0000-0000000000b0"


def call(base, method, path, body=None, headers=None, timeout=60):
    """(status, decoded JSON or None)."""
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read()
            return response.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, text.decode(errors="replace")


def operator_headers(secret, method, path):
    """The headers the gateway adds for an operator: X-Tenant-Id, X-Role, X-Request-Id, X-Gateway-Signature."""
    key = hmac.new(secret.encode(), b"hotel-platform/gateway-identity/v1", hashlib.sha256).digest()
    now, request_id = str(int(time.time())), str(uuid.uuid4())
    message = "\n".join([now, OPERATOR_TENANT, "admin", method, path.split("?")[0], request_id]).encode()
    signature = hmac.new(key, message, hashlib.sha256).hexdigest()
    return {"X-Tenant-Id": OPERATOR_TENANT, "X-Role": "admin", "X-Request-Id": request_id, "X-Gateway-Signature": f"t={now},v1={signature}"}


def admin_token(gateway, key, secret, attempts=40):
    for _ in range(attempts):  # the gateway creates the operator account just after it starts
        status, answer = call(gateway, "POST", "/api/v1/auth/token", {"api_key": key, "api_secret": secret})
        if status == 200:
            return answer["access_token"]
        time.sleep(0.25)
    raise SystemExit("the operator account cannot sign in")


def simulated_suppliers(simulator):
    """The simulator's suppliers as supplier-adapter registrations."""
    status, suppliers = call(simulator, "GET", "/admin/suppliers")
    if status != 200:
        raise SystemExit(f"supplier-sim at {simulator} answered {status}")
    return [{"code": s["code"], "name": s["name"], "protocol": s["protocol"], "base_url": simulator + s["path"],
             "credentials": {"key": s["api_key"], "secret": s["secret"]}} for s in suppliers]


def wait_for_job(get_job, limit=600):
    """Polls a mapping job until it ends; returns it."""
    deadline = time.time() + limit
    while time.time() < deadline:
        job = get_job()
        if job and job.get("status") in ("succeeded", "failed"):
            return job
        time.sleep(0.2)
    raise SystemExit("the mapping job did not finish in time")
