// The operator console's core: the API with the operator's token, DOM built from text only (every
// value a supplier or distributor sent is shown as text, never parsed as HTML), the sign-in shared
// with the health page (the token in sessionStorage: this tab only), and a router over the pages.
"use strict";
import { pages } from "/admin/assets/pages.js";

const TOKEN = "token";

/** A refusal from the API, in the words of its problem+json. */
export class ApiError extends Error {
  constructor(status, problem) {
    const words = problem.detail || problem.title || `HTTP ${status}`;
    const fields = (problem.errors || []).map((e) => `${e.field}: ${e.message || e.detail || e.code}`).join("\n");
    super(fields ? `${words}\n${fields}` : words);
    this.status = status;
    this.code = problem.code;
  }
}

/** Calls the public API; JSON in and out (or a body of its own `type`, such as text/csv); a
 * refusal throws ApiError; 401 signs out. */
export async function api(method, path, body, { raw = false, type } = {}) {
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(TOKEN) || ""}` };
  if (body !== undefined) headers["Content-Type"] = type || "application/json";
  const payload = body === undefined ? undefined : type ? body : JSON.stringify(body);
  const response = await fetch(path, { method, headers, body: payload, cache: "no-store" });
  if (response.status === 401 && path !== "/api/v1/auth/token") { signOut("Your session ended: sign in again."); throw new ApiError(401, { detail: "signed out" }); }
  if (raw && response.ok) return response;
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) throw new ApiError(response.status, json || { detail: text.slice(0, 300) });
  return json;
}

/** el("td", { class: "num" }, "12.00"): an element; strings become text nodes, never markup. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A table: columns [{ title, value: (row) => text | Node, class }], rows. */
export function table(columns, rows, empty = "Nothing here.") {
  if (!rows.length) return el("p", { class: "muted" }, empty);
  return el("div", { class: "table-wrap" }, el("table", {},
    el("thead", {}, el("tr", {}, columns.map((c) => el("th", { class: c.class, scope: "col" }, c.title)))),
    el("tbody", {}, rows.map((row) => el("tr", {}, columns.map((c) => el("td", { class: c.class }, c.value(row))))))));
}

/** Shows a message for a few seconds; errors stay longer. */
export function toast(message, error = false) {
  const note = el("div", { class: error ? "error" : "" }, message);
  document.getElementById("toast").append(note);
  setTimeout(() => note.remove(), error ? 9000 : 4000);
}

/** Runs an action from a button or form: disables it meanwhile, shows the API's refusal in words. */
export async function act(control, action, done) {
  if (control) { control.disabled = true; control.setAttribute("aria-busy", "true"); }
  try {
    const result = await action();
    if (done) toast(done);
    return result;
  } catch (error) {
    toast(error.message, true);
    return undefined;
  } finally {
    if (control) { control.disabled = false; control.removeAttribute("aria-busy"); }
  }
}

/** A form's fields by name, trimmed. */
export function fields(form) {
  return Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, typeof v === "string" ? v.trim() : v]));
}

export const pill = (text, colour) => el("span", { class: `pill ${colour || ""}` }, text);
export const when = (iso) => (iso ? new Date(iso).toLocaleString() : "");

// ── sign-in and navigation ──────────────────────────────────────────────────────────────────────

const $ = (id) => document.getElementById(id);

function signOut(reason) {
  sessionStorage.removeItem(TOKEN);
  showSignIn(reason || "");
}

function showSignIn(message) {
  $("nav").hidden = true; $("signout").hidden = true; $("menu").hidden = true; $("who").textContent = "";
  $("view").replaceChildren(signInForm);
  signInForm.hidden = false;
  $("signin-error").textContent = message;
  $("key").focus();
}

// The form is in the page; kept aside while other views show.
const signInForm = $("signin");

signInForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  $("signin-error").textContent = "";
  const button = signInForm.querySelector("button");
  button.disabled = true;
  try {
    const answer = await api("POST", "/api/v1/auth/token", { api_key: $("key").value.trim(), api_secret: $("secret").value });
    sessionStorage.setItem(TOKEN, answer.access_token);
    $("secret").value = "";
    start();
  } catch (error) {
    $("signin-error").textContent = error.status === 401 ? "That key and secret were not accepted." : error.message;
  } finally {
    button.disabled = false;
  }
});

$("signout").addEventListener("click", () => signOut("Signed out."));
$("menu").addEventListener("click", () => {
  const nav = $("nav"), open = nav.classList.toggle("folded") === false;
  $("menu").setAttribute("aria-expanded", String(open));
});

function buildNav() {
  $("nav").replaceChildren(...pages.map((page) => el("a", { href: `#/${page.id}`, "data-page": page.id }, page.title)));
}

// Each showing of a page has a number: a slow one finishing after a newer one shows nothing.
let showing = 0, lastShown = "";

async function route() {
  if (!sessionStorage.getItem(TOKEN)) return showSignIn("");
  const mine = ++showing;
  const id = location.hash.replace(/^#\/?/, "").split("?")[0] || "overview";
  const page = pages.find((p) => p.id === id) || pages[0];
  for (const link of $("nav").querySelectorAll("a")) {
    if (link.dataset.page === page.id) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
  }
  if (window.matchMedia("(max-width: 760px)").matches) $("nav").classList.add("folded");
  const view = $("view");
  // Which page shows, and whether it has loaded (for people's tools and the browser test alike).
  view.dataset.page = page.id;
  view.dataset.state = "loading";
  view.replaceChildren(el("h2", {}, page.title), el("p", { class: "muted" }, "Loading…"));
  document.title = `${page.title} · Hotel Platform Console`;
  let content;
  try {
    content = await page.render();
  } catch (error) {
    content = el("p", { class: "error", role: "alert" }, error.message);
  }
  if (mine !== showing) return;
  view.replaceChildren(el("h2", {}, page.title), content);
  // Another page (or another hotel, tenant...) starts at the top; the same one shown again after
  // an action keeps its place.
  if (location.hash !== lastShown) window.scrollTo(0, 0);
  lastShown = location.hash;
  view.dataset.state = "ready";
  view.focus({ preventScroll: true });
}

/** Shows the current page again (after an action changed what it lists). */
export const refresh = () => route();

function start() {
  signInForm.hidden = true;
  $("nav").hidden = false; $("signout").hidden = false; $("menu").hidden = false;
  $("who").textContent = "signed in";
  buildNav();
  route();
}

window.addEventListener("hashchange", route);
if (sessionStorage.getItem(TOKEN)) start(); else showSignIn("");
