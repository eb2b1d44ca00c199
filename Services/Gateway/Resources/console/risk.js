// Risk reviews: orders waiting for a decision, each reason with its points, approved or rejected
// with a comment; the blacklist.
"use strict";
import { api, el, table, act, fields, when, refresh } from "/admin/assets/admin.js";
import { q, pageParameter, pager } from "/admin/assets/widgets.js";

export async function risk() {
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
