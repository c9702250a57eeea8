// The wallboard: snapshots over /ws/supervisor, drawn as tiles; a supervisor changes presence and
// reassigns from it (REST). `?tv=1` is the same board, large and without controls, for a wall screen.
import { api, clockText, fill, h, label, reconnecting, t } from "./common.js";

const board = document.getElementById("wallboard");
const controls = board.dataset.controls === "1";
const status = document.querySelector("[data-testid=ws-status]");
const toast = document.getElementById("toast");
const STATES = ["available", "wrap_up", "away", "offline"];
const pct = (x) => (x == null ? "—" : `${Math.round(x * 100)}%`);
const secs = (s) => (s == null ? "—" : clockText(s));
let received = Date.now();
let agents = [];

function queueTile(q) {
  return h("div", { class: `tile queue sl-${q.service_level_state || "none"}`, "data-testid": "wallboard-queue", dataset: { queue: q.queue } },
    h("span", { class: "label" }, q.queue),
    h("div", { class: "figures" },
      h("span", { class: "figure" }, h("span", { class: "big", "data-testid": "waiting" }, q.waiting), h("small", {}, t("wb_waiting"))),
      h("span", { class: "figure" }, h("span", { class: "big", "data-testid": "longest-wait", dataset: { base: q.longest_wait_seconds ?? "" } }, secs(q.longest_wait_seconds)), h("small", {}, t("wb_longest_wait"))),
      h("span", { class: "figure" }, h("span", { class: "big", "data-testid": "service-level" }, pct(q.service_level)), h("small", {}, fill(t("wb_service_level"), { target: Math.round(q.service_level_target * 100) }))),
      h("span", { class: "figure" }, h("span", { class: "big", "data-testid": "abandoned" }, q.abandoned_today), h("small", {}, t("wb_abandoned")))),
    h("small", { class: "muted" }, `${t("wb_answered")} ${q.answered_today} · ${t("wb_aht")} ${secs(q.average_handle_seconds)}`));
}

function agentTile(a) {
  const state = a.on_call ? "on_call" : a.presence;
  const since = a.on_call ? a.call_seconds : a.state_seconds;
  return h("li", { class: `tile agent state-${state}`, "data-testid": "wallboard-agent", dataset: { agent: a.id } },
    h("strong", {}, a.name), h("small", {}, a.extension || ""),
    h("span", { class: "agent-state" }, label("presence", state)),
    h("span", { class: "timer", dataset: { base: since ?? "" } }, secs(since)),
    controls ? h("select", { dataset: { presence: a.id }, "aria-label": a.name },
      STATES.map((s) => h("option", { value: s, selected: s === a.presence }, label("presence", s)))) : null,
    h("small", { class: "muted" }, `${t("wb_calls")} ${a.calls_today} · ${t("wb_resolved")} ${a.tickets_resolved_today} · ${t("wb_open")} ${a.open_tickets}`));
}

function nextRow(x) {
  const left = x.due_at ? (Date.parse(x.due_at) - Date.now()) / 1000 : null;
  return h("tr", { dataset: { ticket: x.id } },
    h("td", {}, x.id),
    h("td", {}, h("a", { href: `/desk/tickets/${x.id}`, "data-testid": "ticket-link" }, x.subject)),
    h("td", {}, label("priority", x.priority)),
    h("td", { class: "sla sla-soon", dataset: { due: x.due_at || "" } }, left == null ? "—" : clockText(left)),
    h("td", {}, controls ? h("select", { dataset: { reassign: x.id }, "aria-label": fill(t("wb_reassign"), { id: x.id }) },
      h("option", { value: "" }, t("wb_unassigned")),
      agents.map((a) => h("option", { value: a.id, selected: a.id === x.assignee_id }, a.name))) : x.assignee || t("wb_unassigned")));
}

function render(w) {
  received = Date.now();
  agents = w.agents;
  document.getElementById("updated").textContent = new Date(w.at).toLocaleTimeString(document.documentElement.lang, { timeZone: "Asia/Taipei" });
  document.getElementById("breached").textContent = w.breached;
  board.querySelector("[data-testid=wallboard-breached]").classList.toggle("alert", w.breached > 0);
  document.getElementById("queues").replaceChildren(...w.queues.map(queueTile));
  document.getElementById("no-queues").hidden = w.queues.length > 0;
  document.getElementById("agents").replaceChildren(...w.agents.map(agentTile));
  board.querySelector("[data-testid=at-risk] tbody").replaceChildren(...w.at_risk.map(nextRow));
  document.getElementById("none-next").hidden = w.at_risk.length > 0;
}

// Between snapshots the clocks keep running.
setInterval(() => {
  const elapsed = (Date.now() - received) / 1000;
  for (const el of board.querySelectorAll("[data-base]")) if (el.dataset.base !== "") el.textContent = secs(Number(el.dataset.base) + elapsed);
  for (const el of board.querySelectorAll("[data-due]")) if (el.dataset.due) el.textContent = clockText((Date.parse(el.dataset.due) - Date.now()) / 1000);
}, 1000);

function anomaly(m) {
  if (m.kind === "model") return `${t("repair_anomaly_model")}: ${m.product_model} · ${m.recent_repairs} / ${m.expected}`;
  if (m.kind === "technician") return `${t("repair_anomaly_technician")}: ${m.technician} · ${m.reworks} / ${m.expected}`;
  return `${t("repair_anomaly")}: ${m.external_id || "#" + m.asset_id} ${m.product_model} · ${m.repairs} / ${m.expected}`;
}

reconnecting("/ws/supervisor", {
  onStatus: (state) => { status.dataset.state = state; status.textContent = t("ws_" + state); },
  onMessage: (m) => {
    if (m.type === "wallboard") render(m);
    else if (m.type === "sla_escalation") toast.textContent = `#${m.ticket_id} ${m.subject}`;
    else if (m.type === "repair_anomaly") toast.textContent = anomaly(m);
    else if (m.type === "repair_flags_found") toast.textContent = fill(t("repair_flags_found"), { n: m.new });
  },
});

document.addEventListener("change", async (e) => {
  const presence = e.target.closest("[data-presence]");
  const reassign = e.target.closest("[data-reassign]");
  try {
    if (presence) await api("PUT", `/api/agents/${presence.dataset.presence}/presence`, { presence: presence.value });
    if (reassign && reassign.value) {
      await api("POST", `/api/tickets/${reassign.dataset.reassign}/assign`, { user_id: Number(reassign.value) });
      toast.textContent = t("wb_reassigned");
    }
  } catch (err) { toast.textContent = err.message; }
});
