// The console's pages: each renders from the public admin API and acts through it. What each page
// does, and what it does not do yet: docs/console.md (keep it current with this file).
"use strict";
import { api, el, table, act, fields, pill, when, refresh, toast } from "/admin/assets/admin.js";

const q = encodeURIComponent;
const money = (m) => (m ? `${m.amount} ${m.currency}` : "");
const colour = (status) => ({ green: "green", active: "green", ready: "green", yellow: "yellow", red: "red", revoked: "red", suspended: "yellow" })[status];

function days(n) {
  const to = new Date(), from = new Date(Date.now() - (n - 1) * 86400000);
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

/** A Chart.js chart (the library is served as one static file, /admin/assets/chart.umd.js). */
function chart(title, type, labels, datasets) {
  const canvas = el("canvas", { role: "img", "aria-label": title });
  const box = el("div", { class: "chart" }, canvas);
  if (window.Chart) {
    // Drawn once the canvas is in the page.
    requestAnimationFrame(() => new window.Chart(canvas, {
      type, data: { labels, datasets },
      options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { title: { display: true, text: title } } },
    }));
  } else {
    box.append(el("p", { class: "muted" }, `${title}: the chart library did not load.`));
  }
  return box;
}

// ── Overview ──────────────────────────────────────────────────────────────────────────────────────

async function overview() {
  const period = days(14);
  const range = `from=${period.from}&to=${period.to}&group_by=day`;
  const [health, gmv, conversion, suppliers] = await Promise.all([
    api("GET", "/api/v1/admin/health").catch((e) => ({ error: e.message })),
    api("GET", `/api/v1/admin/reports/gmv?${range}`).catch((e) => ({ error: e.message, rows: [] })),
    api("GET", `/api/v1/admin/reports/conversion?${range}`).catch((e) => ({ error: e.message, rows: [] })),
    api("GET", `/api/v1/admin/reports/suppliers?from=${period.from}&to=${period.to}&group_by=supplier`).catch((e) => ({ error: e.message, rows: [] })),
  ]);
  const today = period.to;
  const todays = (gmv.rows || []).filter((r) => r.day === today);
  const sum = (rows, key) => rows.reduce((total, r) => total + Number(r[key] || 0), 0);
  const perCurrency = (key) => todays.map((r) => `${r[key]} ${r.currency}`).join(" · ") || "0";
  const conversionToday = (conversion.rows || []).find((r) => r.day === today);
  const calls = sum(suppliers.rows || [], "calls"), succeeded = sum(suppliers.rows || [], "succeeded");

  const tiles = el("div", { class: "tiles" },
    tile("Platform", health.error ? "unknown" : health.status, health.error ? health.error : el("a", { href: "/admin/health" }, "health page")),
    tile("Bookings today", String(sum(todays, "bookings"))),
    tile("GMV today", perCurrency("gmv")),
    tile("Margin today", perCurrency("margin")),
    tile("Search to book today", conversionToday ? `${(Number(conversionToday.bookings_per_search) * 100).toFixed(2)} %` : "no searches"),
    tile("Supplier success (14 days)", calls ? `${((succeeded / calls) * 100).toFixed(1)} %` : "no calls"));

  const dayLabels = [...new Set((gmv.rows || []).map((r) => r.day))].sort();
  const currencies = [...new Set((gmv.rows || []).map((r) => r.currency))].sort();
  const series = (key) => currencies.map((currency) => ({
    label: `${key} ${currency}`, data: dayLabels.map((d) => Number((gmv.rows.find((r) => r.day === d && r.currency === currency) || {})[key] || 0)),
  }));
  const conversionDays = (conversion.rows || []).map((r) => r.day).sort();
  const charts = el("div", { class: "charts" },
    chart("Bookings per day", "bar", dayLabels, [{ label: "bookings", data: dayLabels.map((d) => sum((gmv.rows || []).filter((r) => r.day === d), "bookings")) }]),
    chart("GMV per day", "line", dayLabels, series("gmv")),
    chart("Margin per day", "line", dayLabels, series("margin")),
    chart("Search to book", "line", conversionDays, [{ label: "bookings per search", data: conversionDays.map((d) => Number(conversion.rows.find((r) => r.day === d).bookings_per_search)) }]),
    chart("Supplier success rate", "bar", (suppliers.rows || []).map((r) => r.supplier), [{ label: "success rate", data: (suppliers.rows || []).map((r) => Number(r.success_rate)) }]));
  const problems = [gmv, conversion, suppliers].filter((r) => r.error).map((r) => el("p", { class: "error" }, `Reports: ${r.error}`));
  return el("div", {}, tiles, problems, charts);
}

