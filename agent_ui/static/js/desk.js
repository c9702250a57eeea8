// The agent's live desk on every agent page: the websocket, the call bar (each call's state, who is
// calling from the first frame, a timer, wrap-up with a disposition), the customer drawer, click-to-dial.
// The bar is fixed at the foot of the window: a call never moves what the agent is typing.
import { KbSuggest } from "./kb.js";
import { Offers } from "./offers.js";
import { api, clockText, fill, h, icon, label, reconnecting, t, when } from "./common.js";

const desk = document.getElementById("desk");
const bar = document.getElementById("call-bar");
const list = document.getElementById("calls");
const drawer = document.getElementById("screen-pop");
const status = document.querySelector("[data-testid=ws-status]");
const toast = document.getElementById("toast");
const STORE = "cc.calls";
const KINDS = ["inquiry", "repair", "complaint", "billing", "installation", "maintenance", "cancellation"];

const say = (text) => { toast.textContent = text; toast.dataset.shown = "1"; };
const setStatus = (state) => { status.dataset.state = state; status.textContent = t("ws_" + state); };

// call_id → { call, pop, phase: ringing | talking | wrap_up | ended, since (ms), name }
const calls = new Map();
let shown = null;  // the call whose customer the drawer shows
let dispositions = null;

function save() {
  // Kept for this tab only: a call waiting for its wrap-up survives opening the ticket it created.
  const kept = [...calls.values()].filter((c) => c.phase === "wrap_up" || c.phase === "talking")
    .map(({ call, phase, since, name, customerId }) => ({ call, phase, since, name, customerId }));
  sessionStorage.setItem(STORE, JSON.stringify(kept));
}

function restore() {
  for (const entry of JSON.parse(sessionStorage.getItem(STORE) || "[]")) calls.set(entry.call.call_id, { ...entry, pop: null, restored: true });
}

function callerName(pop) {
  if (pop.match === "single") return (pop.history && pop.history.customer.name) || (pop.customers[0] && pop.customers[0].name) || "";
  if (pop.match === "several") return t("shared_number_short");
  return t("unknown_caller");
}

function onPop(pop) {
  const key = pop.call.call_id;
  const known = calls.get(key);
  if (known && known.pop && known.pop.complete && !pop.complete) return;  // frames can cross: keep the complete one
  const phase = pop.call.state === "answered" ? "talking" : known && known.phase === "wrap_up" ? "wrap_up" : "ringing";
  const since = known && known.phase === phase ? known.since : Date.now() - (phase === "talking" && pop.call.answered_at ? Date.now() - Date.parse(pop.call.answered_at) : 0);
  const customerId = pop.match === "single" ? (pop.history ? pop.history.customer.id : pop.customers[0] && pop.customers[0].id) : null;
  calls.set(key, { call: pop.call, pop, phase, since, name: callerName(pop), customerId, restored: false });
  render();
  // A call seen for the first time opens the drawer, unless the agent is looking at another call's
  // customer; a call the agent already saw (replayed after opening another page) does not cover the page.
  if (shown === key || (shown === null && !known)) showDrawer(key);
}

function onUpdate(m) {
  const entry = calls.get(m.call.call_id);
  if (!entry) return;
  entry.call = m.call;
  if (m.change === "answered") { entry.phase = "talking"; entry.since = Date.now(); }
  else if (m.change === "ended") { entry.phase = entry.call.answered_at ? "wrap_up" : "ended"; entry.since = Date.now(); entry.change = m.change; }
  else { entry.phase = "ended"; entry.change = m.change; }
  render();
  if (shown === m.call.call_id) showDrawer(shown);
  if (entry.phase === "ended") setTimeout(() => { if (calls.get(m.call.call_id) === entry && entry.phase === "ended") { calls.delete(m.call.call_id); render(); } }, 15000);
}

function stateText(entry) {
  if (entry.phase === "ringing") return t("call_ringing");
  if (entry.phase === "talking") return t("call_answered");
  if (entry.phase === "wrap_up") return t("call_wrap_up");
  return t("change_" + (entry.change || "ended"));
}

async function loadDispositions() {
  if (!dispositions) dispositions = await api("GET", "/api/dispositions");
  return dispositions;
}

