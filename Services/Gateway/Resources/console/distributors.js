// Distributors: tenants (webhook URL and secret, contact, suspension, rate-limit override), their API
// keys (issue, rotate, revoke; a secret shown once) and webhook deliveries with replay.
"use strict";
import { api, el, table, act, fields, pill, when, refresh, toast } from "/admin/assets/admin.js";
import { q, colour, field, choice, hashParams } from "/admin/assets/widgets.js";

export async function distributors() {
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
    keysBox.replaceChildren(await settings(tenant), el("h3", {}, `API keys of ${tenant.name}`), issue,
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
  // The tenant in the hash (#/distributors?tenant=...) stays open when the page shows again.
  const open = tenants.find((t) => t.id === hashParams().get("tenant"));
  if (open) await showKeys(open);
  return el("div", {},
    table([
      { title: "Tenant", value: (t) => el("div", {}, el("strong", {}, t.name), el("div", { class: "muted" }, t.id)) },
      { title: "Kind", value: (t) => t.kind }, { title: "Status", value: (t) => pill(t.status, colour(t.status)) },
      { title: "Webhook", value: (t) => t.webhook_url || "" }, { title: "Since", value: (t) => when(t.created_at) },
      { title: "", class: "actions", value: (t) => el("a", { class: "button quiet", href: `#/distributors?tenant=${q(t.id)}` }, "Manage") },
    ], tenants),
    keysBox);
}

/** The tenant's own fields (the webhook secret write-only) and its rate-limit override. */
async function settings(tenant) {
  const path = `/api/v1/admin/tenants/${q(tenant.id)}`;
  const edit = el("form", { class: "card", "data-tenant-form": tenant.id, onsubmit: async (event) => {
    event.preventDefault();
    const f = fields(event.target);
    const change = {};
    for (const name of ["name", "contact_email", "webhook_url", "status"]) if (f[name] && f[name] !== (tenant[name] || "")) change[name] = f[name];
    if (f.webhook_secret) change.webhook_secret = f.webhook_secret;
    if (!Object.keys(change).length) return toast("Nothing changed.");
    if (await act(event.submitter, () => api("PATCH", path, change), `${tenant.name} saved`) !== undefined) refresh();
  } },
  el("h3", {}, `Settings of ${tenant.name}`),
  el("div", { class: "inline" },
    field("Name", { name: "name", value: tenant.name, maxlength: 200, required: true }),
    field("Contact email", { name: "contact_email", type: "email", value: tenant.contact_email || "", maxlength: 254 }),
    choice("Status", "status", ["active", "suspended"], tenant.status)),
  el("div", { class: "inline" },
    field("Webhook URL", { name: "webhook_url", type: "url", value: tenant.webhook_url || "", maxlength: 2000, size: 40, placeholder: "https://distributor.example/hooks" }),
    field(`Webhook secret (${tenant.has_webhook_secret ? "set; empty: unchanged" : "not set"})`, { name: "webhook_secret", type: "password", minlength: 16, maxlength: 200, autocomplete: "new-password" })),
  el("button", {}, "Save"));
  return el("div", {}, edit, await rateLimit(tenant));
}

/** gateway.rate_limits holds one {max, window_ms} per tenant: this tenant's is set or removed. */
async function rateLimit(tenant) {
  const path = "/api/v1/admin/config/gateway.rate_limits";
  const entry = await api("GET", path).catch((error) => (error.status === 404 ? { value: {}, env: "production" } : Promise.reject(error)));
  const limits = entry.value || {};
  const mine = limits[tenant.id];
  const save = (value) => api("PUT", path, { value, env: entry.env });
  return el("form", { class: "card inline", "data-rate-limit": tenant.id, onsubmit: async (event) => {
    event.preventDefault();
    const f = fields(event.target);
    if (await act(event.submitter, () => save({ ...limits, [tenant.id]: { max: Number(f.max), window_ms: Number(f.window_ms) } }), `${tenant.name}: rate limit set`) !== undefined) refresh();
  } },
  el("p", {}, `Rate-limit override (config gateway.rate_limits, env ${entry.env}): `, mine ? `${mine.max} requests per ${mine.window_ms} ms` : "none; the default applies"),
  field("Requests", { name: "max", type: "number", min: 1, max: 1000000, required: true, value: mine ? mine.max : "" }),
  field("per (ms)", { name: "window_ms", type: "number", min: 1, max: 86400000, required: true, value: mine ? mine.window_ms : 1000 }),
  el("button", {}, "Set the override"),
  mine ? el("button", { type: "button", class: "quiet", onclick: async (event) => {
    const rest = { ...limits };
    delete rest[tenant.id];
    if (await act(event.target, () => save(rest), `${tenant.name}: back to the default limit`) !== undefined) refresh();
  } }, "Remove the override") : null);
}
