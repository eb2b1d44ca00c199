#!/usr/bin/env python3
"""Creates the demo distributors through the gateway's public API and writes their credentials.

Usage: demo-credentials.py GATEWAY_URL OUTPUT_FILE (ADMIN_API_KEY and ADMIN_API_SECRET from the environment).
Writes {"admin": {...}, "distributors": [{"tenant_id", "api_key", "api_secret"}, ...]}.
Each distributor gets a prepaid credit account (CNY 1,000,000) to book with.
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request

DISTRIBUTORS = ["Demo Travel Shanghai", "Demo OTA Beijing"]


def call(base, method, path, body=None, token=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def open_credit(base, token, tenant):
    """A prepaid account in CNY, topped up once (an account already open is left as it is)."""
    try:
        call(base, "POST", "/api/v1/admin/credit/accounts", {"tenant_id": tenant, "kind": "prepaid", "currency": "CNY"}, token)
    except urllib.error.HTTPError as error:
        if error.code == 409:
            return
        raise
    call(base, "POST", f"/api/v1/admin/credit/accounts/{tenant}/top-ups", {"amount": {"amount": "1000000.00", "currency": "CNY"}, "note": "demo"}, token)


def main():
    base, output = sys.argv[1], sys.argv[2]
    admin = {"api_key": os.environ["ADMIN_API_KEY"], "api_secret": os.environ["ADMIN_API_SECRET"]}
    token = None
    for _ in range(40):  # the gateway creates the operator account just after it starts
        try:
            token = call(base, "POST", "/api/v1/auth/token", admin)["access_token"]
            break
        except urllib.error.HTTPError as error:
            if error.code != 401:
                raise
            time.sleep(0.25)
    if token is None:
        sys.exit("the operator account from .run/secrets.env cannot sign in")
    existing = {t["name"]: t for t in call(base, "GET", "/api/v1/admin/tenants", token=token)["tenants"]}
    distributors = []
    for name in DISTRIBUTORS:
        tenant = existing.get(name) or call(base, "POST", "/api/v1/admin/tenants", {"name": name, "contact_email": "ops@example.com"}, token)
        key = call(base, "POST", f"/api/v1/admin/tenants/{tenant['id']}/keys", {"label": "demo"}, token)
        distributors.append({"tenant_id": tenant["id"], "name": name, "api_key": key["api_key"], "api_secret": key["api_secret"]})
        open_credit(base, token, tenant["id"])
    old_umask = os.umask(0o077)
    with open(output, "w") as file:
        json.dump({"admin": admin, "distributors": distributors}, file, indent=2)
    os.umask(old_umask)


if __name__ == "__main__":
    main()