function wrapUpForm(entry) {
  const select = h("select", { name: "disposition", required: true, "data-testid": "wrapup-disposition", "aria-label": t("disposition") },
    h("option", { value: "" }, t("choose_disposition")));
  loadDispositions().then((items) => {
    const zh = document.documentElement.lang.startsWith("zh");
    for (const d of items) select.append(h("option", { value: d.code }, zh ? d.label_zh : d.label_en));
  }).catch((err) => say(err.message));
  const note = h("input", { name: "note", maxlength: "2000", placeholder: t("wrapup_note"), "aria-label": t("wrapup_note") });
  const form = h("form", { class: "wrap-up", "data-testid": "wrapup-form" }, select, note,
    h("button", { type: "submit", class: "primary", "data-testid": "wrapup-save", title: "Alt+W" }, t("wrapup_save")));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await api("POST", `/api/calls/${entry.call.id}/wrap-up`, { disposition: select.value, note: note.value });
      calls.delete(entry.call.call_id);
      if (shown === entry.call.call_id) hideDrawer();
      render();
      say(t("wrapup_saved"));
      if (document.getElementById("agent-state").value === "wrap_up") setState("available");
    } catch (err) { say(err.message); }
  });
  return form;
}

function render() {
  list.replaceChildren(...[...calls.values()].map((entry) => {
    const item = h("li", { class: `call call-${entry.phase}`, "data-testid": "call", dataset: { callId: entry.call.call_id } },
      h("span", { class: "call-state", "data-testid": "call-state", dataset: { phase: entry.phase } }, stateText(entry)),
      // elementtiming: the browser reports when this text is painted (bench/pop_render.py reads it).
      h("strong", { "data-testid": "pop-customer-name", elementtiming: `name:${entry.call.call_id}` }, entry.name || entry.call.caller_display || t("withheld")),
      h("small", {}, entry.call.caller_display || entry.call.caller || "", entry.call.queue ? ` · ${entry.call.queue}` : ""),
      entry.phase !== "ended" ? h("span", { class: "timer", "data-testid": "call-timer", dataset: { since: entry.since } }, clockText((Date.now() - entry.since) / 1000)) : null,
      h("button", { type: "button", "data-testid": "show-customer", "data-drawer": entry.call.call_id, "aria-expanded": String(shown === entry.call.call_id) }, t("show_customer")),
      entry.phase === "wrap_up" ? wrapUpForm(entry) : null,
      entry.phase === "ended" ? h("button", { type: "button", "data-dismiss": entry.call.call_id, "aria-label": t("dismiss") }, "×") : null);
    return item;
  }));
  bar.hidden = calls.size === 0;
  document.body.classList.toggle("has-call-bar", calls.size > 0);
  save();
}

setInterval(() => {
  for (const timer of list.querySelectorAll("[data-since]")) timer.textContent = clockText((Date.now() - Number(timer.dataset.since)) / 1000);
}, 1000);

// ---- the customer drawer ---------------------------------------------------------------------------

const phoneButton = (p) => h("button", { type: "button", class: "phone dial", dataset: { dial: p.e164 } }, p.display);
const ticketLine = (x) => h("li", {}, h("span", { class: "kind" }, label("kind", x.kind)), " ",
  h("a", { href: `/desk/tickets/${x.id}`, "data-testid": "ticket-link" }, x.subject), " ",
  h("small", {}, `${when(x.created_at).slice(0, 10)} · ${label("status", x.status)}`));
const empty = () => h("li", { class: "empty" }, t("none"));

function repairFlag(f) {
  if (!f) return null;
  return h("span", { class: "badge-alert", "data-testid": "repair-flag", title: `${t("repair_flag_since")} ${f.first_flagged_on} · ${t("repair_flag_episodes")}` },
    icon("warn"), " ", fill(t("repair_flag"), { repairs: f.repairs, expected: Number(f.expected).toFixed(1) }));
}

