// Hotels and mappings: search the master catalog, a hotel's supplier records (score, method), the
// review queue side by side (approve, reject, remap), and mapping runs watched to the end.
"use strict";
import { api, el, table, act, fields, pill, when, refresh } from "/admin/assets/admin.js";
import { q, colour, field, hashParams, progress } from "/admin/assets/widgets.js";

export async function hotels() {
  const params = hashParams();
  const reviews = await api("GET", "/api/v1/admin/mappings/reviews?limit=50");
  const found = await catalog(params);
  const detail = el("div");
  if (params.get("hotel")) detail.append(await hotel(params.get("hotel")));
  return el("div", {},
    el("h3", {}, "Master catalog"), searchForm(params), found, detail,
    el("h3", {}, "Review queue"), reviewQueue(reviews),
    el("h3", {}, "Mapping runs"), mappingRun());
}

function searchForm(params) {
  return el("form", { class: "card inline", role: "search", onsubmit: (event) => {
    event.preventDefault();
    location.hash = `#/mappings?${new URLSearchParams(Object.entries(fields(event.target)).filter(([, v]) => v))}`;
  } },
  field("Name (typos forgiven)", { name: "name", value: params.get("name") || "", minlength: 3, maxlength: 200 }),
  field("City", { name: "city", value: params.get("city") || "", maxlength: 100 }),
  field("Country", { name: "country", value: params.get("country") || "", size: 3, maxlength: 2, pattern: "[A-Za-z]{2}" }),
  field("Hotel ids", { name: "ids", value: params.get("ids") || "", pattern: "[0-9]+(,[0-9]+)*", placeholder: "1,2,3" }),
  el("button", {}, "Search"));
}

/** The catalog's answer to the search in the hash (nothing before a search). */
async function catalog(params) {
  const query = new URLSearchParams();
  for (const name of ["name", "city", "country", "ids"]) if (params.get(name)) query.set(name, name === "country" ? params.get(name).toUpperCase() : params.get(name));
  if (![...query.keys()].length) return el("p", { class: "muted" }, "Search by name, city, country or ids.");
  query.set("limit", "50");
  const list = await api("GET", `/api/v1/admin/hotels?${query}`);
  const open = (h) => { const p = hashParams(); p.set("hotel", h.id); return `#/mappings?${p}`; };
  return table([
    { title: "Hotel", value: (h) => el("div", {}, el("a", { href: open(h) }, h.name), el("div", { class: "muted" }, `#${h.id}${h.chain ? ` · ${h.chain}` : ""}`)) },
    { title: "Where", value: (h) => [h.address, h.city, h.country_code].filter(Boolean).join(", ") },
    { title: "Stars", class: "num", value: (h) => h.stars ?? "" },
    { title: "Supplier records", class: "num", value: (h) => h.suppliers.length },
  ], list, "No master hotel matches.");
}

/** A master hotel with each supplier record mapped to it: how it was mapped, its score; remap. */
async function hotel(id) {
  const master = await api("GET", `/api/v1/admin/hotels/${q(id)}`);
  const records = await Promise.all(master.suppliers.map((r) =>
    api("GET", `/api/v1/admin/mappings/${q(r.supplier)}/${q(r.code)}`).catch((e) => ({ ...r, error: e.message }))));
  return el("div", { class: "card", "data-hotel": master.id },
    el("h3", {}, `${master.name} (#${master.id})`),
    el("p", {}, [master.address, master.city, master.country_code].filter(Boolean).join(", "), el("span", { class: "muted" }, ` · ${coordinates(master)}${master.stars ? ` · ${master.stars}★` : ""}`)),
    table([
      { title: "Supplier", value: (m) => m.supplier }, { title: "Code", value: (m) => m.code },
      { title: "Status", value: (m) => (m.error ? m.error : pill(m.status, m.status === "mapped" ? "green" : "yellow")) },
      { title: "Method", value: (m) => m.method || "" }, { title: "Score", class: "num", value: (m) => (m.score === undefined ? "" : Number(m.score).toFixed(3)) },
      { title: "Decided", value: (m) => `${when(m.updated_at)} ${m.decided_by || ""}` },
      { title: "Remap to", class: "actions", value: (m) => remapForm(m) },
    ], records, "No supplier record is mapped to this hotel."));
}

