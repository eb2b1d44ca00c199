#!/usr/bin/env python3
"""Every invariant of the platform, on the orders some tenants placed since a moment: for the
benchmarks that book (scripts/bench/booking.sh, platform.sh) and scripts/chaos.sh, through
bench-orders.sh's `mark_start` and `check`.

  invariants.py dead-letters
      {queue: messages} of every dead-letter queue (JSON), to compare with afterwards.
  invariants.py check GATEWAY START_MS DEAD_LETTERS_BEFORE TENANT...
      Waits (up to 3 minutes) for the sagas, the relays and the consumers to settle, then checks and
      prints every invariant; exit 1 when one fails. Needs ADMIN (an operator token), SIM,
      SIM_SUPPLIERS, DATABASE_URL, CLICKHOUSE_PORT, RUN_DIR, RABBIT_NODE (rabbitmqctl's node).
"""
import collections
import glob
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from platform_api import call

def sql(query, *args):
    """Rows of a query (psql, tab-separated), the arguments bound as psql variables."""
    command = ["psql", "-Atq", "-F", "\t", "-v", "ON_ERROR_STOP=1", os.environ["DATABASE_URL"]]
    for i, value in enumerate(args):
        command += ["-v", f"a{i}={value}"]
    out = subprocess.run(command, input=query, capture_output=True, text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def clickhouse(query):
    url = f"http://127.0.0.1:{os.environ.get('CLICKHOUSE_PORT', '8123')}/?database=hotel_analytics&user=hotel&password=hotel_click"
    return urllib.request.urlopen(urllib.request.Request(url, data=query.encode()), timeout=60).read().decode().split()


def get(base, path, token=None):
    status, answer = call(base, "GET", path, headers={"Authorization": f"Bearer {token}"} if token else None)
    if status != 200:
        raise SystemExit(f"GET {path} answered {status}: {answer}")
    return answer


def dead_letters():
    """{queue: messages} of every dead-letter queue."""
    env = dict(os.environ, RABBITMQ_NODENAME=os.environ["RABBIT_NODE"])
    out = subprocess.run(["/usr/lib/rabbitmq/bin/rabbitmqctl", "-n", os.environ["RABBIT_NODE"], "-q", "list_queues", "name", "messages"],
                         capture_output=True, text=True, env=env, check=True).stdout
    queues = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0].endswith(".dlq") and parts[1].isdigit():
            queues[parts[0]] = int(parts[1])
    return queues


ORDERS = """
SELECT o.number, o.tenant_id, o.supplier, o.order_status, o.payment_status, o.supplier_status, o.step,
       coalesce(o.failure->>'code', ''), o.next_attempt_at IS NOT NULL, coalesce(o.charge, 0), coalesce(o.refunded, 0),
       (SELECT coalesce(sum(p.debit), 0) FROM settlement.ledger_entries e JOIN settlement.ledger_postings p ON p.entry_id = e.id
         WHERE e.order_id = o.id::text AND e.kind = 'sale'),
       (SELECT coalesce(sum(p.debit), 0) FROM settlement.ledger_entries e JOIN settlement.ledger_postings p ON p.entry_id = e.id
         WHERE e.order_id = o.id::text AND e.kind = 'refund')
FROM orders.orders o
WHERE o.tenant_id = ANY (string_to_array(:'a0', ',')) AND o.created_at >= to_timestamp(:'a1'::bigint / 1000.0)
"""
Order = collections.namedtuple("Order", "number tenant supplier order payment supplier_status step failure retry charge refunded sale refund")
SETTLED_STEPS = {"done", "await_confirmation", "review"}
# Open but accounted for: waiting for the distributor or an operator, or a saga step due again
# (the keeper runs it: a supplier asked again by our reference, a failed call retried).
WAITING_STEPS = {"await_confirmation", "review"}


def orders(tenants, start_ms):
    return [Order(*row[:8], row[8] == "t", *(float(v) for v in row[9:])) for row in sql(ORDERS, ",".join(tenants), start_ms)]


