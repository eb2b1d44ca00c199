#!/usr/bin/env python3
"""How fast scripts/chaos.sh's faults healed (its invariants: scripts/lib/invariants.py).

  chaos.py DIR
      From DIR/faults.txt (fault, broken, returned, green, slot end: Unix ms) and the load's
      DIR/timeline-*.txt (every call: sent at, operation, status), per fault: the calls that failed,
      and the seconds from the component's return until every /ready was green and until the load's
      last failure. A markdown table; exit 1 when a recovery took longer than 10 s.

A call failed when it got no answer, a 5xx, or 401/403/429 (the platform refusing a caller it
should serve). Other 4xx are answers: a room sold out or repriced between the search and the
booking (409) is the business, not a fault.
"""
import collections
import glob
import sys

TARGET_SECONDS = 10


def is_failure(status):
    return status == 0 or status >= 500 or status in (401, 403, 429)


def recovery(directory):
    calls = []
    for name in glob.glob(f"{directory}/timeline-*.txt"):
        for line in open(name):
            sent, operation, status = line.split()
            calls.append((int(sent), operation, int(status)))
    calls.sort()
    rows, late = [], []
    for line in open(f"{directory}/faults.txt"):
        fault, broken, returned, green, slot_end = line.split()
        broken, returned, slot_end = int(broken), int(returned), int(slot_end)
        mine = [c for c in calls if broken <= c[0] < slot_end]
        errors = [c for c in mine if is_failure(c[2])]
        by = collections.Counter(f"{operation} {status or 'none'}" for _, operation, status in errors)
        ready = (int(green) - returned) / 1000 if green != "-" else None
        quiet = max(0, (errors[-1][0] - returned) / 1000) if errors else 0.0
        rows.append((fault, (returned - broken) / 1000, ready, quiet, len(mine), len(errors), by))
        if ready is None or ready > TARGET_SECONDS or quiet > TARGET_SECONDS:
            late.append(fault)
    print("| fault | down (s) | /ready green after return (s) | last error after return (s) | calls | failed | which |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for fault, down, ready, quiet, count, failed, by in rows:
        which = ", ".join(f"{k}: {v}" for k, v in sorted(by.items(), key=lambda kv: -kv[1])[:6])
        print(f"| {fault} | {down:.1f} | {'never' if ready is None else f'{ready:.1f}'} | {quiet:.1f} | {count} | {failed} | {which} |")
    baseline = [c for c in calls if c[0] < min(int(line.split()[1]) for line in open(f"{directory}/faults.txt"))]
    print(f"\nbefore the first fault: {len(baseline)} calls, {sum(1 for c in baseline if is_failure(c[2]))} failed, {sum(1 for c in baseline if not 200 <= c[2] < 300)} not 2xx")
    if late:
        print(f"recovery over {TARGET_SECONDS} s: {', '.join(late)}")
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(recovery(sys.argv[1]))