function singleView(pop) {
  const hist = pop.history;
  const c = hist ? hist.customer : pop.customers[0];
  const head = h("h2", {}, h("a", { href: `/desk/customers/${c.id}`, "data-testid": "pop-customer" }, c.name), " ",
    h("span", { class: `tier tier-${c.value_tier}` }, label("tier", c.value_tier)));
  const who = [head, c.taboos ? h("p", { class: "warn" }, icon("warn"), " ", c.taboos) : null,
    c.preferences ? h("p", { class: "muted" }, c.preferences) : null, h("p", {}, (c.phones || []).map(phoneButton))];
  if (!hist) return [...who, h("p", { class: "muted", "aria-busy": "true" }, t("loading_history"))];
  return [...who, h("div", { class: "grid2" },
    h("div", {},
      h("h3", { elementtiming: `history:${pop.call.call_id}` }, `${t("open_tickets")} (${hist.open_tickets_total})`), h("ul", { class: "tickets" }, hist.open_tickets.slice(0, 5).map(ticketLine).concat(hist.open_tickets.length ? [] : [empty()])),
      h("h3", {}, `${t("recent_tickets")} (${hist.tickets.total})`), h("ul", { class: "tickets" }, hist.tickets.items.slice(0, 5).map(ticketLine))),
    h("div", {},
      h("h3", {}, t("products")), h("ul", {}, hist.assets.length ? hist.assets.map((a) => h("li", { dataset: { asset: a.id } },
        a.product_name || a.product_model, " ", h("span", { class: `state state-${a.warranty_state}` }, label("warranty", a.warranty_state)),
        ` · ${t("repairs")} ${a.repairs}`, repairFlag(a.repair_flag))) : [empty()]),
      h("h3", {}, `${t("contacts")} (${hist.interactions_total})`), h("ul", { class: "contacts" }, hist.interactions.slice(0, 3).map((i) =>
        h("li", {}, `${when(i.started_at).slice(0, 10)} ${label("channel", i.channel)} ${i.summary || ""}`)).concat(hist.interactions.length ? [] : [empty()])),
      h("p", {}, `${t("repairs")}: ${hist.repairs.total} · ${t("satisfaction")}: ${hist.satisfaction.average ?? "—"} · NT$ ${hist.value.lifetime_amount.toLocaleString()}`))),
    h("div", { class: "grid2 pop-assist" },
      h("div", {}, h("h3", {}, t("suggested_answers")), h("div", { "data-kb-panel": true, "data-testid": "pop-kb" })),
      h("div", {}, h("h3", {}, t("offers")), h("div", { "data-offers-panel": true, "data-testid": "pop-offers" })))];
}

function severalView(pop) {
  return [h("h2", {}, t("shared_number")), h("ul", { class: "chooser" }, pop.customers.map((c) =>
    h("li", {}, h("a", { href: `/desk/customers/${c.id}` }, c.name), " ", h("small", {}, c.city || ""))))];
}

function unknownView(entry) {
  const results = h("ul", { id: "attach-results" });
  const name = h("input", { name: "name", required: true, placeholder: t("name"), "aria-label": t("name") });
  const create = h("form", { class: "inline-form", onsubmit: async (e) => {
    e.preventDefault();
    try { const c = await api("POST", "/api/customers", { name: name.value, phones: [entry.call.caller] }); location.href = `/desk/customers/${c.id}`; }
    catch (err) { say(err.message); }
  } }, name, h("button", { class: "primary", type: "submit" }, t("create_customer")));
  const q = h("input", { name: "q", required: true, placeholder: t("find_customer"), "aria-label": t("find_customer") });
  const find = h("form", { class: "inline-form", onsubmit: async (e) => {
    e.preventDefault();
    const found = await api("GET", `/api/customers?limit=5&q=${encodeURIComponent(q.value)}`);
    results.replaceChildren(...(found.items.length ? found.items.map((c) => h("li", {}, h("button", { type: "button", onclick: async () => {
      try { await api("POST", `/api/customers/${c.id}/phones`, { number: entry.call.caller }); location.href = `/desk/customers/${c.id}`; }
      catch (err) { say(err.message); }
    } }, `${c.name} ${c.city || ""}`))) : [empty()]));
  } }, q, h("button", { type: "submit" }, t("attach_number")));
  return [h("h2", {}, t("unknown_caller")), create, find, results];
}

function ticketForm(entry) {
  const subject = h("input", { name: "subject", required: true, maxlength: "300", placeholder: t("ticket_subject"), "aria-label": t("ticket_subject") });
  const kind = h("select", { name: "kind", "aria-label": t("kind") }, KINDS.map((k) => h("option", { value: k }, label("kind", k))));
  const button = h("button", { class: "primary", type: "submit", disabled: !entry.call.id }, t("create_ticket"));
  return h("form", { class: "inline-form", "data-testid": "ticket-from-call", onsubmit: async (e) => {
    e.preventDefault();
    try {
      const ticket = await api("POST", `/api/calls/${entry.call.id}/ticket`, { subject: subject.value, kind: kind.value });
      entry.call.ticket_id = ticket.id;
      save();
      location.href = `/desk/tickets/${ticket.id}`;
    } catch (err) { say(err.message); }
  } }, subject, kind, button);
}