function tile(label, value, extra) {
  return el("div", { class: "tile" }, el("div", { class: "label" }, label), el("div", { class: "value" }, value), extra ? el("div", {}, extra) : null);
}

// ── Hotels and mappings ───────────────────────────────────────────────────────────────────────────

async function mappings() {
  const reviews = await api("GET", "/api/v1/admin/mappings/reviews?limit=50");
  const decide = (item, verb) => async (event) => {
    const path = `/api/v1/admin/mappings/${q(item.record.supplier)}/${q(item.record.code)}/${verb}`;
    if (await act(event.target, () => api("POST", path), `${item.record.name}: ${verb === "approve" ? "approved" : "rejected"}`) !== undefined) refresh();
  };
  const place = (h) => [h.address, h.city, h.country_code].filter(Boolean).join(", ");
  const coordinates = (h) => (h.latitude !== undefined && h.latitude !== null ? `${Number(h.latitude).toFixed(5)}, ${Number(h.longitude).toFixed(5)}` : "no coordinates");
  return el("div", {},
    el("p", { class: "muted" }, `${reviews.length} supplier record(s) waiting, oldest first. The record on the left, the master hotel matching proposes on the right.`),
    table([
      { title: "Supplier record", value: (r) => el("div", {}, el("strong", {}, r.record.name), el("div", { class: "muted" }, `${r.record.supplier} · ${r.record.code}`), el("div", {}, place(r.record)), el("div", { class: "muted" }, coordinates(r.record))) },
      { title: "Proposed master hotel", value: (r) => el("div", {}, el("strong", {}, r.candidate.name), el("div", { class: "muted" }, `#${r.candidate.id}`), el("div", {}, place(r.candidate)), el("div", { class: "muted" }, coordinates(r.candidate))) },
      { title: "Distance", class: "num", value: (r) => distance(r.record, r.candidate) },
      { title: "Score", class: "num", value: (r) => Number(r.score).toFixed(3) },
      { title: "Queued", value: (r) => when(r.queued_at) },
      { title: "", class: "actions", value: (r) => [el("button", { onclick: decide(r, "approve") }, "Approve"), el("button", { class: "quiet", onclick: decide(r, "reject") }, "Reject")] },
    ], reviews, "No record is waiting for review."));
}

function distance(a, b) {
  if ([a.latitude, a.longitude, b.latitude, b.longitude].some((v) => v === undefined || v === null)) return "";
  const rad = Math.PI / 180, dLat = (b.latitude - a.latitude) * rad, dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return `${Math.round(2 * 6371000 * Math.asin(Math.sqrt(h)))} m`;
}

// ── Pricing ───────────────────────────────────────────────────────────────────────────────────────