function remapForm(record) {
  return el("form", { class: "inline", onsubmit: async (event) => {
    event.preventDefault();
    const target = Number(fields(event.target).master_hotel_id);
    const path = `/api/v1/admin/mappings/${q(record.supplier)}/${q(record.code)}/remap`;
    if (await act(event.submitter, () => api("POST", path, { master_hotel_id: target }), `${record.supplier} ${record.code}: remapped to #${target}`) !== undefined) refresh();
  } }, el("input", { name: "master_hotel_id", type: "number", min: 1, required: true, size: 7, placeholder: "hotel id", "aria-label": `Remap ${record.supplier} ${record.code} to hotel id` }),
  el("button", { class: "quiet" }, "Remap"));
}

function reviewQueue(reviews) {
  const decide = (item, verb) => async (event) => {
    const path = `/api/v1/admin/mappings/${q(item.record.supplier)}/${q(item.record.code)}/${verb}`;
    if (await act(event.target, () => api("POST", path), `${item.record.name}: ${verb === "approve" ? "approved" : "rejected"}`) !== undefined) refresh();
  };
  const place = (h) => [h.address, h.city, h.country_code].filter(Boolean).join(", ");
  return el("div", {},
    el("p", { class: "muted" }, `${reviews.length} supplier record(s) waiting, oldest first. The record on the left, the master hotel matching proposes on the right.`),
    table([
      { title: "Supplier record", value: (r) => el("div", {}, el("strong", {}, r.record.name), el("div", { class: "muted" }, `${r.record.supplier} · ${r.record.code}`), el("div", {}, place(r.record)), el("div", { class: "muted" }, coordinates(r.record))) },
      { title: "Proposed master hotel", value: (r) => el("div", {}, el("strong", {}, r.candidate.name), el("div", { class: "muted" }, `#${r.candidate.id}`), el("div", {}, place(r.candidate)), el("div", { class: "muted" }, coordinates(r.candidate))) },
      { title: "Distance", class: "num", value: (r) => distance(r.record, r.candidate) },
      { title: "Score", class: "num", value: (r) => Number(r.score).toFixed(3) },
      { title: "Queued", value: (r) => when(r.queued_at) },
      { title: "", class: "actions", value: (r) => [el("button", { onclick: decide(r, "approve") }, "Approve"), el("button", { class: "quiet", onclick: decide(r, "reject") }, "Reject"),
        remapForm(r.record)] },
    ], reviews, "No record is waiting for review."));
}

/** Starts a mapping run (all suppliers or one) and shows its progress until it ends. */
function mappingRun() {
  const status = el("div", { "data-job": "" });
  const watch = async (job) => {
    status.dataset.job = job.id;
    status.dataset.status = job.status;
    const rate = job.rate_per_second ? ` · ${Number(job.rate_per_second).toFixed(0)}/s` : "";
    status.replaceChildren(
      el("p", {}, pill(job.status, colour(job.status)), ` ${job.supplier || "every supplier"} · requested by ${job.requested_by} ${when(job.created_at)}`),
      progress(job.processed, job.total, `${job.processed} of ${job.total} decided: ${job.mapped} mapped, ${job.created} new hotels, ${job.review} to review${rate}`),
      job.error ? el("p", { class: "error" }, job.error) : null);
    // Polled while it runs and while this page shows it.
    if ((job.status === "queued" || job.status === "running") && status.isConnected) {
      setTimeout(async () => { if (status.isConnected) watch(await api("GET", `/api/v1/admin/mappings/jobs/${q(job.id)}`).catch(() => job)); }, 1000);
    }
  };
  return el("div", {},
    el("form", { class: "card inline", onsubmit: async (event) => {
      event.preventDefault();
      const supplier = fields(event.target).supplier;
      const job = await act(event.submitter, () => api("POST", "/api/v1/admin/mappings/jobs", supplier ? { supplier } : {}), "Mapping run queued");
      if (job) watch(job);
    } },
    field("Supplier (empty: every supplier)", { name: "supplier", maxlength: 100 }),
    el("button", {}, "Start a mapping run")),
    status);
}

function coordinates(h) {
  return h.latitude !== undefined && h.latitude !== null ? `${Number(h.latitude).toFixed(5)}, ${Number(h.longitude).toFixed(5)}` : "no coordinates";
}

function distance(a, b) {
  if ([a.latitude, a.longitude, b.latitude, b.longitude].some((v) => v === undefined || v === null)) return "";
  const rad = Math.PI / 180, dLat = (b.latitude - a.latitude) * rad, dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return `${Math.round(2 * 6371000 * Math.asin(Math.sqrt(h)))} m`;
}
