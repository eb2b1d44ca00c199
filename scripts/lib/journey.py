#!/usr/bin/env python3
"""The journey a distributor and an operator take through the platform, step by step, every step
checked (a wrong answer stops it with the reason): a token; a city searched; the cheapest
refundable offer price-checked and booked under an Idempotency-Key (the same key again answers the
same order); the order's webhook received at a local receiver and its signature verified; the order
read; its cancellation quoted, then made; the operator's view of it: the order's history, the
credit journal, the ledger, the BI report that counts it. Then the same for a hotel we contract
directly (inventory), booked and cancelled.

  journey.py GATEWAY_URL CREDENTIALS_JSON        (scripts/demo.sh and the end-to-end test in scripts/test.sh)
"""
import datetime
import hashlib
import hmac
import http.server
import json
import os
import secrets
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from platform_api import admin_token, call  # noqa: E402


def step(text):
    print(f"\n▸ {text}", flush=True)


def show(text):
    print(f"    {text}", flush=True)


def expect(condition, why):
    if not condition:
        sys.exit(f"\njourney stopped: {why}")


def until(condition, seconds, why):
    deadline = time.time() + seconds
    while time.time() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.3)
    expect(False, why)


class Receiver:
    """A distributor's webhook endpoint on loopback: keeps each event whose X-Signature is the
    tenant secret's HMAC of "<t>.<body>"; anything else is answered 401."""

    def __init__(self, secret):
        self.secret, self.events, self.refused = secret.encode(), [], 0
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                parts = dict(p.split("=", 1) for p in self.headers.get("X-Signature", "").split(",") if "=" in p)
                signed = hmac.new(receiver.secret, f"{parts.get('t', '')}.".encode() + body, hashlib.sha256).hexdigest()
                if not hmac.compare_digest(signed, parts.get("v1", "")):
                    receiver.refused += 1
                    self.send_response(401)
                else:
                    receiver.events.append((self.headers.get("X-Event-Type"), json.loads(body)))
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def event(self, kind, order_id):
        return next((e for t, e in self.events if t == kind and order_id in json.dumps(e)), None)


