#!/usr/bin/env python3
"""Events from order's outbox to settlement's ledger and to bi's ClickHouse, on the running dev stack.

1. Throughput: EVENTS payment.captured rows written into orders.outbox in one statement; order's
   relay publishes them; the time until the relay has sent them all (the baseline), until the
   ledger holds their entries, and until ClickHouse holds them. Targets: ledger >= 1,000/s,
   ClickHouse >= 5,000/s.
   bi_pipeline: the same with settlement paused (the relay and bi alone on the two cores).
2. Drain: each consumer alone, on EVENTS already waiting in its queue (bi and settlement paused
   while order's relay fills them, then resumed one at a time).
3. Lag at RATE events/s for SECONDS: a batch of RATE/10 rows every 100 ms; each batch's lag is the
   time from its insert until all of it is in the ledger (resp. ClickHouse). p50/p99 printed.
4. Reports over one million orders' events: ORDERS orders (created, 90 % captured, a fifth of
   those cancelled, 10 % closed) with 2 searches and 1 supplier call per order, written straight
   into ClickHouse on days of 2021 (kept out of every real report's range, dropped afterwards);
   each report's latency through the gateway, REPEAT times (target: every report under 500 ms).
Prints one line per figure.
"""
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

DATABASE_URL = os.environ["DATABASE_URL"]
CLICKHOUSE = os.environ.get("CLICKHOUSE_HTTP", "http://127.0.0.1:8123/")
GATEWAY = os.environ["GATEWAY"]
ADMIN = os.environ["ADMIN"]
EVENTS = int(os.environ.get("EVENTS", "20000"))
RATE = int(os.environ.get("RATE", "500"))
SECONDS = int(os.environ.get("SECONDS_EACH", "20"))
ORDERS = int(os.environ.get("ORDERS", "1000000"))
REPEAT = int(os.environ.get("REPEAT", "5"))
RUN = str(int(time.time()))
RUN_DIR = os.environ.get("RUN_DIR", ".run")