async function pricing() {
  const [{ rules }, rates] = await Promise.all([api("GET", "/api/v1/admin/pricing/rules"), api("GET", "/api/v1/admin/pricing/exchange-rates").catch(() => null)]);
  const toggle = (rule) => async (event) => {
    const verb = rule.enabled ? "disable" : "enable";
    if (await act(event.target, () => api("POST", `/api/v1/admin/pricing/rules/${q(rule.id)}/${verb}`), `${rule.name}: ${verb}d`) !== undefined) refresh();
  };
  const create = el("form", { class: "card inline", onsubmit: async (event) => {
    event.preventDefault();
    const f = fields(event.target);
    const body = { name: f.name, priority: Number(f.priority || 0), scope: f.tenant ? { tenant_id: f.tenant } : {}, effect: { type: "percent", percent: f.percent } };
    if (await act(event.submitter, () => api("POST", "/api/v1/admin/pricing/rules", body), `Rule ${f.name} created`) !== undefined) refresh();
  } },
  el("label", {}, "Name", el("input", { name: "name", required: true, maxlength: 100 })),
  el("label", {}, "Tenant (empty: everyone)", el("input", { name: "tenant", maxlength: 100 })),
  el("label", {}, "Markup %", el("input", { name: "percent", required: true, inputmode: "decimal", pattern: "-?[0-9]+(\\.[0-9]+)?", size: 6 })),
  el("label", {}, "Priority", el("input", { name: "priority", type: "number", value: 0, min: -1000, max: 1000 })),
  el("button", {}, "Create rule"));
  const explainOut = el("div");
  const explain = el("form", { class: "card inline", onsubmit: async (event) => {
    event.preventDefault();
    const f = fields(event.target);
    const body = { tenant_id: f.tenant, currency: f.currency, offer: { id: "console", supplier: f.supplier, board: "RO", refundable: true, check_in: f.check_in, net: { amount: f.net, currency: f.net_currency } } };
    const answer = await act(event.submitter, () => api("POST", "/api/v1/admin/pricing/explain", body));
    if (answer) explainOut.replaceChildren(el("p", {}, "Rule applied: ", el("strong", { "data-rule": answer.rule ? answer.rule.name : "" }, answer.rule ? answer.rule.name : "none")), el("pre", {}, JSON.stringify(answer, null, 2)));
  } },
  el("label", {}, "Tenant", el("input", { name: "tenant", required: true, maxlength: 100 })),
  el("label", {}, "Supplier", el("input", { name: "supplier", required: true, maxlength: 50, value: "hbx" })),
  el("label", {}, "Net", el("input", { name: "net", required: true, value: "100.00", size: 8 })),
  el("label", {}, "Net currency", el("input", { name: "net_currency", required: true, value: "EUR", size: 4, maxlength: 3 })),
  el("label", {}, "Sell in", el("input", { name: "currency", required: true, value: "EUR", size: 4, maxlength: 3 })),
  el("label", {}, "Check-in", el("input", { name: "check_in", type: "date", required: true, value: new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10) })),
  el("button", {}, "Explain"));
  return el("div", {},
    el("h3", {}, "Markup rules"),
    table([
      { title: "Name", value: (r) => r.name }, { title: "Scope", value: (r) => JSON.stringify(r.scope) }, { title: "Effect", value: (r) => JSON.stringify(r.effect) },
      { title: "Priority", class: "num", value: (r) => r.priority }, { title: "Status", value: (r) => pill(r.enabled ? "enabled" : "disabled", r.enabled ? "green" : "") },
      { title: "Changed", value: (r) => `${when(r.updated_at)} by ${r.updated_by}` },
      { title: "", class: "actions", value: (r) => el("button", { class: "quiet", onclick: toggle(r) }, r.enabled ? "Disable" : "Enable") },
    ], rules, "No markup rule yet."),
    el("h3", {}, "New rule"), create,
    el("h3", {}, "Explain a price"), explain, explainOut,
    el("h3", {}, "Exchange rates"),
    rates ? table([
      { title: "Currency", value: (r) => r.currency }, { title: `${rates.base} per unit`, class: "num", value: (r) => r.rate },
      { title: "Changed", value: (r) => `${when(r.updated_at)} ${r.updated_by || ""}` },
    ], rates.rates || [], "No exchange rate set.") : el("p", { class: "muted" }, "Exchange rates could not be read."));
}

