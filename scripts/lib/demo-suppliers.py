#!/usr/bin/env python3
"""Registers the simulator's suppliers in supplier-adapter through the gateway (once; already
registered ones are left alone), sets demo exchange rates for the currencies they sell in where
pricing has none (so matching compares their prices), and maps their hotels (matching does only
what is new).

Usage: demo-suppliers.py GATEWAY_URL SIMULATOR_URL (ADMIN_API_KEY and ADMIN_API_SECRET from the environment).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from platform_api import admin_token, call, simulated_suppliers, wait_for_job  # noqa: E402


# Demo rates (units of CNY, the default base, one unit buys); an operator's own rates are kept.
DEMO_RATES = {"EUR": "7.80", "USD": "7.20"}


def set_demo_rates(gateway, auth):
    path = "/api/v1/admin/pricing/exchange-rates"
    status, current = call(gateway, "GET", path, headers=auth)
    if status != 200:
        sys.exit(f"reading exchange rates: {status} {current}")
    known = {rate["currency"] for rate in current["rates"]}
    for currency, rate in DEMO_RATES.items():
        if currency == current["base"] or currency in known:
            continue
        status, answer = call(gateway, "PUT", f"{path}/{currency}", {"rate": rate}, auth)
        if status != 200:
            sys.exit(f"setting the {currency} rate: {status} {answer}")


def main():
    gateway, simulator = sys.argv[1], sys.argv[2]
    auth = {"Authorization": "Bearer " + admin_token(gateway, os.environ["ADMIN_API_KEY"], os.environ["ADMIN_API_SECRET"])}
    for supplier in simulated_suppliers(simulator):
        status, answer = call(gateway, "POST", "/api/v1/admin/suppliers", supplier, auth)
        if status not in (201, 409):
            sys.exit(f"registering {supplier['code']}: {status} {answer}")
    set_demo_rates(gateway, auth)
    status, job = call(gateway, "POST", "/api/v1/admin/mappings/jobs", {}, auth)
    if status != 202:
        sys.exit(f"queueing the mapping job: {status} {job}")
    done = wait_for_job(lambda: call(gateway, "GET", f"/api/v1/admin/mappings/jobs/{job['id']}", headers=auth)[1])
    if done["status"] != "succeeded":
        sys.exit(f"mapping failed: {done.get('error')}")
    print(f"suppliers registered; mapping: {done['processed']} records decided ({done['mapped']} mapped, {done['created']} new hotels, {done['review']} to review)")


if __name__ == "__main__":
    main()