function showDrawer(key) {
  const entry = calls.get(key);
  if (!entry) return hideDrawer();
  shown = key;
  const pop = entry.pop;
  const body = !pop ? [h("h2", {}, entry.name || entry.call.caller_display || "")]
    : pop.match === "single" ? singleView(pop) : pop.match === "several" ? severalView(pop) : unknownView(entry);
  drawer.replaceChildren(...[
    h("header", { class: "pop-head" },
      h("span", { class: "ringing", "data-testid": "call-state" }, stateText(entry)),
      h("strong", { "data-testid": "pop-caller" }, entry.call.caller_display || entry.call.caller || t("withheld")),
      h("small", {}, entry.call.queue || ""),
      h("button", { type: "button", class: "close", "data-close-drawer": true, "aria-label": t("close") }, "×")),
    ...body,
    entry.call.ticket_id ? h("p", {}, h("a", { href: `/desk/tickets/${entry.call.ticket_id}`, "data-testid": "ticket-link" }, `${t("ticket_created")} #${entry.call.ticket_id}`))
      : entry.phase !== "ended" ? ticketForm(entry) : null].filter(Boolean));
  drawer.hidden = false;
  drawer.dataset.callId = key;
  drawer.dataset.complete = pop && pop.complete ? "1" : "0";
  if (pop && pop.match === "single" && pop.complete && pop.history) {
    KbSuggest.load(drawer.querySelector("[data-testid=pop-kb]"), { customer_id: pop.history.customer.id, limit: 3 });
    Offers.load(drawer.querySelector("[data-testid=pop-offers]"), pop.history.customer.id, "");
  }
  render();
}

function hideDrawer() { shown = null; drawer.hidden = true; render(); }

// ---- socket, dialling, state ------------------------------------------------------------------------

let link = null;
function send(message) { if (link && link.send(message)) return true; say(t("offline")); return false; }
function setState(state) { document.getElementById("agent-state").value = state; send({ type: "state", state }); }

// Other parts of the page (the ticket page's collision) talk through the same socket, by events.
window.addEventListener("desk:send", (e) => { if (link) link.send(e.detail); });

function handle(m) {
  window.dispatchEvent(new CustomEvent("desk:message", { detail: m }));
  if (m.type === "ready") window.dispatchEvent(new CustomEvent("desk:ready"));
  if (m.type === "screen_pop") onPop(m);
  else if (m.type === "call_update") onUpdate(m);
  else if (m.type === "dial_result") say(m.ok ? t("dial_ok") + " " + m.number : t("dial_failed") + " " + (m.code ? t("dial_" + m.code) : m.reason || ""));
  else if (m.type === "display") location.href = m.customer_id ? `/desk/customers/${m.customer_id}` : `/desk/tickets/${m.ticket_id}`;
  else if (m.type === "state") say(t("state_" + m.state));
  else if (m.type === "reminder") say(`${t("reminder")}: ${m.title}`);
  else if (m.type === "sla_escalation") say(`${t("sla_warning")} #${m.ticket_id} ${m.subject}`);
}

document.addEventListener("click", async (e) => {
  const dial = e.target.closest("[data-dial]");
  if (dial) { e.preventDefault(); if (send({ type: "dial", number: dial.dataset.dial })) say(`${t("dialling")} ${dial.textContent}`); return; }
  const open = e.target.closest("[data-drawer]");
  if (open) { if (shown === open.dataset.drawer) hideDrawer(); else showDrawer(open.dataset.drawer); return; }
  if (e.target.closest("[data-close-drawer]")) { hideDrawer(); return; }
  const dismiss = e.target.closest("[data-dismiss]");
  if (dismiss) { calls.delete(dismiss.dataset.dismiss); if (shown === dismiss.dataset.dismiss) hideDrawer(); render(); return; }
  const outcome = e.target.closest("[data-outcome]");
  if (outcome) {
    try { await api("POST", `/api/tasks/${outcome.dataset.taskId}/done`, { outcome: outcome.dataset.outcome }); outcome.closest("tr").remove(); say(t("task_done")); }
    catch (err) { say(err.message); }
  }
});

// Alt+W: to the wrap-up of the oldest call waiting for one.
document.addEventListener("keydown", (e) => {
  if (e.altKey && (e.key === "w" || e.key === "W")) {
    const select = list.querySelector("[data-testid=wrapup-disposition]");
    if (select) { e.preventDefault(); select.focus(); }
  }
});

document.getElementById("agent-state").addEventListener("change", (e) => send({ type: "state", state: e.target.value }));

if (desk) {
  restore();
  render();
  link = reconnecting("/ws/agent", { onMessage: handle, onStatus: setStatus });
  // Calls remembered from the page before that the server no longer has live are over: wrap them up.
  setTimeout(() => {
    for (const entry of calls.values()) if (entry.restored && entry.phase === "talking") entry.phase = "wrap_up";
    render();
  }, 3000);
}
