// Settlement: statements per cycle with CSV download, closing a cycle; supplier statements
// reconciled (uploaded as CSV, or fetched from the supplier) and each reconciliation read.
"use strict";
import { api, el, table, act, fields, pill, when, refresh } from "/admin/assets/admin.js";
import { q, money, field, hashParams, pageParameter, pager } from "/admin/assets/widgets.js";

export async function settlement() {
  const page = pageParameter();
  const answer = await api("GET", `/api/v1/admin/settlement/statements?page=${page}&page_size=50`);
  const download = (statement) => (event) => save(event.target, `/api/v1/admin/settlement/statements/${q(statement.id)}?format=csv`, `${statement.invoice_number}.csv`);
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
    el("h3", {}, "Supplier reconciliation"), await reconciliations());
}

/** Saves what the API answered as a file (a CSV download). */
async function save(control, path, filename) {
  const response = await act(control, () => api("GET", path, undefined, { raw: true }));
  if (!response) return;
  const link = el("a", { href: URL.createObjectURL(await response.blob()), download: filename });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

async function reconciliations() {
  const open = hashParams().get("reconciliation");
  const { reconciliations: list } = await api("GET", "/api/v1/admin/settlement/reconciliations?page=1&page_size=20");
  const show = (id) => `#/settlement?reconciliation=${q(id)}`;
  const done = (answer) => { if (answer) location.hash = show(answer.id); };
  const upload = el("form", { class: "card inline", "data-upload": "", onsubmit: async (event) => {
    event.preventDefault();
    const f = fields(event.target);
    const file = event.target.querySelector("input[type=file]").files[0];
    const query = new URLSearchParams(Object.entries({ supplier: f.supplier, from: f.from, to: f.to }).filter(([, v]) => v));
    done(await act(event.submitter, async () => api("POST", `/api/v1/admin/settlement/reconciliations?${query}`, await file.text(), { type: "text/csv" }), "Statement reconciled"));
  } },
  field("Supplier", { name: "supplier", required: true, maxlength: 64 }),
  el("label", {}, "Statement (CSV)", el("input", { name: "statement", type: "file", accept: ".csv,text/csv", required: true })),
  field("Check-outs from (empty: the file's)", { name: "from", type: "date" }), field("to", { name: "to", type: "date" }),
  el("button", {}, "Upload and reconcile"));
  const fetchForm = el("form", { class: "card inline", onsubmit: async (event) => {
    event.preventDefault();
    const f = fields(event.target);
    done(await act(event.submitter, () => api("POST", "/api/v1/admin/settlement/reconciliations", { supplier: f.supplier, from: f.from, to: f.to }), "Statement fetched and reconciled"));
  } },
  field("Supplier (bed banks)", { name: "supplier", required: true, maxlength: 64 }),
  field("Check-outs from", { name: "from", type: "date", required: true }), field("to", { name: "to", type: "date", required: true }),
  el("button", {}, "Fetch from the supplier and reconcile"));
  return el("div", {}, upload, fetchForm,
    open ? await reconciliation(open) : null,
    table([
      { title: "Supplier", value: (r) => el("a", { href: show(r.id) }, r.supplier) }, { title: "Period", value: (r) => `${r.period.from} → ${r.period.to}` },
      { title: "Source", value: (r) => r.source }, { title: "Matched", class: "num", value: (r) => r.matched },
      { title: "Amounts differ", class: "num", value: (r) => r.amount_mismatches }, { title: "Not ours", class: "num", value: (r) => r.missing_ours },
      { title: "Not billed", class: "num", value: (r) => r.missing_theirs }, { title: "By", value: (r) => `${when(r.created_at)} ${r.created_by || ""}` },
    ], list || [], "No reconciliation yet."));
}

/** One reconciliation: every discrepancy with both amounts, then the matches. */
async function reconciliation(id) {
  const r = await api("GET", `/api/v1/admin/settlement/reconciliations/${q(id)}`);
  const outcome = r.outcome || { matched: [], discrepancies: [] };
  const kinds = { amount_mismatch: "amounts differ", missing_ours: "billed, not ours", missing_theirs: "ours, not billed" };
  return el("div", { class: "card", "data-reconciliation": r.id },
    el("h3", {}, `${r.supplier}, check-outs ${r.period.from} → ${r.period.to}`),
    el("p", {}, `${r.matched} matched · ${r.amount_mismatches} amounts differ · ${r.missing_ours} billed but not ours · ${r.missing_theirs} ours but not billed`,
      el("button", { class: "quiet", onclick: (e) => save(e.target, `/api/v1/admin/settlement/reconciliations/${q(r.id)}?format=csv`, `reconciliation-${r.supplier}.csv`) }, "CSV")),
    table([
      { title: "Discrepancy", value: (d) => pill(kinds[d.kind] || d.kind, d.kind === "amount_mismatch" ? "yellow" : "red") },
      { title: "Supplier reference", value: (d) => d.supplier_reference }, { title: "Our reference", value: (d) => d.our_reference || "" },
      { title: "Ours", class: "num", value: (d) => money(d.ours) }, { title: "Theirs", class: "num", value: (d) => money(d.theirs) },
    ], outcome.discrepancies || [], "No discrepancy: the statement agrees with our books."),
    el("details", {}, el("summary", {}, `${(outcome.matched || []).length} matched lines`),
      table([{ title: "Supplier reference", value: (m) => m.supplier_reference }, { title: "Our reference", value: (m) => m.our_reference || "" },
        { title: "Amount", class: "num", value: (m) => money(m.amount) }], outcome.matched || [])));
}
