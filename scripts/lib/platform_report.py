#!/usr/bin/env python3
"""The report of scripts/bench/platform.sh, from the files it leaves in its run directory:

  mixed-RATE.txt        hotel-bench mixed's lines at each offered rate
  cpu-RATE.json         CPU seconds per process group during that step (cpu_account.py diff)
  cost-search.txt / cost-booking.txt and cpu-cost-search.json / cpu-cost-booking.json
                        searches alone and bookings alone, for the cost of each

  platform_report.py RUN_DIR SECONDS_EACH [CHART.png]

Prints markdown tables (latency and errors per rate, CPU per service per rate, CPU milliseconds per
search and per booking per service and the requests a core serves) and draws p50/p99 against the
offered rate (matplotlib, Debian's python3-matplotlib) when a chart path is given."""
import json
import pathlib
import re
import sys

OPERATIONS = ["search", "price_check", "booking", "cancellation"]


def fields(line):
    return dict(re.findall(r"(\w+)=(\S+)", line))


def steps(run):
    found = []
    for path in sorted(run.glob("mixed-*.txt"), key=lambda p: int(p.stem.split("-")[1])):
        rate = int(path.stem.split("-")[1])
        lines = [fields(line) for line in path.read_text().splitlines() if line.startswith("mixed")]
        total = next(l for l in lines if "op" not in l)
        ops = {l["op"]: l for l in lines if "op" in l}
        cpu = json.loads((run / f"cpu-{rate}.json").read_text())
        found.append((rate, total, ops, cpu))
    return found


def cost(run, kind):
    """(requests, {group: CPU ms per request}) of a cost step."""
    line = fields((run / f"cost-{kind}.txt").read_text())
    requests = int(line.get("confirmed") or line.get("requests"))
    cpu = json.loads((run / f"cpu-cost-{kind}.json").read_text())
    return requests, {group: seconds * 1000 / max(requests, 1) for group, seconds in cpu.items()}


def main(argv):
    run, seconds = pathlib.Path(argv[1]), int(argv[2])
    measured = steps(run)
    print("| offered req/s | achieved | not 2xx | search p50 / p99 ms | price check p99 | booking p50 / p99 | cancellation p99 | CPU cores used |")
    print("|---|---|---|---|---|---|---|---|")
    for rate, total, ops, cpu in measured:
        services = sum(v for g, v in cpu.items() if g != "load-generator") / seconds
        o = {name: ops.get(name, {}) for name in OPERATIONS}
        print(f"| {rate} | {total['achieved']} | {total['not_2xx']} | {o['search'].get('p50_ms')} / {o['search'].get('p99_ms')} | "
              f"{o['price_check'].get('p99_ms')} | {o['booking'].get('p50_ms')} / {o['booking'].get('p99_ms')} | "
              f"{o['cancellation'].get('p99_ms')} | {services:.2f} (+{cpu.get('load-generator', 0) / seconds:.2f} load generator) |")
    groups = sorted({g for _, _, _, cpu in measured for g in cpu}, key=lambda g: -max(cpu.get(g, 0) for _, _, _, cpu in measured))
    print()
    print("CPU cores per process group at each offered rate:")
    print()
    print("| group | " + " | ".join(str(rate) for rate, *_ in measured) + " |")
    print("|---|" + "---|" * len(measured))
    for group in groups:
        print(f"| {group} | " + " | ".join(f"{cpu.get(group, 0) / seconds:.3f}" for _, _, _, cpu in measured) + " |")
    if (run / "cost-search.txt").exists() and (run / "cost-booking.txt").exists():
        searches, per_search = cost(run, "search")
        bookings, per_booking = cost(run, "booking")
        print()
        rate, total, _, cpu = measured[0]
        mixed = int(total["requests"])
        per_mixed = {group: seconds * 1000 / max(mixed, 1) for group, seconds in cpu.items()}
        print(f"Cost per request in CPU milliseconds (searches alone: {searches}; bookings alone: {bookings}, each a whole saga; "
              f"mixed: the {mixed} requests of the {rate} req/s step), and the requests one core serves (1000 / ms):")
        print()
        print("| group | ms per search | searches per core-second | ms per booking | bookings per core-second | ms per mixed request | mixed requests per core-second |")
        print("|---|---|---|---|---|---|---|")
        def per_core(ms):
            return f"{1000 / ms:.0f}" if ms > 0.005 else "-"
        for group in sorted(set(per_search) | set(per_booking) | set(per_mixed), key=lambda g: -per_mixed.get(g, 0)):
            s, b, m = per_search.get(group, 0), per_booking.get(group, 0), per_mixed.get(group, 0)
            print(f"| {group} | {s:.2f} | {per_core(s)} | {b:.2f} | {per_core(b)} | {m:.2f} | {per_core(m)} |")
    if len(argv) > 3:
        chart(measured, argv[3])
    return 0


def chart(measured, out):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    figure, axes = plt.subplots(figsize=(9, 5))
    rates = [rate for rate, *_ in measured]
    for name, colour in zip(OPERATIONS, ["tab:blue", "tab:green", "tab:red", "tab:purple"]):
        for quantile, style in (("p50_ms", ":"), ("p99_ms", "-")):
            values = [float(ops.get(name, {}).get(quantile, "nan")) for _, _, ops, _ in measured]
            axes.plot(rates, values, style, marker="o", color=colour, label=f"{name} {quantile[:3]}")
    axes.set_yscale("log")
    axes.set_xlabel("offered load, requests/s (90 % search, 7 % price check, 2 % booking, 1 % cancellation)")
    axes.set_ylabel("latency, ms (log)")
    axes.set_title("Platform latency against load (2 cores; suppliers p50 50 ms / p99 300 ms)")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8, ncol=2)
    figure.tight_layout()
    figure.savefig(out, dpi=110)
    print(f"\nchart: {out}")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
