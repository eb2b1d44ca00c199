#!/usr/bin/env python3
"""CPU time per platform process group, read from /proc (what pidstat reads), for the benchmarks:

  cpu_account.py snapshot RUN_DIR          prints {group: CPU seconds so far} as JSON
  cpu_account.py diff BEFORE AFTER         prints {group: CPU seconds between} as JSON

Groups: each service by its pid file ($RUN_DIR/pids/NAME.pid), and the servers by process name,
summed over all their processes (PostgreSQL's backends, RabbitMQ's Erlang VM, ...), and the load
generator (hotel-bench)."""
import json
import os
import pathlib
import sys

TICKS = os.sysconf("SC_CLK_TCK")
SERVERS = {"postgres": "postgresql", "redis-server": "redis", "beam.smp": "rabbitmq", "clickhouse": "clickhouse",
           "clickhouse-serv": "clickhouse", "hotel-bench": "load-generator"}


def stat(pid):
    """(command name, CPU seconds of user + system) of a process, None when it is gone."""
    try:
        text = pathlib.Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = text[text.index("(") + 1:text.rindex(")")]
    fields = text[text.rindex(")") + 2:].split()
    return name, (int(fields[11]) + int(fields[12])) / TICKS


def snapshot(run_dir):
    groups, services = {}, {}
    for pidfile in pathlib.Path(run_dir, "pids").glob("*.pid"):
        try:
            services[int(pidfile.read_text().split()[0])] = pidfile.stem
        except (OSError, ValueError, IndexError):
            pass
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        found = stat(entry.name)
        if found is None:
            continue
        name, seconds = found
        group = services.get(int(entry.name)) or next((g for prefix, g in SERVERS.items() if name.startswith(prefix)), None)
        if group:
            groups[group] = groups.get(group, 0) + seconds
    return groups


def main(argv):
    if len(argv) == 3 and argv[1] == "snapshot":
        print(json.dumps(snapshot(argv[2])))
    elif len(argv) == 4 and argv[1] == "diff":
        before, after = json.loads(pathlib.Path(argv[2]).read_text()), json.loads(pathlib.Path(argv[3]).read_text())
        print(json.dumps({g: round(after[g] - before.get(g, 0), 3) for g in sorted(after)}))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