// ── Distributors ──────────────────────────────────────────────────────────────────────────────────

async function distributors() {
  const { tenants } = await api("GET", "/api/v1/admin/tenants");
  const keysBox = el("div");
  const showKeys = async (tenant) => {
    const { keys } = await api("GET", `/api/v1/admin/tenants/${q(tenant.id)}/keys`);
    const issue = el("form", { class: "inline", onsubmit: async (event) => {
      event.preventDefault();
      const answer = await act(event.submitter, () => api("POST", `/api/v1/admin/tenants/${q(tenant.id)}/keys`, { label: fields(event.target).label || "console" }));
      if (answer) {
        await showKeys(tenant);
        keysBox.prepend(el("div", { class: "card" }, el("p", {}, `New key ${answer.api_key}. Its secret is shown this once: copy it now.`), el("div", { class: "secret", "data-secret": "", "data-key": answer.api_key }, answer.api_secret)));
      }
    } }, el("label", {}, "Label", el("input", { name: "label", maxlength: 100, placeholder: "e.g. booking engine" })), el("button", {}, "Issue a key"));
    const revoke = (key) => async (event) => {
      if (!confirm(`Revoke ${key.api_key}? Its tokens stop working at once.`)) return;
      if (await act(event.target, () => api("DELETE", `/api/v1/admin/tenants/${q(tenant.id)}/keys/${q(key.api_key)}`), `${key.api_key} revoked`) !== undefined) showKeys(tenant);
    };
    keysBox.replaceChildren(el("h3", {}, `API keys of ${tenant.name}`), issue,
      table([
        { title: "Key", value: (k) => k.api_key }, { title: "Label", value: (k) => k.label || "" }, { title: "Role", value: (k) => k.role },
        { title: "Status", value: (k) => pill(k.status, colour(k.status)) }, { title: "Created", value: (k) => when(k.created_at) },
        { title: "", class: "actions", value: (k) => (k.status === "active" ? [el("button", { class: "quiet", onclick: rotate(k) }, "Rotate"), el("button", { class: "danger", onclick: revoke(k) }, "Revoke")] : "") },
      ], keys, "No key yet."),
      await deliveries(tenant));
  };
  const rotate = (key) => async (event) => {
    const tenant = key.tenant_id;
    const answer = await act(event.target, () => api("POST", `/api/v1/admin/tenants/${q(tenant)}/keys/${q(key.api_key)}/rotate`), `${key.api_key}: a new secret`);
    if (answer) keysBox.prepend(el("div", { class: "card" }, el("p", {}, `New secret of ${answer.api_key || key.api_key}, shown this once:`), el("div", { class: "secret", "data-secret": "", "data-key": answer.api_key || key.api_key }, answer.api_secret)));
  };
  const deliveries = async (tenant) => {
    const { deliveries: list } = await api("GET", `/api/v1/admin/webhook-deliveries?tenant=${q(tenant.id)}&limit=50`);
    const replay = (delivery) => async (event) => {
      if (await act(event.target, () => api("POST", `/api/v1/admin/webhook-deliveries/${q(delivery.id)}/replay`), "Delivery queued again") !== undefined) showKeys(tenant);
    };
    return el("div", {}, el("h3", {}, `Webhook deliveries of ${tenant.name}`), el("p", { class: "muted" }, tenant.webhook_url ? `To ${tenant.webhook_url}` : "No webhook URL set."),
      table([
        { title: "Event", value: (d) => d.event_type }, { title: "Status", value: (d) => pill(d.status, { delivered: "green", dead: "red", pending: "yellow" }[d.status]) },
        { title: "Attempts", class: "num", value: (d) => d.attempts }, { title: "Last answer", value: (d) => [d.last_status, d.last_error].filter(Boolean).join(" · ") },
        { title: "Created", value: (d) => when(d.created_at) },
        { title: "", class: "actions", value: (d) => (d.status === "dead" ? el("button", { class: "quiet", onclick: replay(d) }, "Replay") : "") },
      ], list || [], "No delivery yet."));
  };
  return el("div", {},
    table([
      { title: "Tenant", value: (t) => el("div", {}, el("strong", {}, t.name), el("div", { class: "muted" }, t.id)) },
      { title: "Kind", value: (t) => t.kind }, { title: "Status", value: (t) => pill(t.status, colour(t.status)) },
      { title: "Webhook", value: (t) => t.webhook_url || "" }, { title: "Since", value: (t) => when(t.created_at) },
      { title: "", class: "actions", value: (t) => el("button", { class: "quiet", onclick: (e) => act(e.target, () => showKeys(t)) }, "API keys") },
    ], tenants),
    keysBox);
}

