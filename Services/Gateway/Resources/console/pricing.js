// Pricing: markup rules (list, create, edit every field, enable, disable, their change log), the
// explain tool, exchange rates.
"use strict";
import { api, el, table, act, fields, pill, when, refresh } from "/admin/assets/admin.js";
import { q, field, choice } from "/admin/assets/widgets.js";

// The scope's fields: [name in the form and the API, label, input attributes]; numbers are sent as numbers.
const SCOPE = [
  ["tenant_id", "Tenant (empty: everyone)", {}], ["tenant_group", "Tenant group", {}], ["supplier", "Supplier", {}],
  ["country_code", "Country", { size: 3, maxlength: 2 }], ["city", "City", {}], ["master_hotel_id", "Hotel id", { type: "number", min: 1 }],
  ["min_stars", "Stars from", { type: "number", min: 0, max: 5 }], ["max_stars", "Stars to", { type: "number", min: 0, max: 5 }],
  ["check_in_from", "Check-in from", { type: "date" }], ["check_in_to", "Check-in to", { type: "date" }],
  ["min_days_before", "Days ahead from", { type: "number", min: 0, max: 1000 }], ["max_days_before", "Days ahead to", { type: "number", min: 0, max: 1000 }],
  ["min_net", "Net from (base currency)", { inputmode: "decimal" }], ["max_net", "Net to", { inputmode: "decimal" }],
];
const NUMBERS = new Set(["master_hotel_id", "min_stars", "max_stars", "min_days_before", "max_days_before"]);

export async function pricing() {
  const [{ rules }, rates] = await Promise.all([api("GET", "/api/v1/admin/pricing/rules"), api("GET", "/api/v1/admin/pricing/exchange-rates").catch(() => null)]);
  const editor = el("div");
  const toggle = (rule) => async (event) => {
    const verb = rule.enabled ? "disable" : "enable";
    if (await act(event.target, () => api("POST", `/api/v1/admin/pricing/rules/${q(rule.id)}/${verb}`), `${rule.name}: ${verb}d`) !== undefined) refresh();
  };
  const edit = (rule) => async (event) => {
    const full = await act(event.target, () => api("GET", `/api/v1/admin/pricing/rules/${q(rule.id)}`));
    if (!full) return;
    editor.replaceChildren(el("h3", {}, `Edit ${rule.name}`), ruleForm(full.rule), el("h3", {}, "Its changes"),
      table([
        { title: "When", value: (c) => when(c.changed_at) }, { title: "What", value: (c) => c.action }, { title: "By", value: (c) => c.changed_by || "" },
        { title: "After", value: (c) => (c.after ? `${JSON.stringify(c.after.scope)} ${JSON.stringify(c.after.effect)} priority ${c.after.priority}` : "") },
      ], full.changes || []));
    editor.scrollIntoView();
  };
  return el("div", {},
    el("h3", {}, "Markup rules"),
    table([
      { title: "Name", value: (r) => r.name }, { title: "Scope", value: (r) => JSON.stringify(r.scope) }, { title: "Effect", value: (r) => effectText(r.effect) },
      { title: "Priority", class: "num", value: (r) => r.priority }, { title: "Status", value: (r) => pill(r.enabled ? "enabled" : "disabled", r.enabled ? "green" : "") },
      { title: "Changed", value: (r) => `${when(r.updated_at)} by ${r.updated_by}` },
      { title: "", class: "actions", value: (r) => [el("button", { class: "quiet", onclick: toggle(r) }, r.enabled ? "Disable" : "Enable"),
        el("button", { class: "quiet", "data-edit-rule": r.id, onclick: edit(r) }, "Edit")] },
    ], rules, "No markup rule yet."),
    el("h3", {}, "New rule"), ruleForm(null),
    el("h3", {}, "Explain a price"), explainTool(),
    editor,
    el("h3", {}, "Exchange rates"),
    rates ? table([
      { title: "Currency", value: (r) => r.currency }, { title: `${rates.base} per unit`, class: "num", value: (r) => r.rate },
      { title: "Changed", value: (r) => `${when(r.updated_at)} ${r.updated_by || ""}` },
    ], rates.rates || [], "No exchange rate set.") : el("p", { class: "muted" }, "Exchange rates could not be read."));
}

const effectText = (e) => (e.type === "percent" ? `${e.percent} %` : `${e.amount} ${e.currency} a stay`);

