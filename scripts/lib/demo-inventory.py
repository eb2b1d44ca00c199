#!/usr/bin/env python3
"""Direct contracts for the demo: the simulator's channel manager (three hotels of its world) gets
its webhook secret at the gateway and flag supplier.realtime.sync for its channel (only when the flag
is off for everyone), each of its hotels a contract in inventory on the master hotel matching made of
it (with its room types and rate plans), and one round of 30 nights pushed now. Safe to run again.

Usage: demo-inventory.py GATEWAY_URL SIMULATOR_URL (ADMIN_API_KEY and ADMIN_API_SECRET from the environment).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from platform_api import admin_token, call  # noqa: E402

FLAG = "/api/v1/admin/flags/supplier.realtime.sync"


def expect(status, answer, allowed, what):
    if status not in allowed:
        sys.exit(f"{what}: {status} {answer}")


def realtime_for(gateway, auth, channel):
    status, flag = call(gateway, "GET", FLAG, headers=auth)
    expect(status, flag, (200,), "reading flag supplier.realtime.sync")
    whitelist = sorted(set(flag.get("whitelist") or []) | {channel})
    if flag["enabled"] and flag.get("rollout_pct", 0) > 0:
        return  # an operator turned it on for everyone: leave it
    status, answer = call(gateway, "PATCH", FLAG, {"enabled": True, "rollout_pct": 0, "whitelist": whitelist}, auth)
    expect(status, answer, (200,), "turning supplier.realtime.sync on for the channel")


def contract(gateway, auth, channel, hotel, currency):
    status, mapping = call(gateway, "GET", f"/api/v1/admin/mappings/{hotel['supplier']}/{hotel['supplier_hotel_code']}", headers=auth)
    expect(status, mapping, (200,), f"finding the master hotel of {hotel['code']}")
    master = mapping.get("master_hotel_id")
    if not master:
        print(f"{hotel['code']}: not mapped yet; no contract")
        return None
    base = f"/api/v1/admin/inventory/hotels/{master}"
    status, answer = call(gateway, "POST", "/api/v1/admin/inventory/hotels", {
        "hotel_id": master, "name": hotel["name"], "currency": currency, "channel": channel, "channel_hotel_code": hotel["code"]}, auth)
    expect(status, answer, (201, 409), f"contracting {hotel['code']}")
    for room in hotel["room_types"]:
        status, answer = call(gateway, "PUT", f"{base}/room-types/{room['code']}", {"name": room["name"], "max_occupancy": int(room["max_occupancy"])}, auth)
        expect(status, answer, (200,), f"room type {room['code']} of {hotel['code']}")
    for plan in hotel["rate_plans"]:
        refundable = plan["refundable"] == "true"
        body = {"name": plan["name"], "board": plan["board"], "refundable": refundable,
                "cancellation": [{"days_before": 2, "percent": "100"}] if refundable else []}
        status, answer = call(gateway, "PUT", f"{base}/rate-plans/{plan['code']}", body, auth)
        expect(status, answer, (200,), f"rate plan {plan['code']} of {hotel['code']}")
    return master


def main():
    gateway, simulator = sys.argv[1], sys.argv[2]
    auth = {"Authorization": "Bearer " + admin_token(gateway, os.environ["ADMIN_API_KEY"], os.environ["ADMIN_API_SECRET"])}
    status, info = call(simulator, "GET", "/admin/channel-manager")
    expect(status, info, (200,), "reading the simulator's channel manager")
    channel = info["code"]
    status, answer = call(gateway, "PUT", f"/api/v1/admin/supplier-webhooks/{channel}", {"secret": info["secret"]}, auth)
    expect(status, answer, (204,), "registering the channel's webhook secret")
    realtime_for(gateway, auth, channel)
    masters = [m for m in (contract(gateway, auth, channel, hotel, info["currency"]) for hotel in info["hotels"]) if m]
    status, round_ = call(simulator, "POST", "/admin/channel-manager/push", {"url": gateway + f"/api/v1/webhooks/channels/{channel}", "days": 30})
    expect(status, round_, (200,), "pushing the channel manager's first round")
    accepted = sum(1 for sent in round_["sent"] if sent["success"])
    print(f"direct contracts: master hotels {masters} through channel {channel}; {accepted} of {len(round_['sent'])} messages applied")


if __name__ == "__main__":
    main()