// ── Credit ────────────────────────────────────────────────────────────────────────────────────────

async function credit() {
  const page = pageParameter();
  const answer = await api("GET", `/api/v1/admin/credit/accounts?page=${page}&page_size=50`);
  const topUp = (account) => el("form", { class: "inline", onsubmit: async (event) => {
    event.preventDefault();
    const f = fields(event.target);
    if (await act(event.submitter, () => api("POST", `/api/v1/admin/credit/accounts/${q(account.tenant_id)}/top-ups`, { amount: { amount: f.amount, currency: account.currency }, note: "console top-up" }), `${account.tenant_id}: topped up ${f.amount} ${account.currency}`) !== undefined) refresh();
  } }, el("input", { name: "amount", required: true, inputmode: "decimal", size: 8, "aria-label": `Top-up amount for ${account.tenant_id}`, pattern: "[0-9]+(\\.[0-9]{1,2})?" }), el("button", { class: "quiet" }, "Top up"));
  const limit = (account) => el("form", { class: "inline", onsubmit: async (event) => {
    event.preventDefault();
    const value = fields(event.target).credit_limit;
    if (await act(event.submitter, () => api("PUT", `/api/v1/admin/credit/accounts/${q(account.tenant_id)}/limit`, { credit_limit: value, note: "console" }), `${account.tenant_id}: limit ${value} ${account.currency}`) !== undefined) refresh();
  } }, el("input", { name: "credit_limit", required: true, inputmode: "decimal", size: 8, value: account.credit_limit, "aria-label": `Credit limit of ${account.tenant_id}` }), el("button", { class: "quiet" }, "Set"));
  const freeze = (account) => async (event) => {
    const verb = account.frozen ? "unfreeze" : "freeze";
    if (await act(event.target, () => api("POST", `/api/v1/admin/credit/accounts/${q(account.tenant_id)}/${verb}`, { note: "console" }), `${account.tenant_id}: ${verb === "freeze" ? "frozen" : "unfrozen"}`) !== undefined) refresh();
  };
  return el("div", {},
    table([
      { title: "Tenant", value: (a) => a.tenant_id }, { title: "Kind", value: (a) => a.kind },
      { title: "Balance", class: "num", value: (a) => `${a.balance} ${a.currency}` }, { title: "Limit", class: "num", value: (a) => a.credit_limit },
      { title: "Reserved", class: "num", value: (a) => a.reserved }, { title: "Available", class: "num", value: (a) => a.available },
      { title: "", value: (a) => (a.frozen ? pill("frozen", "red") : "") },
      { title: "Top up", class: "actions", value: topUp },
      { title: "Limit", class: "actions", value: limit },
      { title: "", class: "actions", value: (a) => el("button", { class: a.frozen ? "quiet" : "danger", onclick: freeze(a) }, a.frozen ? "Unfreeze" : "Freeze") },
    ], answer.accounts, "No credit account yet."),
    pager("credit", page, answer.total, answer.page_size));
}

// ── Config and flags ──────────────────────────────────────────────────────────────────────────────

