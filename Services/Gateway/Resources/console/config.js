// Config and flags: feature flags (on/off, rollout %, whitelist), platform_config values edited as
// JSON, and the change log.
"use strict";
import { api, el, table, act, fields, when, refresh, toast } from "/admin/assets/admin.js";
import { q } from "/admin/assets/widgets.js";

export async function config() {
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
