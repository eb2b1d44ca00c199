// Overview: the platform's health and today's business at a glance, from bi's reports.
"use strict";
import { api, el } from "/admin/assets/admin.js";
import { chart, days, tile } from "/admin/assets/widgets.js";

export async function overview() {
  const period = days(14);
  const range = `from=${period.from}&to=${period.to}&group_by=day`;
  const [health, gmv, conversion, suppliers] = await Promise.all([
    api("GET", "/api/v1/admin/health").catch((e) => ({ error: e.message })),
    api("GET", `/api/v1/admin/reports/gmv?${range}`).catch((e) => ({ error: e.message, rows: [] })),
    api("GET", `/api/v1/admin/reports/conversion?${range}`).catch((e) => ({ error: e.message, rows: [] })),
    api("GET", `/api/v1/admin/reports/suppliers?from=${period.from}&to=${period.to}&group_by=supplier`).catch((e) => ({ error: e.message, rows: [] })),
  ]);
  const today = period.to;
  const todays = (gmv.rows || []).filter((r) => r.date === today);
  const sum = (rows, key) => rows.reduce((total, r) => total + Number(r[key] || 0), 0);
  const perCurrency = (key) => todays.map((r) => `${r[key]} ${r.currency}`).join(" · ") || "0";
  const conversionToday = (conversion.rows || []).find((r) => r.date === today);
  const calls = sum(suppliers.rows || [], "calls"), succeeded = sum(suppliers.rows || [], "succeeded");

  const tiles = el("div", { class: "tiles" },
    tile("Platform", health.error ? "unknown" : health.status, health.error ? health.error : el("a", { href: "/admin/health" }, "health page")),
    tile("Bookings today", String(sum(todays, "bookings"))),
    tile("GMV today", perCurrency("gmv")),
    tile("Margin today", perCurrency("margin")),
    tile("Search to book today", conversionToday ? `${(Number(conversionToday.conversion) * 100).toFixed(2)} %` : "no searches"),
    tile("Supplier success (14 days)", calls ? `${((succeeded / calls) * 100).toFixed(1)} %` : "no calls"));

  const dayLabels = [...new Set((gmv.rows || []).map((r) => r.date))].sort();
  const currencies = [...new Set((gmv.rows || []).map((r) => r.currency))].sort();
  const series = (key) => currencies.map((currency) => ({
    label: `${key} ${currency}`, data: dayLabels.map((d) => Number((gmv.rows.find((r) => r.date === d && r.currency === currency) || {})[key] || 0)),
  }));
  const conversionDays = (conversion.rows || []).map((r) => r.date).sort();
  const charts = el("div", { class: "charts" },
    chart("Bookings per day", "bar", dayLabels, [{ label: "bookings", data: dayLabels.map((d) => sum((gmv.rows || []).filter((r) => r.date === d), "bookings")) }]),
    chart("GMV per day", "line", dayLabels, series("gmv")),
    chart("Margin per day", "line", dayLabels, series("margin")),
    chart("Search to book", "line", conversionDays, [{ label: "bookings per search", data: conversionDays.map((d) => Number(conversion.rows.find((r) => r.date === d).conversion)) }]),
    chart("Supplier success rate", "bar", (suppliers.rows || []).map((r) => r.supplier), [{ label: "success rate", data: (suppliers.rows || []).map((r) => Number(r.success_rate)) }]));
  const problems = [gmv, conversion, suppliers].filter((r) => r.error).map((r) => el("p", { class: "error" }, `Reports: ${r.error}`));
  return el("div", {}, tiles, problems, charts);
}