async function config() {
  const [{ flags }, settings] = await Promise.all([api("GET", "/api/v1/admin/flags"), api("GET", "/api/v1/admin/config").catch(() => null)]);
  const set = (flag, change) => async (event) => {
    if (await act(event.target, () => api("PUT", `/api/v1/admin/flags/${q(flag.name)}`, { enabled: flag.enabled, ...change }), `${flag.name} saved`) !== undefined) refresh();
  };
  const rollout = (flag) => el("form", { class: "inline", onsubmit: (event) => {
    event.preventDefault();
    const f = fields(event.target);
    set(flag, { rollout_pct: Number(f.rollout), whitelist: f.whitelist ? f.whitelist.split(",").map((s) => s.trim()).filter(Boolean) : [] })({ target: event.submitter });
  } },
  el("input", { name: "rollout", type: "number", min: 0, max: 100, value: flag.rollout_pct, "aria-label": `${flag.name} rollout percent`, size: 4 }),
  el("input", { name: "whitelist", value: (flag.whitelist || []).join(", "), placeholder: "tenants, comma-separated", "aria-label": `${flag.name} whitelist` }),
  el("button", { class: "quiet" }, "Save"));
  const entries = settings ? settings.entries || [] : [];
  const { changes } = await api("GET", "/api/v1/admin/config-changes?limit=30").catch(() => ({ changes: [] }));
  const edit = (entry) => el("form", { class: "inline", onsubmit: async (event) => {
    event.preventDefault();
    let value;
    try { value = JSON.parse(fields(event.target).value); } catch { return toast(`${entry.key}: the value must be JSON (a number, "text", true, {"a": 1}...)`, true); }
    if (await act(event.submitter, () => api("PUT", `/api/v1/admin/config/${q(entry.key)}`, { value, env: entry.env }), `${entry.key} saved`) !== undefined) refresh();
  } }, el("input", { name: "value", value: JSON.stringify(entry.value), "aria-label": `Value of ${entry.key}`, size: 30 }), el("button", { class: "quiet" }, "Save"));
  return el("div", {},
    el("h3", {}, "Feature flags"),
    table([
      { title: "Flag", value: (f) => el("div", {}, el("strong", {}, f.name), el("div", { class: "muted" }, f.description || "")) },
      { title: "Enabled", value: (f) => el("button", { class: f.enabled ? "" : "quiet", "aria-pressed": String(f.enabled), "data-flag": f.name, onclick: set(f, { enabled: !f.enabled }) }, f.enabled ? "On" : "Off") },
      { title: "Rollout % · whitelist", value: rollout },
    ], flags, "No flag."),
    el("h3", {}, "Configuration"),
    table([
      { title: "Key", value: (c) => c.key }, { title: "Env", value: (c) => c.env || "" },
      { title: "Value", value: edit }, { title: "Changed", value: (c) => `${when(c.updated_at)} ${c.updated_by || ""}` },
    ], entries, "No configuration value set."),
    el("h3", {}, "Change log"),
    table([
      { title: "When", value: (c) => when(c.changed_at) }, { title: "What", value: (c) => `${c.kind} ${c.name}${c.env ? ` (${c.env})` : ""}` },
      { title: "From", value: (c) => (c.old_value === undefined ? "" : JSON.stringify(c.old_value)) }, { title: "To", value: (c) => JSON.stringify(c.new_value) },
      { title: "By", value: (c) => c.changed_by || "" },
    ], changes || [], "No change yet."));
}

// ── Suppliers ─────────────────────────────────────────────────────────────────────────────────────

