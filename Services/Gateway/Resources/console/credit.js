// Credit: accounts (balance, limit, reserved, available), paged on the server; top up, set the
// limit, freeze and unfreeze; an account's movements, each with the figures after it.
"use strict";
import { api, el, table, act, fields, pill, when, refresh } from "/admin/assets/admin.js";
import { q, hashParams, pageParameter, pager } from "/admin/assets/widgets.js";

export async function credit() {
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
      { title: "", class: "actions", value: (a) => [el("button", { class: a.frozen ? "quiet" : "danger", onclick: freeze(a) }, a.frozen ? "Unfreeze" : "Freeze"),
        el("a", { class: "button quiet", href: `#/credit?page=${page}&account=${q(a.tenant_id)}` }, "Movements")] },
    ], answer.accounts, "No credit account yet."),
    pager("credit", page, answer.total, answer.page_size),
    hashParams().get("account") ? await movements(hashParams().get("account"), Number(hashParams().get("moves") || 1)) : null);
}

/** An account's journal, newest first, paged on the server (?moves=N in the hash). */
async function movements(tenant, page) {
  const answer = await api("GET", `/api/v1/admin/credit/accounts/${q(tenant)}/movements?page=${page}&page_size=50`);
  const pages = Math.max(1, Math.ceil((answer.total || 0) / (answer.page_size || 50)));
  const link = (n, text) => el("a", { href: `#/credit?page=${pageParameter()}&account=${q(tenant)}&moves=${n}` }, text);
  const change = (m) => [["balance", m.balance_change], ["reserved", m.reserved_change], ["limit", m.limit_change]]
    .filter(([, v]) => v && Number(v) !== 0).map(([k, v]) => `${k} ${Number(v) > 0 ? "+" : ""}${v}`).join(" · ");
  return el("div", { "data-movements": tenant },
    el("h3", {}, `Movements of ${tenant}`),
    table([
      { title: "At", value: (m) => when(m.at) }, { title: "Entry", value: (m) => pill(m.entry.replace("_", " ")) },
      { title: "Change", class: "num", value: change },
      { title: "Balance after", class: "num", value: (m) => m.balance }, { title: "Reserved after", class: "num", value: (m) => m.reserved },
      { title: "Limit", class: "num", value: (m) => m.credit_limit }, { title: "Order", value: (m) => m.order_id || "" },
      { title: "By", value: (m) => el("div", {}, m.actor || "", m.note ? el("div", { class: "muted" }, m.note) : null) },
    ], answer.movements || [], "No movement yet."),
    el("div", { class: "pager" }, page > 1 ? link(page - 1, "← newer") : null, el("span", { class: "muted" }, `page ${page} of ${pages} (${answer.total || 0})`),
      page < pages ? link(page + 1, "older →") : null));
}
