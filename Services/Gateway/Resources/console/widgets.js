// Pieces the console's pages share: formatting, charts, paging and the query of the page's hash.
"use strict";
import { el } from "/admin/assets/admin.js";

export const q = encodeURIComponent;
export const money = (m) => (m ? `${m.amount} ${m.currency}` : "");
export const colour = (status) => ({
  green: "green", active: "green", ready: "green", closed: "green", succeeded: "green", matched: "green",
  yellow: "yellow", suspended: "yellow", degraded: "yellow", half_open: "yellow", running: "yellow", queued: "yellow",
  red: "red", revoked: "red", open: "red", failed: "red",
})[status];

/** The last n days, today included: { from, to } as ISO dates. */
export function days(n) {
  const to = new Date(), from = new Date(Date.now() - (n - 1) * 86400000);
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

/** The query of the page's hash (#/orders?status=CONFIRMED). */
export const hashParams = () => new URLSearchParams(location.hash.split("?")[1] || "");

/** ?page= of the current page's hash. */
export const pageParameter = () => Math.max(1, Number(hashParams().get("page") || 1));

export function pager(id, page, total, size) {
  const pages = Math.max(1, Math.ceil((total || 0) / (size || 50)));
  return el("div", { class: "pager" },
    page > 1 ? el("a", { href: `#/${id}?page=${page - 1}` }, "← previous") : null,
    el("span", { class: "muted" }, `page ${page} of ${pages} (${total || 0})`),
    page < pages ? el("a", { href: `#/${id}?page=${page + 1}` }, "next →") : null);
}

// Series colours (Chart.js 3 draws every series grey unless told).
const PALETTE = ["#0969da", "#1a7f37", "#9a6700", "#cf222e", "#8250df", "#bf3989", "#1b7c83", "#656d76"];

/** A Chart.js chart (the library is served as one static file, /admin/assets/chart.umd.js). */
export function chart(title, type, labels, series) {
  const datasets = series.map((s, i) => ({ backgroundColor: PALETTE[i % PALETTE.length], borderColor: PALETTE[i % PALETTE.length], ...s }));
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

export function tile(label, value, extra) {
  return el("div", { class: "tile" }, el("div", { class: "label" }, label), el("div", { class: "value" }, value), extra ? el("div", {}, extra) : null);
}

/** A labelled input: field("Timeout (ms)", { name: "timeout_ms", type: "number", value: 10000 }). */
export const field = (label, attributes) => el("label", {}, label, el("input", attributes));

/** A labelled select of values, the current one selected; "" reads as `empty`. */
export const choice = (label, name, values, current, empty = "any") =>
  el("label", {}, label, el("select", { name }, values.map((v) => el("option", { value: v, selected: v === current }, v === "" ? empty : v))));

/** A progress bar: done of total, with words beside it. */
export function progress(done, total, words) {
  return el("div", { class: "progress" },
    el("progress", { max: Math.max(total, 1), value: Math.min(done, Math.max(total, 1)), "aria-label": words }), el("span", {}, words));
}
