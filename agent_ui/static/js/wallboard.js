// The supervisor's wallboard: snapshots over /ws/supervisor, changes through the REST API.
"use strict";
(function () {
  const T = JSON.parse(document.getElementById("i18n").textContent);
  const t = (k) => T[k] ?? k;
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const status = document.querySelector("[data-testid=ws-status]");
  const toast = document.getElementById("toast");
  const secs = (s) => (s == null ? "—" : s < 60 ? `${Math.round(s)} s` : `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, "0")}`);
  const pct = (x) => (x == null ? "—" : `${Math.round(x * 100)} %`);
  let agents = [];
  let retry = 0;

  async function api(method, url, body) {
    const r = await fetch(url, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!r.ok) { const d = await r.json().catch(() => ({})); throw new Error(d.message || r.statusText); }
  }

  function render(w) {
    agents = w.agents;
    document.getElementById("updated").textContent = new Date(w.at).toLocaleTimeString();
    document.getElementById("no-queues").hidden = w.queues.length > 0;
    document.querySelector("[data-testid=queues] tbody").innerHTML = w.queues.map((q) => `<tr data-queue="${esc(q.queue)}">
      <td>${esc(q.queue)}</td><td data-testid="waiting">${q.waiting}</td><td>${secs(q.longest_wait_seconds)}</td>
      <td>${pct(q.service_level)}</td><td>${q.answered_today}</td><td>${q.abandoned_today}</td><td>${secs(q.average_handle_seconds)}</td></tr>`).join("");
    const states = ["available", "wrap_up", "away", "offline"];
    document.querySelector("[data-testid=agents] tbody").innerHTML = w.agents.map((a) => `<tr data-agent="${a.id}">
      <td>${esc(a.name)}</td><td>${esc(a.extension || "")}</td>
      <td><select data-presence="${a.id}" aria-label="${esc(a.name)}">${states.map((s) => `<option value="${s}"${s === a.presence ? " selected" : ""}>${esc(t("state_" + s))}</option>`).join("")}</select></td>
      <td>${a.on_call ? secs(a.call_seconds) : ""}</td><td>${a.calls_today}</td><td>${a.tickets_resolved_today}</td><td>${a.open_tickets}</td></tr>`).join("");
    document.querySelector("[data-testid=at-risk] tbody").innerHTML = w.at_risk.map((x) => `<tr class="${x.breached ? "warn" : ""}">
      <td>${x.id}</td><td>${esc(x.subject)}</td><td>${esc(t(x.priority))}</td><td>${x.resolution_due ? new Date(x.resolution_due).toLocaleString() : ""}</td>
      <td>${x.escalation_level}</td><td><select data-reassign="${x.id}"><option value="">—</option>${agents.map((a) => `<option value="${a.id}"${a.id === x.assignee_id ? " selected" : ""}>${esc(a.name)}</option>`).join("")}</select></td></tr>`).join("");
  }

  // A new repair flag: a unit, a model (batch defect) or a technician (rework), with its evidence.
  function anomaly(m) {
    if (m.kind === "model") return `${t("repair_anomaly_model")}: ${m.product_model} · ${m.recent_repairs} / ${m.expected}`;
    if (m.kind === "technician") return `${t("repair_anomaly_technician")}: ${m.technician} · ${m.reworks} / ${m.expected}`;
    return `${t("repair_anomaly")}: ${m.external_id || "#" + m.asset_id} ${m.product_model} · ${m.repairs} / ${m.expected}`;
  }

  function connect() {
    const socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/supervisor`);
    socket.onopen = () => { retry = 0; status.dataset.state = "connected"; status.textContent = t("ws_connected"); };
    socket.onmessage = (e) => { const m = JSON.parse(e.data); if (m.type === "wallboard") render(m); else if (m.type === "sla_escalation") toast.textContent = `#${m.ticket_id} ${m.subject}`;
    else if (m.type === "repair_anomaly") toast.textContent = anomaly(m);
    else if (m.type === "repair_flags_found") toast.textContent = t("repair_flags_found").replace("{n}", m.new); };
    socket.onclose = () => { status.dataset.state = "reconnecting"; status.textContent = t("ws_reconnecting"); setTimeout(connect, Math.min(10000, 500 * 2 ** retry++)); };
  }

  document.addEventListener("change", async (e) => {
    const presence = e.target.closest("[data-presence]");
    const reassign = e.target.closest("[data-reassign]");
    try {
      if (presence) await api("PUT", `/api/agents/${presence.dataset.presence}/presence`, { presence: presence.value });
      if (reassign && reassign.value) await api("POST", `/api/tickets/${reassign.dataset.reassign}/assign`, { user_id: Number(reassign.value) });
    } catch (err) { toast.textContent = err.message; }
  });
  connect();
})();
