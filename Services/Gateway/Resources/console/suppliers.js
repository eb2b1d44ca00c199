// Suppliers: the registry with each one's state and breaker; enable, disable, edit timeouts, pool
// and credentials (the secret is write-only); in dev, the simulator's fault plan for a supplier.
"use strict";
import { api, el, table, act, fields, pill, when, refresh, toast } from "/admin/assets/admin.js";
import { q, colour, field, choice } from "/admin/assets/widgets.js";

export async function suppliers() {
  const list = await api("GET", "/api/v1/admin/suppliers");
  const editor = el("div");
  const toggle = (supplier) => async (event) => {
    const change = { enabled: !supplier.enabled };
    if (await act(event.target, () => api("PATCH", `/api/v1/admin/suppliers/${q(supplier.code)}`, change), `${supplier.code} ${change.enabled ? "enabled" : "disabled"}`) !== undefined) refresh();
  };
  const edit = (supplier) => async () => {
    editor.replaceChildren(editForm(supplier), await faults(supplier));
    editor.scrollIntoView();
  };
  return el("div", {},
    table([
      { title: "Supplier", value: (s) => el("div", {}, el("strong", {}, s.name), el("div", { class: "muted" }, `${s.code} · ${s.protocol}`)) },
      { title: "Status", value: (s) => pill(s.enabled ? s.status : "disabled", s.enabled ? colour(s.status) || "green" : "") },
      { title: "Breaker", value: (s) => (s.breaker ? pill(s.breaker.replace("_", "-"), colour(s.breaker)) : "") },
      { title: "Timeouts", class: "num", value: (s) => `${s.timeout_ms} ms · booking ${s.booking_timeout_ms} ms` },
      { title: "Pool", class: "num", value: (s) => s.pool_size },
      { title: "Credentials", value: (s) => `${s.api_key || ""}${s.has_secret ? " · secret set" : ""}` },
      { title: "Changed", value: (s) => when(s.updated_at) },
      { title: "", class: "actions", value: (s) => [
        el("button", { class: "quiet", onclick: toggle(s) }, s.enabled ? "Disable" : "Enable"),
        el("button", { class: "quiet", "data-edit": s.code, onclick: (e) => act(e.target, edit(s)) }, "Edit")] },
    ], list, "No supplier registered."),
    el("p", { class: "muted" }, "Breaker: as the supplier-adapter replica that answered sees it (each replica keeps its own)."),
    editor);
}

function editForm(supplier) {
  return el("form", { class: "card", "data-supplier": supplier.code, onsubmit: async (event) => {
    event.preventDefault();
    const f = fields(event.target);
    const change = {};
    for (const name of ["name", "base_url", "status"]) if (f[name] && f[name] !== supplier[name]) change[name] = f[name];
    for (const name of ["timeout_ms", "booking_timeout_ms", "pool_size"]) if (Number(f[name]) !== supplier[name]) change[name] = Number(f[name]);
    if (f.secret) change.credentials = { key: f.key, secret: f.secret };
    else if (f.key !== supplier.api_key) return toast("A new key needs its secret too.", true);
    if (!Object.keys(change).length) return toast("Nothing changed.");
    if (await act(event.submitter, () => api("PATCH", `/api/v1/admin/suppliers/${q(supplier.code)}`, change), `${supplier.code} saved`) !== undefined) refresh();
  } },
  el("h3", {}, `Edit ${supplier.name}`),
  el("div", { class: "inline" },
    field("Name", { name: "name", value: supplier.name, maxlength: 200, required: true }),
    field("Base URL", { name: "base_url", value: supplier.base_url, maxlength: 2000, size: 40, required: true }),
    choice("Status", "status", ["active", "degraded", "suspended"], supplier.status)),
  el("div", { class: "inline" },
    field("Timeout (ms)", { name: "timeout_ms", type: "number", min: 100, max: 120000, value: supplier.timeout_ms, required: true }),
    field("Booking timeout (ms)", { name: "booking_timeout_ms", type: "number", min: 100, max: 120000, value: supplier.booking_timeout_ms, required: true }),
    field("Pool size", { name: "pool_size", type: "number", min: 1, max: 1000, value: supplier.pool_size, required: true })),
  el("div", { class: "inline" },
    field("API key", { name: "key", value: supplier.api_key, maxlength: 500, autocomplete: "off" }),
    // Write-only: never shown, sent only when typed.
    field("New secret (empty: unchanged)", { name: "secret", type: "password", maxlength: 500, autocomplete: "new-password" })),
  el("button", {}, "Save"));
}

/** The simulator's fault plan for the supplier (dev and test only; the API says when there is none). */
async function faults(supplier) {
  const path = `/api/v1/admin/suppliers/${q(supplier.code)}/simulator-faults`;
  let plan;
  try {
    plan = await api("GET", path);
  } catch (error) {
    const why = { simulator_not_configured: "No simulator here (fault plans are for dev and test).", not_simulated: "A real supplier: no fault plan." }[error.code];
    return el("p", { class: "muted" }, why || `Fault plan: ${error.message}`);
  }
  const rates = ["error_rate", "timeout_rate", "malformed_rate", "book_timeout_rate", "book_sold_out_rate"];
  const times = ["latency_min_ms", "latency_max_ms", "hang_ms"];
  // After a change the plan is read again in place: what the simulator now holds.
  const again = async (form) => form.replaceWith(await faults(supplier));
  return el("form", { class: "card", "data-faults": supplier.code, onsubmit: async (event) => {
    event.preventDefault();
    const f = fields(event.target);
    const body = Object.fromEntries([...rates, ...times].filter((n) => f[n] !== "").map((n) => [n, Number(f[n])]));
    if (await act(event.submitter, () => api("PUT", path, body), `${supplier.code}: fault plan set`) !== undefined) again(event.target);
  } },
  el("h3", {}, `Simulator faults of ${supplier.code}`),
  el("p", { class: "muted" }, "Shares are 0 to 1 of the calls; the simulator stands in for the supplier, so this changes what the platform meets."),
  el("div", { class: "inline" }, rates.map((n) => field(n.replaceAll("_", " "), { name: n, type: "number", min: 0, max: 1, step: 0.01, value: plan[n] ?? 0, size: 5 }))),
  el("div", { class: "inline" }, times.map((n) => field(n.replaceAll("_", " "), { name: n, type: "number", min: 0, value: plan[n] ?? (n === "hang_ms" ? 30000 : 0), size: 7 }))),
  el("div", { class: "row" }, el("button", {}, "Set the plan"),
    el("button", { type: "button", class: "quiet", onclick: async (event) => {
      if (await act(event.target, () => api("DELETE", path), `${supplier.code}: faults cleared`) !== undefined) again(event.target.form);
    } }, "Clear")));
}