async function suppliers() {
  const list = await api("GET", "/api/v1/admin/suppliers");
  const toggle = (supplier) => async (event) => {
    const change = { enabled: !supplier.enabled };
    if (await act(event.target, () => api("PATCH", `/api/v1/admin/suppliers/${q(supplier.code)}`, change), `${supplier.code} ${change.enabled ? "enabled" : "disabled"}`) !== undefined) refresh();
  };
  return el("div", {},
    table([
      { title: "Supplier", value: (s) => el("div", {}, el("strong", {}, s.name), el("div", { class: "muted" }, `${s.code} · ${s.protocol}`)) },
      { title: "Status", value: (s) => pill(s.enabled ? s.status : "disabled", s.enabled ? colour(s.status) || "green" : "") },
      { title: "Timeouts", class: "num", value: (s) => `${s.timeout_ms} ms · booking ${s.booking_timeout_ms} ms` },
      { title: "Pool", class: "num", value: (s) => s.pool_size },
      { title: "Credentials", value: (s) => `${s.api_key || ""}${s.has_secret ? " · secret set" : ""}` },
      { title: "Changed", value: (s) => when(s.updated_at) },
      { title: "", class: "actions", value: (s) => el("button", { class: "quiet", onclick: toggle(s) }, s.enabled ? "Disable" : "Enable") },
    ], list, "No supplier registered."),
    el("p", { class: "muted" }, "Breaker state per supplier: the business dashboard (Grafana) and GET /api/v1/admin/suppliers/{code}. Editing timeouts, pool size and credentials: next."));
}

// ── Risk reviews ──────────────────────────────────────────────────────────────────────────────────

async function risk() {
  const page = pageParameter();
  const answer = await api("GET", `/api/v1/admin/risk/reviews?status=pending&page=${page}&page_size=50`);
  const decide = (assessment, verb) => async (event) => {
    const row = event.target.closest("tr");
    const comment = row.querySelector("input[name=comment]").value.trim();
    if (await act(event.target, () => api("POST", `/api/v1/admin/risk/reviews/${q(assessment.order_id)}/${verb}`, comment ? { comment } : {}), `Order ${assessment.order_id}: ${verb}d`) !== undefined) refresh();
  };
  return el("div", {},
    table([
      { title: "Order", value: (a) => el("div", {}, a.order_id, el("div", { class: "muted" }, a.tenant_id)) },
      { title: "Score", class: "num", value: (a) => a.score },
      { title: "Reasons", value: (a) => el("ul", {}, (a.reasons || []).map((r) => el("li", {}, `${r.code} +${r.points}`, r.detail ? el("span", { class: "muted" }, ` · ${r.detail}`) : null))) },
      { title: "Assessed", value: (a) => when(a.assessed_at) },
      { title: "Decision", class: "actions", value: (a) => [
        el("input", { name: "comment", maxlength: 1000, placeholder: "comment", "aria-label": `Comment on order ${a.order_id}` }),
        el("button", { onclick: decide(a, "approve") }, "Approve"), el("button", { class: "danger", onclick: decide(a, "reject") }, "Reject")] },
    ], answer.assessments || [], "No order is waiting for a risk review."),
    pager("risk", page, answer.total, answer.page_size),
    await blacklist());
}

async function blacklist() {
  const { entries } = await api("GET", "/api/v1/admin/risk/blacklist");
  const remove = (entry) => async (event) => {
    if (await act(event.target, () => api("DELETE", `/api/v1/admin/risk/blacklist/${q(entry.kind)}/${q(entry.value)}`), `${entry.value} is off the blacklist`) !== undefined) refresh();
  };
  const add = el("form", { class: "card inline", onsubmit: async (event) => {
    event.preventDefault();
    const f = fields(event.target);
    if (await act(event.submitter, () => api("POST", "/api/v1/admin/risk/blacklist", f), `${f.value} blacklisted`) !== undefined) refresh();
  } },
  el("label", {}, "Kind", el("select", { name: "kind" }, ["email", "name", "ip", "tenant"].map((k) => el("option", { value: k }, k)))),
  el("label", {}, "Value", el("input", { name: "value", required: true, maxlength: 320 })),
  el("label", {}, "Reason", el("input", { name: "reason", maxlength: 1000 })),
  el("button", {}, "Blacklist"));
  return el("div", {}, el("h3", {}, "Blacklist"), add,
    table([
      { title: "Kind", value: (e) => e.kind }, { title: "Value", value: (e) => e.value }, { title: "Reason", value: (e) => e.reason || "" },
      { title: "Added", value: (e) => `${when(e.added_at)} by ${e.added_by || ""}` },
      { title: "", class: "actions", value: (e) => el("button", { class: "quiet", onclick: remove(e) }, "Remove") },
    ], entries || [], "Nobody is blacklisted."));
}