def psql(sql):
    out = subprocess.run(["psql", DATABASE_URL, "-qAtX", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"psql: {out.stderr.strip()}")
    return out.stdout.strip()


def clickhouse(sql):
    request = urllib.request.Request(CLICKHOUSE + "?database=hotel_analytics", data=sql.encode(), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=600) as answer:
            return answer.read().decode().strip()
    except urllib.error.HTTPError as error:
        sys.exit(f"ClickHouse: {error.read().decode()[:500]}")


def outbox_rows(prefix, count, start=0):
    """count payment.captured envelopes into orders.outbox, order ids <prefix>-<n>, in one statement."""
    return f"""
    INSERT INTO orders.outbox (id, event_type, body)
    SELECT e.id, 'payment.captured', json_build_object(
        'id', e.id, 'type', 'payment.captured', 'occurred_at', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'producer', 'bench', 'tenant_id', 'bench-events-{RUN}', 'trace_id', NULL, 'version', 1,
        'data', json_build_object(
            'order', json_build_object('order_id', '{prefix}-' || n, 'number', 'HPB' || n, 'status', 'CONFIRMED', 'order_status', 'CONFIRMED',
                'payment_status', 'PAID', 'supplier_status', 'CONFIRMED', 'hotel_id', 1 + n % 500, 'room_name', 'Double',
                'check_in', '2027-03-01', 'check_out', '2027-03-03', 'price', json_build_object('amount', '120.50', 'currency', 'EUR')),
            'internal', json_build_object('supplier', 'bench-supplier', 'supplier_reference', 'R' || n,
                'net', json_build_object('amount', '100.00', 'currency', 'EUR'), 'charge', json_build_object('amount', '120.50', 'currency', 'EUR'),
                'cost', json_build_object('amount', '100.00', 'currency', 'EUR'), 'city', 'Paris'))
    )::text
    FROM (SELECT gen_random_uuid() AS id, n FROM generate_series({start}, {start + count - 1}) AS n) e
    """


def ledger_orders(prefix):
    return int(psql(f"SELECT count(*) / 2 FROM settlement.ledger_entries WHERE order_id LIKE '{prefix}-%'") or 0)


def clickhouse_orders(prefix):
    return int(clickhouse(f"SELECT count() FROM events FINAL WHERE type = 'payment.captured' AND day = today() AND order_id LIKE '{prefix}-%'") or 0)


def throughput():
    prefix = f"tp{RUN}"
    started = time.time()
    psql(outbox_rows(prefix, EVENTS))
    done = {}
    while len(done) < 3 and time.time() - started < 600:
        now = time.time()
        if "relay" not in done and psql(f"SELECT count(*) FROM orders.outbox WHERE sent_at IS NULL AND body LIKE '%{prefix}-%'") == "0":
            done["relay"] = now - started
        if "ledger" not in done and ledger_orders(prefix) >= EVENTS:
            done["ledger"] = now - started
        if "clickhouse" not in done and clickhouse_orders(prefix) >= EVENTS:
            done["clickhouse"] = now - started
        time.sleep(0.1)
    relay = EVENTS / done.get("relay", float("inf"))
    for sink, target in (("ledger", 1000), ("clickhouse", 5000)):
        rate = EVENTS / done.get(sink, float("inf"))
        print(f"throughput {sink}: {EVENTS} events in {done.get(sink, float('nan')):.1f} s = {rate:,.0f}/s "
              f"(target {target:,}/s: {'met' if rate >= target else 'MISSED'}); relay {relay:,.0f}/s, ratio {rate / relay:.2f}")


def bi_pipeline():
    """Outbox to ClickHouse end to end with settlement paused: the relay and bi on the machine's two cores."""
    prefix = f"bp{RUN}"
    settlement = int(open(os.path.join(RUN_DIR, "pids", "settlement.pid")).read())
    os.kill(settlement, signal.SIGSTOP)
    try:
        started = time.time()
        psql(outbox_rows(prefix, EVENTS))
        committed = time.time()
        while clickhouse_orders(prefix) < EVENTS and time.time() - started < 300:
            time.sleep(0.05)
        took = time.time() - committed
        print(f"outbox to ClickHouse, settlement paused: {EVENTS} events in {took:.1f} s from their commit = {EVENTS / took:,.0f}/s (target 5,000/s: "
              f"{'met' if EVENTS / took >= 5000 else 'MISSED'}); {EVENTS / (time.time() - started):,.0f}/s counting the insert of the rows")
    finally:
        os.kill(settlement, signal.SIGCONT)
    while ledger_orders(prefix) < EVENTS:
        time.sleep(0.2)


def drain():
    """Each consumer's own capacity: bi and settlement paused (SIGSTOP), EVENTS relayed into their queues,
    then one resumed at a time and timed until its store holds them all."""
    prefix = f"dr{RUN}"
    pids = {name: int(open(os.path.join(RUN_DIR, "pids", f"{name}.pid")).read()) for name in ("bi", "settlement")}
    for pid in pids.values():
        os.kill(pid, signal.SIGSTOP)
    try:
        began = time.time()
        psql(outbox_rows(prefix, EVENTS))
        while psql(f"SELECT count(*) FROM orders.outbox WHERE sent_at IS NULL AND body LIKE '%{prefix}-%'") != "0":
            time.sleep(0.05)
        print(f"drain relay: {EVENTS} outbox rows published in {time.time() - began:.1f} s = {EVENTS / (time.time() - began):,.0f}/s with no consumer running")
        for name, stored, target in (("bi", clickhouse_orders, 5000), ("settlement", ledger_orders, 1000)):
            started = time.time()
            os.kill(pids[name], signal.SIGCONT)
            while stored(prefix) < EVENTS and time.time() - started < 300:
                time.sleep(0.05)
            took = time.time() - started
            rate = EVENTS / took
            print(f"drain {name}: {EVENTS} queued events stored in {took:.1f} s = {rate:,.0f}/s, alone (target {target:,}/s: {'met' if rate >= target else 'MISSED'})")
    finally:
        for pid in pids.values():
            os.kill(pid, signal.SIGCONT)


def lag():
    per_batch = max(1, RATE // 10)
    batches = SECONDS * 10
    inserted = {}
    finished = {"ledger": {}, "clickhouse": {}}
    stop = threading.Event()

    def poll():
        while not stop.is_set() or any(len(finished[s]) < batches for s in finished):
            pending = [k for k in inserted if k not in finished["ledger"]]
            if pending:
                rows = psql(f"SELECT split_part(order_id, '-', 2), count(*) / 2 FROM settlement.ledger_entries WHERE order_id LIKE 'lag{RUN}x%' GROUP BY 1")
                now = time.time()
                for line in filter(None, rows.splitlines()):
                    batch, count = line.split("|")
                    if int(batch) in inserted and int(batch) not in finished["ledger"] and int(count) >= per_batch:
                        finished["ledger"][int(batch)] = now - inserted[int(batch)]
            pending = [k for k in inserted if k not in finished["clickhouse"]]
            if pending:
                rows = clickhouse(f"SELECT splitByChar('-', order_id)[2] AS b, count() FROM events FINAL WHERE type = 'payment.captured' "
                                  f"AND day = today() AND order_id LIKE 'lag{RUN}x%' GROUP BY b FORMAT TabSeparated")
                now = time.time()
                for line in filter(None, rows.splitlines()):
                    batch, count = line.split("\t")
                    if int(batch) in inserted and int(batch) not in finished["clickhouse"] and int(count) >= per_batch:
                        finished["clickhouse"][int(batch)] = now - inserted[int(batch)]
            if stop.is_set() and time.time() - stop.started > 60:
                return
            time.sleep(0.05)

    poller = threading.Thread(target=poll)
    poller.start()
    start = time.time()
    for batch in range(batches):
        target = start + batch * 0.1
        time.sleep(max(0, target - time.time()))
        inserted[batch] = time.time()
        psql(outbox_rows(f"lag{RUN}x-{batch}", per_batch, start=batch * per_batch))
    stop.started = time.time()
    stop.set()
    poller.join()
    for sink, lags in finished.items():
        values = sorted(lags.values())
        if len(values) < batches:
            print(f"lag {sink}: only {len(values)} of {batches} batches arrived")
            continue
        p50 = values[len(values) // 2] * 1000
        p99 = values[min(len(values) - 1, int(len(values) * 0.99))] * 1000
        print(f"lag {sink} at {RATE} events/s over {SECONDS} s: p50 {p50:.0f} ms, p99 {p99:.0f} ms (batch of {per_batch} from outbox insert to all stored)")


def reports():
    tenants = 50
    # Orders spread over 90 days of 2021 (partitions 202101-202104), each with its events; searches and supplier calls beside.
    base = "toDate('2021-01-01') + (n % 90)"
    started = time.time()
    clickhouse(f"""
        INSERT INTO events (event_id, type, occurred_at, day, producer, tenant_id, order_id, supplier, hotel_id, city, check_in, check_out,
                            currency, price, cost, has_cost, penalty, operation, outcome, latency_ms, hotels, data)
        SELECT concat(toString(n), '-', t) AS event_id, t AS type, toDateTime({base}) + n % 86400 AS occurred_at, {base} AS day, 'bench' AS producer,
            concat('bench-bi-', toString(n % {tenants})) AS tenant_id, concat('bo-', toString(n)) AS order_id, concat('sup-', toString(n % 3)) AS supplier,
            toInt64(n % 5000) AS hotel_id, concat('City', toString(n % 40)) AS city, {base} + 10 + n % 60 AS check_in, {base} + 12 + n % 60 AS check_out,
            ['EUR', 'USD', 'CNY'][1 + n % 3] AS currency, toDecimal64(100 + n % 400, 4) AS price, toDecimal64(85 + n % 400, 4) AS cost, toUInt8(1) AS has_cost,
            toDecimal64(if(t = 'order.cancelled', 20, 0), 4) AS penalty, '' AS operation, '' AS outcome, toFloat64(0) AS latency_ms, toUInt32(0) AS hotels, '{{}}' AS data
        FROM (SELECT number AS n FROM numbers({ORDERS}))
        ARRAY JOIN arrayFilter(x -> x != '', ['order.created', if(n % 10 = 9, 'order.closed', 'payment.captured'),
                                              if(n % 10 != 9 AND n % 5 = 0, 'order.cancelled', '')]) AS t
    """)
    clickhouse(f"""
        INSERT INTO events (event_id, type, occurred_at, day, producer, tenant_id, city, currency, latency_ms, hotels, data)
        SELECT concat('bs-', toString(n)), 'search.performed', toDateTime({base}) + n % 86400, {base}, 'bench', concat('bench-bi-', toString(n % {tenants})),
            concat('City', toString(n % 40)), 'EUR', toFloat64(20 + n % 300), toUInt32(n % 50), '{{}}'
        FROM (SELECT number AS n FROM numbers({ORDERS * 2}))
    """)
    clickhouse(f"""
        INSERT INTO events (event_id, type, occurred_at, day, producer, supplier, operation, outcome, latency_ms, data)
        SELECT concat('bc-', toString(n)), 'supplier.call', toDateTime({base}) + n % 86400, {base}, 'bench', concat('sup-', toString(n % 3)),
            'availability', if(n % 20 = 0, 'timeout', 'ok'), toFloat64(5 + n % 900), '{{}}'
        FROM (SELECT number AS n FROM numbers({ORDERS}))
    """)
    rows = clickhouse("SELECT count() FROM events WHERE day BETWEEN '2021-01-01' AND '2021-04-01'")
    print(f"reports: {rows} events of {ORDERS:,} orders loaded into ClickHouse in {time.time() - started:.0f} s")
    worst = 0
    for name, query in (("gmv", "group_by=day"), ("gmv", "group_by=tenant"), ("bookings", "group_by=day"), ("conversion", "group_by=day"),
                        ("suppliers", "group_by=supplier"), ("top-hotels", "limit=20"), ("top-cities", "limit=20"), ("stays", "group_by=city")):
        times = []
        for _ in range(REPEAT):
            request = urllib.request.Request(f"{GATEWAY}/api/v1/admin/reports/{name}?from=2021-01-01&to=2021-03-31&{query}",
                                             headers={"Authorization": f"Bearer {ADMIN}"})
            began = time.time()
            with urllib.request.urlopen(request, timeout=60) as answer:
                body = json.loads(answer.read())
            times.append((time.time() - began) * 1000)
        worst = max(worst, max(times))
        print(f"report {name} ({query}): median {statistics.median(times):.0f} ms, max {max(times):.0f} ms, {len(body['rows'])} rows")
    print(f"reports over {ORDERS:,} orders' events: slowest {worst:.0f} ms (target every report under 500 ms: {'met' if worst < 500 else 'MISSED'})")
    for partition in ("202101", "202102", "202103", "202104"):
        clickhouse(f"ALTER TABLE events DROP PARTITION {partition}")


if __name__ == "__main__":
    phases = sys.argv[1:] or ["throughput", "bi_pipeline", "drain", "lag", "reports"]
    for phase in phases:
        globals()[phase]()