/** A new rule (rule null) or every field of an existing one. */
function ruleForm(rule) {
  const scope = rule ? rule.scope : {};
  const effect = rule ? rule.effect : { type: "percent" };
  // The tenant beside the name (the usual scope); the other conditions folded below.
  const [tenant, ...others] = SCOPE.map(([name, label, attributes]) =>
    field(label, { name: name === "tenant_id" ? "tenant" : name, value: scope[name] ?? "", maxlength: 100, ...attributes }));
  const refundable = scope.refundable === undefined ? "" : String(scope.refundable);
  return el("form", { class: "card", "data-rule-form": rule ? rule.id : "new", onsubmit: async (event) => {
    event.preventDefault();
    const f = fields(event.target);
    const body = { name: f.name, priority: Number(f.priority || 0), scope: scopeOf(f), effect: f.type === "fixed" ? { type: "fixed", amount: f.amount, currency: f.currency } : { type: "percent", percent: f.percent } };
    const saved = rule
      ? act(event.submitter, () => api("PATCH", `/api/v1/admin/pricing/rules/${q(rule.id)}`, body), `Rule ${f.name} saved`)
      : act(event.submitter, () => api("POST", "/api/v1/admin/pricing/rules", body), `Rule ${f.name} created`);
    if (await saved !== undefined) refresh();
  } },
  el("div", { class: "inline" },
    field("Name", { name: "name", required: true, maxlength: 200, value: rule ? rule.name : "" }),
    tenant,
    choice("Effect", "type", ["percent", "fixed"], effect.type),
    field("Markup %", { name: "percent", inputmode: "decimal", pattern: "-?[0-9]+(\\.[0-9]+)?", size: 6, value: effect.percent || "" }),
    field("or amount a stay", { name: "amount", inputmode: "decimal", size: 7, value: effect.amount || "" }),
    field("in", { name: "currency", size: 4, maxlength: 3, value: effect.currency || "" }),
    field("Priority", { name: "priority", type: "number", value: rule ? rule.priority : 0, min: -1000, max: 1000 }),
    el("button", {}, rule ? "Save rule" : "Create rule")),
  el("details", { open: Object.keys(scope).some((k) => k !== "tenant_id") }, el("summary", {}, "More conditions (empty: any)"),
    el("div", { class: "inline" }, others,
      choice("Board", "board", ["", "RO", "BB", "HB", "FB", "AI"], scope.board || ""),
      choice("Refundable", "refundable", ["", "true", "false"], refundable))));
}

function scopeOf(f) {
  const scope = {};
  for (const [name] of SCOPE) {
    const value = f[name === "tenant_id" ? "tenant" : name];
    if (value) scope[name] = NUMBERS.has(name) ? Number(value) : name === "country_code" ? value.toUpperCase() : value;
  }
  if (f.board) scope.board = f.board;
  if (f.refundable) scope.refundable = f.refundable === "true";
  return scope;
}

function explainTool() {
  const out = el("div");
  const form = el("form", { class: "card inline", onsubmit: async (event) => {
    event.preventDefault();
    const f = fields(event.target);
    const body = { tenant_id: f.tenant, currency: f.currency, offer: { id: "console", supplier: f.supplier, board: "RO", refundable: true, check_in: f.check_in, net: { amount: f.net, currency: f.net_currency } } };
    const answer = await act(event.submitter, () => api("POST", "/api/v1/admin/pricing/explain", body));
    if (answer) out.replaceChildren(el("p", {}, "Rule applied: ", el("strong", { "data-rule": answer.rule ? answer.rule.name : "" }, answer.rule ? answer.rule.name : "none")), el("pre", {}, JSON.stringify(answer, null, 2)));
  } },
  field("Tenant", { name: "tenant", required: true, maxlength: 100 }),
  field("Supplier", { name: "supplier", required: true, maxlength: 50, value: "hbx" }),
  field("Net", { name: "net", required: true, value: "100.00", size: 8 }),
  field("Net currency", { name: "net_currency", required: true, value: "EUR", size: 4, maxlength: 3 }),
  field("Sell in", { name: "currency", required: true, value: "EUR", size: 4, maxlength: 3 }),
  field("Check-in", { name: "check_in", type: "date", required: true, value: new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10) }),
  el("button", {}, "Explain"));
  return el("div", {}, form, out);
}
