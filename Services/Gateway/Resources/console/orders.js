// Orders: search by status, tenant, client reference and check-in dates (cursor paging on the
// server); an order's state, saga step, risk, supplier calls and history; force close, reconcile.
"use strict";
import { api, el, table, act, fields, pill, when } from "/admin/assets/admin.js";
import { q, money, hashParams } from "/admin/assets/widgets.js";

// History events that are calls to the supplier and their answers, as the saga recorded them.
const SUPPLIER_EVENTS = new Set(["supplier_requested", "supplier_confirmed", "supplier_unknown", "supplier_failed", "booking_interrupted", "reconciled", "fallback"]);

export async function orders() {
  const params = hashParams();
  const query = new URLSearchParams();
  for (const name of ["status", "tenant_id", "client_reference", "check_in_from", "check_in_to", "cursor"]) if (params.get(name)) query.set(name, params.get(name));
  query.set("limit", "50");
  const answer = await api("GET", `/api/v1/admin/orders?${query}`);
  const detail = el("div");
  const filter = el("form", { class: "card inline", onsubmit: (event) => {
    event.preventDefault();
    const f = new URLSearchParams(Object.entries(fields(event.target)).filter(([, v]) => v));
    location.hash = `#/orders?${f}`;
  } },
  el("label", {}, "Status", el("select", { name: "status" }, ["", "PENDING", "IN_REVIEW", "ON_HOLD", "CONFIRMED", "CANCELLING", "CANCELLED", "COMPLETED", "EXPIRED", "REJECTED", "FAILED"].map((v) => el("option", { value: v, selected: params.get("status") === v }, v || "any")))),
  el("label", {}, "Tenant", el("input", { name: "tenant_id", value: params.get("tenant_id") || "", maxlength: 100 })),
  el("label", {}, "Client reference", el("input", { name: "client_reference", value: params.get("client_reference") || "", maxlength: 100 })),
  el("label", {}, "Check-in from", el("input", { name: "check_in_from", type: "date", value: params.get("check_in_from") || "" })),
  el("label", {}, "to", el("input", { name: "check_in_to", type: "date", value: params.get("check_in_to") || "" })),
  el("button", {}, "Search"));
  const show = (order) => async (event) => {
    const full = await act(event.target, () => api("GET", `/api/v1/admin/orders/${q(order.id)}`));
    if (!full) return;
    const operate = (verb) => async (e) => {
      const body = verb === "close" ? { reason: prompt("Why close this order?") || "" } : undefined;
      if (verb === "close" && !body.reason) return;
      if (await act(e.target, () => api("POST", `/api/v1/admin/orders/${q(order.id)}/${verb}`, body), `Order ${order.number}: ${verb === "close" ? "closed" : "reconciliation started"}`) !== undefined) show(order)({ target: null });
    };
    detail.replaceChildren(el("div", { class: "card" },
      el("h3", {}, `Order ${full.order.number}`),
      el("p", {}, `${full.order.status} · order ${full.order.order_status} · payment ${full.order.payment_status} · supplier ${full.order.supplier_status} · saga step ${full.step} (attempts ${full.attempts})`),
      el("p", {}, `Tenant ${full.tenant_id} · supplier ${full.supplier || ""} ${full.supplier_reference || ""} · price ${money(full.order.price)} · net ${money(full.net)}`),
      full.risk ? el("p", {}, `Risk ${full.risk.score} (${full.risk.decision}): ${(full.risk.reasons || []).join(", ")}`) : null,
      el("div", { class: "row" }, el("button", { class: "quiet", onclick: operate("reconcile") }, "Re-run reconciliation"), el("button", { class: "danger", onclick: operate("close") }, "Force close")),
      el("h3", {}, "Supplier calls"),
      table([{ title: "At", value: (h) => when(h.at) }, { title: "Call", value: (h) => h.event.replaceAll("_", " ") }, { title: "Step", value: (h) => h.step || "" },
        { title: "Answer", value: (h) => (h.detail ? JSON.stringify(h.detail) : "") }],
      (full.history || []).filter((h) => SUPPLIER_EVENTS.has(h.event) || h.step === "cancel"), "No call to the supplier yet."),
      el("h3", {}, "History"),
      table([{ title: "At", value: (h) => when(h.at) }, { title: "Event", value: (h) => h.event }, { title: "By", value: (h) => h.actor || "" },
        { title: "State", value: (h) => [h.from, h.to].filter(Boolean).join(" → ") }, { title: "Step", value: (h) => h.step || "" },
        { title: "Detail", value: (h) => (h.detail ? JSON.stringify(h.detail) : "") }], full.history || [])));
    detail.scrollIntoView();
  };
  const next = answer.next_cursor ? (() => { const p = new URLSearchParams(params); p.set("cursor", answer.next_cursor); return `#/orders?${p}`; })() : null;
  return el("div", {}, filter,
    table([
      { title: "Order", value: (o) => el("div", {}, el("strong", {}, o.number), el("div", { class: "muted" }, o.client_reference || "")) },
      { title: "Status", value: (o) => pill(o.status, { CONFIRMED: "green", FAILED: "red", CANCELLED: "yellow" }[o.status]) },
      { title: "Stay", value: (o) => `${o.check_in} → ${o.check_out}` },
      { title: "Hotel", value: (o) => (o.hotel ? `${o.hotel.room_name || ""} #${o.hotel.id}` : "") },
      { title: "Price", class: "num", value: (o) => money(o.price) },
      { title: "Created", value: (o) => when(o.created_at) },
      { title: "", class: "actions", value: (o) => el("button", { class: "quiet", onclick: show(o) }, "Details") },
    ], answer.orders || [], "No order matches."),
    next ? el("div", { class: "pager" }, el("a", { href: next }, "next →")) : null,
    detail);
}