class Journey:
    def __init__(self, gateway, credentials):
        self.gateway = gateway
        admin, self.distributor = credentials["admin"], credentials["distributors"][0]
        self.tenant = self.distributor["tenant_id"]
        self.operator = {"Authorization": "Bearer " + admin_token(gateway, admin["api_key"], admin["api_secret"])}
        self.check_in = datetime.date.today() + datetime.timedelta(days=14)

    def call(self, method, path, body=None, headers=None, ok=(200,), what=""):
        status, answer = call(self.gateway, method, path, body, headers)
        expect(status in ok, f"{what or method + ' ' + path}: {status} {answer}")
        return answer

    def search(self, destination):
        body = {"destination": destination, "check_in": str(self.check_in), "check_out": str(self.check_in + datetime.timedelta(days=2)),
                "rooms": [{"adults": 2}], "currency": "CNY"}
        found = self.call("POST", "/api/v1/search", body, self.token, what="search")
        offers = [(hotel, offer) for hotel in found["hotels"] for room in hotel["rooms"] for offer in room["offers"]]
        show(f"{found['total']} hotels, {len(offers)} offers; suppliers: " + ", ".join(f"{s['outcome']} {s.get('latency_ms', 0):.0f} ms" for s in found["sources"]))
        return offers

    def book(self, hotel, offer):
        step(f"Price check: {hotel['name']}, {offer['room_name']} ({offer['board']}), {offer['total']['amount']} {offer['total']['currency']}")
        checked = self.call("POST", f"/api/v1/offers/{offer['offer_id']}/price-check", None, self.token, what="price check")
        show(f"{checked['status']}: {checked['offer']['total']['amount']} {checked['offer']['total']['currency']}")
        step("Book it, with an Idempotency-Key")
        key = str(uuid.uuid4())
        body = {"offer_id": checked["offer"]["offer_id"], "guests": [{"first_name": "Ada", "last_name": "Lovelace"}],
                "contact": {"email": "ada@example.com"}, "client_reference": f"journey-{key[:8]}", "price_tolerance": {"percent": "5"}}
        order = self.call("POST", "/api/v1/orders", body, {**self.token, "Idempotency-Key": key}, ok=(201, 202), what="booking")
        again = self.call("POST", "/api/v1/orders", body, {**self.token, "Idempotency-Key": key}, ok=(200, 201, 202), what="the same booking again")
        expect(again["id"] == order["id"], f"the same key answers the same order: {order['id']} then {again['id']}")
        show(f"order {order['number']} ({order['status']}); sent again with the same key: the same order, nothing booked twice")
        order = until(lambda: (o := self.call("GET", f"/api/v1/orders/{order['id']}", headers=self.token)) and o["status"] == "CONFIRMED" and o,
                      30, f"order {order['number']} confirmed")
        show(f"{order['status']}: {order['check_in']} → {order['check_out']}, {order['price']['amount']} {order['price']['currency']}")
        return order

    def cancel(self, order, refundable):
        step("Quote the cancellation, then cancel")
        quote = self.call("POST", f"/api/v1/orders/{order['id']}/cancel?simulate=true", None, self.token, what="cancellation quote")
        expect(quote["simulated"], f"a quote changes nothing: {quote}")
        show(f"quote: penalty {quote['penalty']['amount']}, refund {quote['refund']['amount']} {quote['refund']['currency']}")
        done = self.call("POST", f"/api/v1/orders/{order['id']}/cancel", None, self.token, what="cancellation")
        expect(done["status"] == "CANCELLED" and done["refund"] == quote["refund"], f"cancelled as quoted: {done} after {quote}")
        expect(refundable or float(done["refund"]["amount"]) == 0, f"a non-refundable rate gives nothing back: {done}")
        show(f"{done['status']}: refunded {done['refund']['amount']} {done['refund']['currency']}")
        return done

    def operator_view(self, order, supplier, cancellation):
        step(f"The operator's view of {order['number']}")
        full = self.call("GET", f"/api/v1/admin/orders/{order['id']}", headers=self.operator)
        events = [h["event"] for h in full["history"]]
        show("history: " + " → ".join(events))
        expect("supplier_confirmed" in events or supplier == "direct", f"the supplier's confirmation is in the history: {events}")
        expect(full["order"]["status"] == "CANCELLED", f"the operator sees it cancelled: {full['order']['status']}")
        expect((full["supplier"] == "direct") == (supplier == "direct"), f"booked at {full['supplier']}, expected {supplier}")
        show(f"supplier {full['supplier']} {full.get('supplier_reference') or ''}, net {full['net']['amount']} {full['net']['currency']}")
        moves = self.call("GET", f"/api/v1/admin/credit/accounts/{self.tenant}/movements?page_size=200", headers=self.operator)["movements"]
        mine = [m["entry"] for m in moves if m.get("order_id") == order["id"]]
        wanted = {"reserved", "captured"} | ({"refunded"} if float(cancellation["refund"]["amount"]) > 0 else set())
        expect(wanted <= set(mine), f"the credit journal has {sorted(wanted)}: {mine}")
        show("credit journal: " + ", ".join(sorted(mine)))
        check = self.call("GET", f"/api/v1/admin/credit/accounts/{self.tenant}/check", headers=self.operator)
        expect(check["consistent"], f"the account equals its journal: {check}")
        ledger = self.call("GET", "/api/v1/admin/settlement/check", headers=self.operator)
        expect(ledger["balanced"], f"the ledger balances: {ledger}")
        balances = self.call("GET", f"/api/v1/admin/settlement/balances?account=receivable:{self.tenant}", headers=self.operator)["balances"]
        show("ledger: balanced; receivable " + ", ".join(f"{b['balance']} {b['currency']}" for b in balances))
        today = datetime.date.today()
        report = until(lambda: next((r for r in self.call("GET", f"/api/v1/admin/reports/gmv?from={today}&to={today}&group_by=tenant", headers=self.operator)["rows"]
                                     if r["tenant_id"] == self.tenant and int(r["cancellations"]) >= self.cancelled), None), 30, "bi counts the cancellation")
        show(f"bi today for the tenant: {report['bookings']} bookings, {report['cancellations']} cancellations, GMV {report['gmv']} {report['currency']}")

    def run(self):
        self.cancelled = 0
        step(f"A distributor signs in ({self.distributor['api_key']})")
        self.token = {"Authorization": "Bearer " + admin_token(self.gateway, self.distributor["api_key"], self.distributor["api_secret"])}
        secret = secrets.token_hex(16)
        receiver = Receiver(secret)
        self.call("PATCH", f"/api/v1/admin/tenants/{self.tenant}", {"webhook_url": receiver.url, "webhook_secret": secret}, self.operator, what="setting the webhook")
        show(f"token issued; its webhooks go to {receiver.url} (signed with its secret)")

        contracts = self.call("GET", "/api/v1/admin/inventory/hotels?page_size=200", headers=self.operator)["hotels"]
        contracted = {c["hotel_id"] for c in contracts}
        step("Search Paris for two adults, two nights")
        offers = [(h, o) for h, o in self.search({"city": "Paris", "country": "FR"}) if o["refundable"] and h["id"] not in contracted]
        expect(offers, "a refundable offer in Paris")
        hotel, offer = min(offers, key=lambda pair: float(pair[1]["total"]["amount"]))
        order = self.book(hotel, offer)
        step("The webhook arrives")
        event = until(lambda: receiver.event("order.confirmed", order["id"]), 30, "the order.confirmed webhook")
        show(f"order.confirmed, signature verified (event {event.get('id', '')})")
        step("Read the order")
        read = self.call("GET", f"/api/v1/orders/{order['id']}", headers=self.token)
        expect("net" not in read and "supplier" not in read, f"the distributor never sees the net price or the supplier: {sorted(read)}")
        show(f"{read['number']} {read['status']}, cancellation policy: " + "; ".join(f"from {p['from']} {p['amount']}" for p in read.get("cancellation_policies", [])))
        cancellation = self.cancel(order, offer["refundable"])
        self.cancelled += 1
        until(lambda: receiver.event("order.cancelled", order["id"]), 30, "the order.cancelled webhook")
        show("order.cancelled webhook received")
        self.operator_view(order, "a supplier", cancellation)

        step(f"A hotel we contract directly ({len(contracts)} contracts)")
        on_sale = [c for c in contracts if c["on_sale"]]
        expect(on_sale, "a direct contract on sale")
        # A contract's offers are named "<room type> - <rate plan>".
        rooms = {f"{r['name']} - {p['name']}" for c in on_sale for r in c["room_types"] for p in c["rate_plans"]}
        offers = [(h, o) for h, o in self.search({"hotel_ids": [c["hotel_id"] for c in on_sale]}) if o["room_name"] in rooms]
        expect(offers, f"an offer of a contracted room ({sorted(rooms)})")
        hotel, offer = offers[0]
        order = self.book(hotel, offer)
        cancellation = self.cancel(order, offer["refundable"])
        self.cancelled += 1
        self.operator_view(order, "direct", cancellation)
        expect(receiver.refused == 0, f"every webhook carried a valid signature ({receiver.refused} did not)")
        print("\njourney complete: searched, booked, notified, cancelled and accounted for, at a supplier and under a direct contract")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    Journey(sys.argv[1], json.load(open(sys.argv[2]))).run()
