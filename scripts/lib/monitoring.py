#!/usr/bin/env python3
"""The Grafana dashboards are generated here, and the Helm chart ships copies of compose's
monitoring files (it cannot read files outside its own directory).

  monitoring.py build   writes compose/grafana/dashboards/*.json and the chart's copies
                        (helm/hotel-platform/files/dashboards/*.json, files/alerts.yml)
  monitoring.py check   fails if any of them is not what build would write
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
DASHBOARDS = ROOT / "compose" / "grafana" / "dashboards"
CHART_FILES = ROOT / "helm" / "hotel-platform" / "files"
ALERTS = ROOT / "compose" / "prometheus" / "alerts.yml"

# Every service, as it names itself (the `service` label of its series).
SERVICES = ["gateway", "query-engine", "order", "supplier-adapter", "matching", "pricing", "settlement", "inventory", "risk", "bi"]
PROMETHEUS = {"type": "prometheus", "uid": "prometheus"}


class Board:
    """Panels laid out left to right, 24 columns wide, rows of height 8."""

    def __init__(self, uid, title, description):
        self.uid, self.title, self.description = uid, title, description
        self.panels, self.x, self.y = [], 0, 0

    def row(self, title):
        if self.x:
            self.x, self.y = 0, self.y + 8
        self.panels.append({"type": "row", "title": title, "collapsed": False, "gridPos": {"x": 0, "y": self.y, "w": 24, "h": 1}, "panels": []})
        self.y += 1

    def panel(self, title, targets, unit="short", width=6, kind="timeseries", description=None):
        if self.x + width > 24:
            self.x, self.y = 0, self.y + 8
        panel = {
            "type": kind, "title": title, "datasource": PROMETHEUS,
            "gridPos": {"x": self.x, "y": self.y, "w": width, "h": 8},
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "targets": [{"datasource": PROMETHEUS, "expr": expr, "legendFormat": legend, "refId": chr(65 + i)} for i, (expr, legend) in enumerate(targets)],
        }
        if description:
            panel["description"] = description
        self.panels.append(panel)
        self.x += width

    def json(self):
        for i, panel in enumerate(self.panels):
            panel["id"] = i + 1
        return json.dumps({
            "uid": self.uid, "title": self.title, "description": self.description, "tags": ["hotel-platform"],
            "schemaVersion": 39, "editable": False, "refresh": "30s", "time": {"from": "now-3h", "to": "now"},
            "panels": self.panels,
        }, indent=1, ensure_ascii=False) + "\n"


def services_board():
    board = Board("hotel-services", "Hotel Platform: services", "One row per service: traffic, errors, latency, replicas, dependencies.")
    for service in SERVICES:
        s = f'service="{service}"'
        board.row(service)
        board.panel("Requests/s by status", [(f"sum by (status) (rate(http_requests_total{{{s}}}[5m]))", "{{status}}")], "reqps")
        board.panel("5xx ratio", [(f'sum(rate(http_requests_total{{{s},status=~"5.."}}[5m])) / sum(rate(http_requests_total{{{s}}}[5m]))', "5xx")], "percentunit")
        board.panel("Latency p50 / p99", [
            (f"histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket{{{s}}}[5m])))", "p50"),
            (f"histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{{{s}}}[5m])))", "p99"),
        ], "s")
        board.panel("Replicas up / dependencies up", [
            (f'sum(up{{job="hotel-platform",{s}}})', "replicas up"),
            (f"min by (dependency) (dependency_up{{{s}}})", "{{dependency}}"),
        ], "short")
    return board


def business_board():
    board = Board("hotel-business", "Hotel Platform: business", "Searches, bookings, suppliers, and the event pipeline behind them.")
    board.row("Searches")
    board.panel("Searches/s", [("sum by (answered) (rate(searches_total[5m]))", "{{answered}}")], "reqps", 8)
    board.panel("Supplier cache hit ratio", [(
        'sum(rate(search_supplier_answers_total{outcome=~"cached|stale"}[5m])) / sum(rate(search_supplier_answers_total[5m]))', "hit ratio")],
        "percentunit", 8, description="Supplier answers served from the Redis cache (fresh or stale) among all a search asked for.")
    board.panel("Supplier answers by outcome", [("sum by (outcome) (rate(search_supplier_answers_total[5m]))", "{{outcome}}")], "reqps", 8)
    board.row("Bookings")
    board.panel("Bookings/s", [
        ('sum(rate(order_events_total{event="payment_captured"}[5m]))', "booked"),
        ('sum(rate(order_events_total{event=~"create_failed|risk_rejected|closed_supplier_failed"}[5m]))', "failed"),
        ('sum(rate(order_events_total{event=~"cancelled_refunded|cancelled_unrefunded"}[5m]))', "cancelled"),
    ], "reqps", 12)
    board.panel("Order events/s", [("sum by (event) (rate(order_events_total[5m]))", "{{event}}")], "reqps", 12)
    board.row("Suppliers")
    board.panel("Supplier latency p99", [("histogram_quantile(0.99, sum by (le, supplier) (rate(supplier_call_duration_seconds_bucket[5m])))", "{{supplier}}")], "s", 8)
    board.panel("Supplier calls/s by outcome", [("sum by (supplier, outcome) (rate(supplier_calls_total[5m]))", "{{supplier}} {{outcome}}")], "reqps", 8)
    board.panel("Circuit breakers (0 closed, 1 half-open, 2 open)", [
        ("max by (supplier) (supplier_circuit_breaker_state)", "supplier {{supplier}}"),
        ("max by (upstream) (circuit_breaker_state)", "gateway to {{upstream}}"),
    ], "short", 8)
    board.row("Events")
    board.panel("Outbox backlog", [("max by (schema) (outbox_backlog)", "{{schema}}")], "short", 8,
                description="Events committed with their change but not yet published to RabbitMQ.")
    board.panel("Consumer lag (messages ready)", [(r'sum by (queue) (rabbitmq_queue_messages_ready{queue!~".+\\.(dlq|retry)"})', "{{queue}}")], "short", 8)
    board.panel("Dead-lettered messages", [(r'sum by (queue) (rabbitmq_queue_messages{queue=~".+\\.dlq"})', "{{queue}}")], "short", 8)
    return board


def outputs():
    """Every generated file and what it must hold."""
    files = {}
    for board, name in ((services_board(), "services.json"), (business_board(), "business.json")):
        files[DASHBOARDS / name] = board.json()
        files[CHART_FILES / "dashboards" / name] = board.json()
    files[CHART_FILES / "alerts.yml"] = ALERTS.read_text()
    return files


def main(command):
    if command == "build":
        for path, text in outputs().items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            print(f"wrote {path.relative_to(ROOT)}")
        return 0
    if command == "check":
        stale = [path for path, text in outputs().items() if not path.exists() or path.read_text() != text]
        for path in stale:
            print(f"{path.relative_to(ROOT)} is not current: run scripts/lib/monitoring.py build", file=sys.stderr)
        return 1 if stale else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ""))
