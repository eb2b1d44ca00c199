#!/usr/bin/env python3
"""Registers the simulator's suppliers in supplier-adapter through the gateway (once; already
registered ones are left alone) and maps their hotels (matching does only what is new).

Usage: demo-suppliers.py GATEWAY_URL SIMULATOR_URL (ADMIN_API_KEY and ADMIN_API_SECRET from the environment).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from platform_api import admin_token, call, simulated_suppliers, wait_for_job  # noqa: E402


def main():
    gateway, simulator = sys.argv[1], sys.argv[2]
    auth = {"Authorization": "Bearer " + admin_token(gateway, os.environ["ADMIN_API_KEY"], os.environ["ADMIN_API_SECRET"])}
    for supplier in simulated_suppliers(simulator):
        status, answer = call(gateway, "POST", "/api/v1/admin/suppliers", supplier, auth)
        if status not in (201, 409):
            sys.exit(f"registering {supplier['code']}: {status} {answer}")
    status, job = call(gateway, "POST", "/api/v1/admin/mappings/jobs", {}, auth)
    if status != 202:
        sys.exit(f"queueing the mapping job: {status} {job}")
    done = wait_for_job(lambda: call(gateway, "GET", f"/api/v1/admin/mappings/jobs/{job['id']}", headers=auth)[1])
    if done["status"] != "succeeded":
        sys.exit(f"mapping failed: {done.get('error')}")
    print(f"suppliers registered; mapping: {done['processed']} records decided ({done['mapped']} mapped, {done['created']} new hotels, {done['review']} to review)")


if __name__ == "__main__":
    main()