// ── Orders ────────────────────────────────────────────────────────────────────────────────────────

async function orders() {
  const params = new URLSearchParams(location.hash.split("?")[1] || "");
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
      el("h3", {}, "History"),
      table([{ title: "At", value: (h) => when(h.at) }, { title: "Event", value: (h) => h.event }, { title: "By", value: (h) => h.actor || "" },
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

// ── Settlement ────────────────────────────────────────────────────────────────────────────────────

async function settlement() {
  const page = pageParameter();
  const answer = await api("GET", `/api/v1/admin/settlement/statements?page=${page}&page_size=50`);
  const download = (statement) => async (event) => {
    const response = await act(event.target, () => api("GET", `/api/v1/admin/settlement/statements/${q(statement.id)}?format=csv`, undefined, { raw: true }));
    if (!response) return;
    const link = el("a", { href: URL.createObjectURL(await response.blob()), download: `${statement.invoice_number}.csv` });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  };
  const close = el("form", { class: "card inline", onsubmit: async (event) => {
    event.preventDefault();
    const end = fields(event.target).end;
    if (await act(event.submitter, () => api("POST", "/api/v1/admin/settlement/cycles", end ? { end } : {}), "Cycle closed: its statements are issued") !== undefined) refresh();
  } }, el("label", {}, "Cycle ending (empty: the last one due)", el("input", { name: "end", type: "date" })), el("button", {}, "Close the cycle"));
  return el("div", {}, close,
    table([
      { title: "Invoice", value: (s) => s.invoice_number }, { title: "Party", value: (s) => `${s.party_kind} ${s.party}` },
      { title: "Period", value: (s) => `${s.period_start} → ${s.period_end}` }, { title: "Total", class: "num", value: (s) => `${s.total} ${s.currency}` },
      { title: "Lines", class: "num", value: (s) => s.line_count }, { title: "Issued", value: (s) => when(s.issued_at) },
      { title: "", class: "actions", value: (s) => el("button", { class: "quiet", onclick: download(s) }, "CSV") },
    ], answer.statements || [], "No statement issued yet."),
    pager("settlement", page, answer.total, answer.page_size),
    el("p", { class: "muted" }, "Supplier statement upload and reconciliation results: next (POST /api/v1/admin/settlement/reconciliations)."));
}

/** ?page= of the current page's hash. */
function pageParameter() {
  return Math.max(1, Number(new URLSearchParams(location.hash.split("?")[1] || "").get("page") || 1));
}

function pager(id, page, total, size) {
  const pages = Math.max(1, Math.ceil((total || 0) / (size || 50)));
  return el("div", { class: "pager" },
    page > 1 ? el("a", { href: `#/${id}?page=${page - 1}` }, "← previous") : null,
    el("span", { class: "muted" }, `page ${page} of ${pages} (${total || 0})`),
    page < pages ? el("a", { href: `#/${id}?page=${page + 1}` }, "next →") : null);
}

export const pages = [
  { id: "overview", title: "Overview", render: overview },
  { id: "suppliers", title: "Suppliers", render: suppliers },
  { id: "mappings", title: "Hotels & mappings", render: mappings },
  { id: "pricing", title: "Pricing", render: pricing },
  { id: "distributors", title: "Distributors", render: distributors },
  { id: "credit", title: "Credit", render: credit },
  { id: "risk", title: "Risk reviews", render: risk },
  { id: "orders", title: "Orders", render: orders },
  { id: "settlement", title: "Settlement", render: settlement },
  { id: "config", title: "Config & flags", render: config },
];