def outbox_events(start_ms):
    """(unsent count, ids) of every service's outbox since START_MS."""
    schemas = [row[0] for row in sql("SELECT table_schema FROM information_schema.tables WHERE table_name = 'outbox' ORDER BY 1")]
    unsent, ids = 0, set()
    for schema in schemas:
        for event_id, sent in sql(f"SELECT id, sent_at IS NOT NULL FROM {schema}.outbox WHERE created_at >= to_timestamp(:'a0'::bigint / 1000.0)", start_ms):
            ids.add(event_id)
            unsent += sent != "t"
    return unsent, ids


def stored_events(start_ms):
    """(ids stored, rows before merging) in ClickHouse of events that occurred since a minute before START_MS."""
    since = int(start_ms) // 1000 - 60
    ids = set(clickhouse(f"SELECT DISTINCT event_id FROM events WHERE occurred_at >= toDateTime({since})"))
    rows = int(clickhouse(f"SELECT count() FROM events WHERE occurred_at >= toDateTime({since})")[0])
    return ids, rows


def settled(tenants, start_ms):
    running = [o for o in orders(tenants, start_ms) if o.step not in SETTLED_STEPS]
    unsent, ids = outbox_events(start_ms)
    stored, _ = stored_events(start_ms)
    return not running and unsent == 0 and not (ids - stored)


