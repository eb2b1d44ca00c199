// Direct contracts: the hotels we contract ourselves, paged; one contract's room types and rate
// plans, put on sale or taken off; its calendar night by night (free of allotment, sold, held,
// stop-sell, net prices) and a range of nights changed in one transaction.
"use strict";
import { api, el, table, act, fields, pill, refresh, toast } from "/admin/assets/admin.js";
import { q, field, choice, hashParams, pageParameter, pager } from "/admin/assets/widgets.js";

const iso = (date) => date.toISOString().slice(0, 10);

export async function inventory() {
  const page = pageParameter();
  const answer = await api("GET", `/api/v1/admin/inventory/hotels?page=${page}&page_size=50`);
  const open = hashParams().get("hotel");
  return el("div", {},
    table([
      { title: "Hotel", value: (c) => el("div", {}, el("a", { href: `#/inventory?page=${page}&hotel=${q(c.hotel_id)}` }, c.name), el("div", { class: "muted" }, `#${c.hotel_id}`)) },
      { title: "Currency", value: (c) => c.currency },
      { title: "Channel", value: (c) => (c.channel ? `${c.channel} · ${c.channel_hotel_code || ""}` : "by hand") },
      { title: "Room types", class: "num", value: (c) => c.room_types.length }, { title: "Rate plans", class: "num", value: (c) => c.rate_plans.length },
      { title: "Sale", value: (c) => pill(c.on_sale ? "on sale" : "off sale", c.on_sale ? "green" : "") },
    ], answer.hotels || [], "No hotel is contracted directly."),
    pager("inventory", page, answer.total, answer.page_size),
    open ? await contract(open) : null);
}

async function contract(hotel) {
  const path = `/api/v1/admin/inventory/hotels/${q(hotel)}`;
  const c = await api("GET", path);
  const from = hashParams().get("from") || iso(new Date());
  const to = iso(new Date(Date.parse(from) + 13 * 86400000));
  const calendar = await api("GET", `${path}/calendar?from=${from}&to=${to}`);
  const sale = async (event) => {
    const body = { name: c.name, on_sale: !c.on_sale, channel: c.channel ?? null, channel_hotel_code: c.channel_hotel_code ?? null };
    if (await act(event.target, () => api("PUT", path, body), `${c.name}: ${body.on_sale ? "on sale" : "off sale"}`) !== undefined) refresh();
  };
  return el("div", { class: "card", "data-contract": c.hotel_id },
    el("h3", {}, `${c.name} (#${c.hotel_id}, ${c.currency})`),
    el("div", { class: "row" }, pill(c.on_sale ? "on sale" : "off sale", c.on_sale ? "green" : ""),
      el("button", { class: c.on_sale ? "danger" : "", onclick: sale }, c.on_sale ? "Take off sale" : "Put on sale")),
    el("h3", {}, "Room types and rate plans"),
    table([{ title: "Room type", value: (r) => r.code }, { title: "Name", value: (r) => r.name }, { title: "Sleeps", class: "num", value: (r) => r.max_occupancy }], c.room_types, "No room type."),
    table([
      { title: "Rate plan", value: (r) => r.code }, { title: "Name", value: (r) => r.name }, { title: "Board", value: (r) => r.board },
      { title: "Refundable", value: (r) => (r.refundable ? "yes" : "no") },
      { title: "Cancellation", value: (r) => (r.cancellation || []).map((rule) => JSON.stringify(rule)).join(" · ") },
    ], c.rate_plans, "No rate plan."),
    el("h3", {}, `Calendar ${from} → ${to}`),
    el("div", { class: "pager" },
      el("a", { href: `#/inventory?hotel=${q(hotel)}&from=${iso(new Date(Date.parse(from) - 14 * 86400000))}` }, "← two weeks earlier"),
      el("a", { href: `#/inventory?hotel=${q(hotel)}&from=${iso(new Date(Date.parse(from) + 14 * 86400000))}` }, "two weeks later →")),
    table([
      { title: "Night", value: (n) => n.night }, { title: "Room type", value: (n) => n.room_type },
      { title: "Free", class: "num", value: (n) => `${n.free} of ${n.allotment}` }, { title: "Sold", class: "num", value: (n) => n.sold },
      { title: "Held", class: "num", value: (n) => n.held },
      { title: "Restrictions", value: (n) => [n.stop_sell ? "stop-sell" : "", n.closed_to_arrival ? "closed to arrival" : "", n.min_stay > 1 ? `min ${n.min_stay} nights` : "",
        n.release_days ? `release ${n.release_days} d` : ""].filter(Boolean).join(" · ") },
      { title: `Net (${c.currency})`, value: (n) => Object.entries(n.prices || {}).map(([plan, price]) => `${plan} ${price}`).join(" · ") },
    ], calendar.nights || [], "No night loaded in this range."),
    calendarForm(c, path, from, to));
}

/** One range of nights of one room type changed: fields left empty keep their value. */
function calendarForm(c, path, from, to) {
  return el("form", { class: "card", "data-calendar": c.hotel_id, onsubmit: async (event) => {
    event.preventDefault();
    const f = fields(event.target);
    const update = { room_type: f.room_type, from: f.from, to: f.to };
    if (f.allotment !== "") update.allotment = Number(f.allotment);
    if (f.stop_sell) update.stop_sell = f.stop_sell === "true";
    if (f.min_stay !== "") update.min_stay = Number(f.min_stay);
    const prices = Object.fromEntries(c.rate_plans.map((r) => [r.code, f[`price_${r.code}`]]).filter(([, v]) => v));
    if (Object.keys(prices).length) update.prices = prices;
    if (Object.keys(update).length === 3) return toast("Set at least one field for these nights.", true);
    const done = await act(event.submitter, () => api("POST", `${path}/calendar`, { updates: [update] }));
    if (done) { toast(`${done.written} night rows and prices written`); refresh(); }
  } },
  el("h3", {}, "Change nights"),
  el("div", { class: "inline" },
    choice("Room type", "room_type", c.room_types.map((r) => r.code), c.room_types[0] && c.room_types[0].code),
    field("From", { name: "from", type: "date", required: true, value: from }), field("To", { name: "to", type: "date", required: true, value: to }),
    field("Allotment", { name: "allotment", type: "number", min: 0, max: 10000, size: 5 }),
    choice("Stop-sell", "stop_sell", ["", "true", "false"], "", "unchanged"),
    field("Min stay", { name: "min_stay", type: "number", min: 1, max: 60, size: 4 })),
  el("div", { class: "inline" }, c.rate_plans.map((r) => field(`Net ${r.code}`, { name: `price_${r.code}`, inputmode: "decimal", size: 8, pattern: "[0-9]+(\\.[0-9]{1,2})?" })),
    el("button", {}, "Apply to these nights")));
}
