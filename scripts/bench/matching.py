#!/usr/bin/env python3
"""Maps every simulated supplier record from scratch and measures it (called by matching.sh).

Usage: matching.py ADAPTER_URL MATCHING_URL SIMULATOR_URL OUT_DIR (GATEWAY_IDENTITY_SECRET from the environment).
Prints the run's time, rate, decisions, and precision / recall against the simulator's ground truth;
writes lookup URLs for the latency part to OUT_DIR/lookups.txt.
"""
import itertools
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from platform_api import call, operator_headers, simulated_suppliers, wait_for_job  # noqa: E402


def seconds(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def main():
    adapter, matching, simulator, out = sys.argv[1:5]
    secret = os.environ["GATEWAY_IDENTITY_SECRET"]
    for supplier in simulated_suppliers(simulator):
        path = "/api/v1/admin/suppliers"
        status, answer = call(adapter, "POST", path, supplier, operator_headers(secret, "POST", path))
        if status not in (201, 409):
            sys.exit(f"registering {supplier['code']}: {status} {answer}")

    path = "/api/v1/admin/mappings/jobs"
    started = time.time()
    status, job = call(matching, "POST", path, {}, operator_headers(secret, "POST", path))
    if status != 202:
        sys.exit(f"queueing the job: {status} {job}")
    job_path = f"{path}/{job['id']}"
    job = wait_for_job(lambda: call(matching, "GET", job_path, headers=operator_headers(secret, "GET", job_path))[1])
    wall = time.time() - started
    if job["status"] != "succeeded":
        sys.exit(f"mapping failed: {job.get('error')}")
    run = seconds(job["finished_at"]) - seconds(job["started_at"])

    _, truth = call(simulator, "GET", "/admin/ground-truth")
    def mapping(row):
        return row, call(matching, "GET", f"/supplier-hotels/{row['supplier']}/{row['hotel_code']}")[1]
    with ThreadPoolExecutor(8) as pool:
        mappings = list(pool.map(mapping, truth))
    assigned = {(r["supplier"], r["hotel_code"]): m["master_hotel_id"] for r, m in mappings if m and m.get("status") == "mapped"}
    in_review = sum(1 for _, m in mappings if m and m.get("status") == "review")
    real = {(r["supplier"], r["hotel_code"]): r["hotel_id"] for r in truth}

    def pairs(groups):
        out = set()
        for members in groups.values():
            out.update(itertools.combinations(sorted(members), 2))
        return out
    by_master, by_hotel = {}, {}
    for record, master in assigned.items():
        by_master.setdefault(master, []).append(record)
    for record, hotel in real.items():
        by_hotel.setdefault(hotel, []).append(record)
    predicted, actual = pairs(by_master), pairs(by_hotel)
    correct = len(predicted & actual)
    precision = correct / len(predicted) if predicted else 1.0
    recall = correct / len(actual) if actual else 1.0

    print(f"records           {len(truth)} ({job['total']} decided by the job)")
    print(f"mapping run       {run:.1f} s in the job ({wall:.1f} s wall, queue to done); {job['total'] / run:.0f} records/s   (target < 60 s: {'met' if run < 60 else 'NOT met'})")
    print(f"decisions         {job['mapped']} mapped, {job['created']} new master hotels, {job['review']} to review ({job['review'] / len(truth):.2%})")
    print(f"precision         {precision:.4f}  ({correct} of {len(predicted)} same-hotel pairs right)   (target >= 0.99: {'met' if precision >= 0.99 else 'NOT met'})")
    print(f"recall            {recall:.4f}  ({correct} of {len(actual)} true pairs found; records in review count as not found)   (target >= 0.97: {'met' if recall >= 0.97 else 'NOT met'})")
    print(f"in review         {in_review}")

    masters = sorted(set(assigned.values()))
    _, sample = call(matching, "GET", f"/hotels?ids={masters[0]}")
    first = sample[0]
    supplier, code = next(iter(assigned))
    with open(os.path.join(out, "lookups.txt"), "w") as urls:
        urls.write(f"city {matching}/hotels?city=Paris&country=FR\n")
        urls.write(f"radius {matching}/hotels?latitude={first['latitude']}&longitude={first['longitude']}&radius_km=2\n")
        urls.write(f"ids {matching}/hotels?ids={','.join(map(str, masters[:50]))}\n")
        urls.write(f"reverse {matching}/supplier-hotels/{supplier}/{code}\n")


if __name__ == "__main__":
    main()