def invariants(gateway, start_ms, dead_letters_before, tenants):
    admin = os.environ["ADMIN"]
    deadline = time.time() + 180
    while not settled(tenants, start_ms) and time.time() < deadline:
        time.sleep(5)
    failures = []

    def verdict(ok, text):
        print(("ok    " if ok else "FAIL  ") + text)
        if not ok:
            failures.append(text)

    placed = orders(tenants, start_ms)
    states = collections.Counter(f"{o.order}/{o.payment}/{o.supplier_status}" for o in placed)
    print(f"orders placed during the run: {len(placed)} ({', '.join(f'{k} {v}' for k, v in sorted(states.items()))})")
    open_orders = [o for o in placed if o.step != "done"]
    explained = [o for o in open_orders if o.step in WAITING_STEPS or o.retry]
    for o in open_orders:
        print(f"      open: {o.number} step {o.step}, {o.order}/{o.supplier_status}, "
              f"{'a retry due' if o.retry else 'no retry due'}, failure {o.failure or '-'}")
    verdict(len(explained) == len(open_orders), f"every order final or explained: {len(placed) - len(open_orders)} final, "
            f"{len(explained)} explained (awaiting the distributor, an operator or a step due again), "
            f"{len(open_orders) - len(explained)} neither")

    suppliers = os.environ["SIM_SUPPLIERS"].split()
    bookings = collections.defaultdict(list)
    for code in suppliers:
        for booking in get(os.environ["SIM"], f"/admin/bookings?supplier={code}"):
            bookings[booking["client_reference"]].append(booking["status"])
    known = {row[0] for row in sql("SELECT number FROM orders.orders")}
    orphans = [reference for reference in bookings if reference.startswith("HP") and reference not in known]
    wrong = []
    for o in placed:
        if o.supplier not in suppliers:
            continue
        active = bookings[o.number].count("CONFIRMED")
        if o.supplier_status == "CONFIRMED" and active != 1:
            wrong.append(f"{o.number} confirmed with {active} bookings at {o.supplier}")
        if o.order == "CLOSED" and active != 0:
            wrong.append(f"{o.number} closed with {active} bookings still confirmed at {o.supplier}")
    for text in wrong[:10] + [f"{r}: booked at a supplier, no such order" for r in orphans[:10]]:
        print("      " + text)
    at_suppliers = sum(1 for o in placed if o.supplier in suppliers and o.supplier_status == "CONFIRMED")
    verdict(not wrong and not orphans, f"one supplier booking per confirmed order ({at_suppliers} at suppliers, "
            f"{sum(1 for o in placed if o.supplier not in suppliers and o.supplier_status == 'CONFIRMED')} direct contracts), "
            f"none left for a closed order, none without an order: {len(wrong)} wrong, {len(orphans)} orphans")

    oversold = int(sql("SELECT count(*) FROM inventory.nights WHERE sold + held > allotment")[0][0])
    verdict(oversold == 0, f"allotment nights oversold: {oversold}")

    for tenant in tenants:
        check = get(gateway, f"/api/v1/admin/credit/accounts/{urllib.parse.quote(tenant)}/check", admin)
        verdict(check.get("consistent") is True, f"credit account of {tenant} equals its journal")

    uncaptured = int(sql("""SELECT count(*) FROM orders.orders o LEFT JOIN risk.credit_reservations r ON r.order_id = o.id::text
        WHERE o.tenant_id = ANY (string_to_array(:'a0', ',')) AND o.created_at >= to_timestamp(:'a1'::bigint / 1000.0)
          AND o.order_status = 'CONFIRMED' AND r.status IS DISTINCT FROM 'captured'""", ",".join(tenants), start_ms)[0][0])
    verdict(uncaptured == 0, f"confirmed orders whose credit reservation is not captured: {uncaptured}")

    ledger = get(gateway, "/api/v1/admin/settlement/check", admin)
    verdict(ledger["balanced"], f"ledger balanced ({ledger['entries']} entries, {ledger['unbalanced_entries']} unbalanced)")
    mismatched = []
    for o in placed:
        captured = o.payment in ("PAID", "REFUNDED")
        expected = (o.charge if captured else 0.0, o.refunded if captured and o.order == "CLOSED" else 0.0)
        if (round(o.sale, 4), round(o.refund, 4)) != (round(expected[0], 4), round(expected[1], 4)):
            mismatched.append(f"{o.number} {o.order}/{o.payment}: sale {o.sale} refund {o.refund}, expected {expected[0]} and {expected[1]}")
    for text in mismatched[:10]:
        print("      " + text)
    verdict(not mismatched, f"the ledger's sales and refunds match the orders captured and cancelled: {len(mismatched)} differ")

    unsent, ids = outbox_events(start_ms)
    stored, rows = stored_events(start_ms)
    for _ in range(12):  # an event relayed just now is still on its way to ClickHouse
        if not ids - stored:
            break
        time.sleep(5)
        stored, rows = stored_events(start_ms)
    verdict(unsent == 0, f"outbox events since the start: {len(ids)}, unpublished: {unsent}")
    verdict(not (ids - stored), f"every one of them in ClickHouse once (reports read FINAL): missing {len(ids - stored)}; "
            f"copies delivered twice and merged away: {max(0, rows - len(stored))}")

    before = json.loads(dead_letters_before)
    grown = {q: n - before.get(q, 0) for q, n in dead_letters().items() if n > before.get(q, 0)}
    reasons = collections.Counter()
    for name in glob.glob(f"{os.environ['RUN_DIR']}/logs/*.log"):
        for line in open(name, errors="replace"):
            if "event handling failed" in line and ".dlq" in line:
                entry = json.loads(line) if line.startswith("{") else {}
                context = entry.get("context", {})
                if entry.get("timestamp", "") >= time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(int(start_ms) / 1000)):
                    reasons[(context.get("to"), str(context.get("error"))[:160])] += 1
    for (queue, error), count in reasons.items():
        print(f"      dead-lettered to {queue} x{count}: {error}")
    unexplained = {q: n for q, n in grown.items() if not any(queue == q for queue, _ in reasons)}
    verdict(not unexplained, f"dead letters since the start: {sum(grown.values())}, without a logged reason: {sum(unexplained.values())}")
    return 1 if failures else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "dead-letters":
        print(json.dumps(dead_letters()))
        sys.exit(0)
    if command == "check" and len(sys.argv) > 5:
        sys.exit(invariants(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]))
    sys.exit(__doc__)
