// The agent desktop: a websocket to /ws/agent (session cookie), screen-pops, click-to-dial.
// Plain JS, no build step, served locally. Texts come translated from the page (#i18n).
"use strict";
(function () {
  const T = JSON.parse(document.getElementById("i18n").textContent);
  const desk = document.getElementById("desk");
  const popBox = document.getElementById("screen-pop");
  const status = document.querySelector("[data-testid=ws-status]");
  const toast = document.getElementById("toast");
  let socket = null;
  let retry = 0;
  let currentCall = null;

  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const say = (text) => { toast.textContent = text; toast.dataset.shown = "1"; };
  const setStatus = (state) => { status.dataset.state = state; status.textContent = T["ws_" + state]; };
  const t = (key) => T[key] ?? key;

  function connect() {
    setStatus(retry ? "reconnecting" : "connecting");
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}/ws/agent`);
    socket.onopen = () => { retry = 0; setStatus("connected"); };
    socket.onmessage = (e) => handle(JSON.parse(e.data));
    socket.onclose = () => {
      setStatus("reconnecting");
      const delay = Math.min(10000, 500 * 2 ** retry++) * (0.5 + Math.random() / 2);
      setTimeout(connect, delay);
    };
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(message)); return true; }
    say(t("offline")); return false;
  }

  function handle(m) {
    if (m.type === "screen_pop") showPop(m);
    else if (m.type === "call_update") updateCall(m);
    else if (m.type === "dial_result") say(m.ok ? t("dial_ok") + " " + m.number : t("dial_failed") + " " + (m.code ? t("dial_" + m.code) : m.reason || ""));
    else if (m.type === "display") location.href = m.customer_id ? `/desk/customers/${m.customer_id}` : `/desk?ticket=${m.ticket_id}`;
    else if (m.type === "state") say(t("state_" + m.state));
    else if (m.type === "reminder") say(`${t("reminder")}: ${m.title}`);
    else if (m.type === "sla_escalation") say(`${t("sla_warning")} #${m.ticket_id} ${m.subject}`);
  }

  const phoneButton = (p) => `<button type="button" class="phone dial" data-dial="${esc(p.e164)}">${esc(p.display)}</button>`;
  const ticketLine = (x) => `<li><span class="kind">${esc(t(x.kind))}</span> ${esc(x.subject)} <small>${esc(x.created_at.slice(0, 10))} · ${esc(t(x.status))}</small></li>`;

  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));
  // A unit QA flagged as repaired abnormally often: the agent should know before offering another repair.
  const repairFlag = (f) => (f ? ` <span class="badge-alert" data-testid="repair-flag" title="${esc(t("repair_flag_since"))} ${esc(f.first_flagged_on)} · ${esc(t("repair_flag_episodes"))}">⚠ ${esc(fill(t("repair_flag"), { repairs: f.repairs, expected: Number(f.expected).toFixed(1) }))}</span>` : "");

  function singleView(h) {
    const c = h.customer;
    const assets = h.assets.map((a) => `<li data-asset="${a.id}">${esc(a.product_name || a.product_model)} <span class="state state-${esc(a.warranty_state)}">${esc(t(a.warranty_state))}</span> · ${esc(t("repairs"))} ${a.repairs}${repairFlag(a.repair_flag)}</li>`).join("");
    return `<h2><a href="/desk/customers/${c.id}" data-testid="pop-customer">${esc(c.name)}</a> <span class="tier tier-${esc(c.value_tier)}">${esc(t(c.value_tier))}</span></h2>
      ${c.taboos ? `<p class="warn">⚠ ${esc(c.taboos)}</p>` : ""}
      ${c.preferences ? `<p class="muted">${esc(c.preferences)}</p>` : ""}
      <p>${c.phones.map(phoneButton).join("")}</p>
      <div class="grid2">
        <div><h3>${esc(t("open_tickets"))} (${h.open_tickets_total})</h3><ul class="tickets">${h.open_tickets.slice(0, 5).map(ticketLine).join("") || `<li class="empty">${esc(t("none"))}</li>`}</ul>
             <h3>${esc(t("recent_tickets"))} (${h.tickets.total})</h3><ul class="tickets">${h.tickets.items.slice(0, 5).map(ticketLine).join("")}</ul></div>
        <div><h3>${esc(t("products"))}</h3><ul>${assets || `<li class="empty">${esc(t("none"))}</li>`}</ul>
             <h3>${esc(t("contacts"))} (${h.interactions_total})</h3><ul class="contacts">${h.interactions.slice(0, 3).map((i) =>
               `<li>${esc(i.started_at.slice(0, 10))} ${esc(t(i.channel))} ${esc(i.summary || "")}</li>`).join("") || `<li class="empty">${esc(t("none"))}</li>`}</ul>
             <p>${esc(t("repairs"))}: ${h.repairs.total} · ${esc(t("satisfaction"))}: ${h.satisfaction.average ?? "—"} · NT$ ${h.value.lifetime_amount.toLocaleString()}</p></div>
      </div>`;
  }

  function severalView(customers) {
    return `<h2>${esc(t("shared_number"))}</h2><ul class="chooser">${customers.map((c) =>
      `<li><a href="/desk/customers/${c.id}">${esc(c.name)}</a> <small>${esc(c.city || "")}</small></li>`).join("")}</ul>`;
  }

  function unknownView(call) {
    return `<h2>${esc(t("unknown_caller"))}</h2>
      <form id="new-customer" class="inline-form"><input name="name" required placeholder="${esc(t("name"))}" aria-label="${esc(t("name"))}">
        <button class="primary" type="submit">${esc(t("create_customer"))}</button></form>
      <form id="attach-number" class="inline-form"><input name="q" required placeholder="${esc(t("find_customer"))}" aria-label="${esc(t("find_customer"))}">
        <button type="submit">${esc(t("attach_number"))}</button></form><ul id="attach-results"></ul>`;
  }

  let currentComplete = false;

  function showPop(pop) {
    // A ringing call pops twice: first who is calling, then with the history and the call's record.
    const sameCall = currentCall && currentCall.call_id === pop.call.call_id;
    if (sameCall && currentComplete && !pop.complete) return;
    currentComplete = pop.complete;
    currentCall = pop.call;
    const call = pop.call;
    const body = pop.match === "single" ? singleView(pop.history) : pop.match === "several" ? severalView(pop.customers) : unknownView(call);
    popBox.innerHTML = `<header class="pop-head"><span class="ringing" data-testid="call-state">${esc(t("call_" + call.state))}</span>
        <strong data-testid="pop-caller">${esc(call.caller_display || call.caller || t("withheld"))}</strong> <small>${esc(call.queue || "")}</small></header>${body}
      <form id="ticket-from-call" class="inline-form"><input name="subject" required placeholder="${esc(t("ticket_subject"))}" aria-label="${esc(t("ticket_subject"))}">
        <select name="kind" aria-label="${esc(t("kind"))}">${["inquiry", "repair", "complaint", "billing", "installation", "maintenance", "cancellation"].map((k) => `<option value="${k}">${esc(t(k))}</option>`).join("")}</select>
        <button class="primary" type="submit">${esc(t("create_ticket"))}</button></form>`;
    if (pop.match === "single" && pop.complete) {
      // The pop's assist slots: answers for the caller's open tickets and the offers that fit them.
      popBox.insertAdjacentHTML("beforeend", `<div class="grid2 pop-assist"><div><h3>${esc(t("suggested_answers"))}</h3>
        <div data-kb-panel data-testid="pop-kb"></div></div><div><h3>${esc(t("offers"))}</h3>
        <div data-offers-panel data-testid="pop-offers"></div></div></div>`);
      KbSuggest.load(popBox.querySelector("[data-testid=pop-kb]"), { customer_id: pop.history.customer.id, limit: 3 });
      Offers.load(popBox.querySelector("[data-testid=pop-offers]"), pop.history.customer.id, "");
    }
    popBox.hidden = false;
    popBox.dataset.callId = call.call_id;
    popBox.dataset.complete = pop.complete ? "1" : "0";
    bindPopForms(pop);
    if (!call.id) popBox.querySelector("#ticket-from-call button").disabled = true;  // the call's row is on its way
  }

  function updateCall(m) {
    if (!currentCall || m.call.call_id !== currentCall.call_id) return;
    currentCall = m.call;
    const label = popBox.querySelector("[data-testid=call-state]");
    if (label) label.textContent = t("change_" + m.change);
    if (m.change === "missed" || m.change === "transferred") popBox.classList.add("faded");
  }

  async function api(method, url, body) {
    const response = await fetch(url, { method, headers: { "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.message || response.statusText);
    return data;
  }

  function bindPopForms(pop) {
    const ticketForm = document.getElementById("ticket-from-call");
    ticketForm.onsubmit = async (e) => {
      e.preventDefault();
      const f = new FormData(ticketForm);
      try {
        const ticket = await api("POST", `/api/calls/${pop.call.id}/ticket`, { subject: f.get("subject"), kind: f.get("kind") });
        say(`${t("ticket_created")} #${ticket.id}`);
        ticketForm.replaceWith(Object.assign(document.createElement("p"), { className: "ok", textContent: `${t("ticket_created")} #${ticket.id}` }));
      } catch (err) { say(err.message); }
    };
    const create = document.getElementById("new-customer");
    if (create) create.onsubmit = async (e) => {
      e.preventDefault();
      try {
        const c = await api("POST", "/api/customers", { name: new FormData(create).get("name"), phones: [pop.call.caller] });
        location.href = `/desk/customers/${c.id}`;
      } catch (err) { say(err.message); }
    };
    const attach = document.getElementById("attach-number");
    if (attach) attach.onsubmit = async (e) => {
      e.preventDefault();
      const found = await api("GET", `/api/customers?limit=5&q=${encodeURIComponent(new FormData(attach).get("q"))}`);
      document.getElementById("attach-results").innerHTML = found.items.map((c) =>
        `<li><button type="button" data-attach="${c.id}">${esc(c.name)} ${esc(c.city || "")}</button></li>`).join("") || `<li class="empty">${esc(t("none"))}</li>`;
    };
  }

  document.addEventListener("click", async (e) => {
    const dial = e.target.closest("[data-dial]");
    if (dial) { e.preventDefault(); if (send({ type: "dial", number: dial.dataset.dial })) say(`${t("dialling")} ${dial.textContent}`); return; }
    const outcome = e.target.closest("[data-outcome]");
    if (outcome) {
      try {
        await api("POST", `/api/tasks/${outcome.dataset.taskId}/done`, { outcome: outcome.dataset.outcome });
        outcome.closest("tr").remove();
        say(t("task_done"));
      } catch (err) { say(err.message); }
      return;
    }
    const attach = e.target.closest("[data-attach]");
    if (attach && currentCall) {
      try { await api("POST", `/api/customers/${attach.dataset.attach}/phones`, { number: currentCall.caller }); location.href = `/desk/customers/${attach.dataset.attach}`; }
      catch (err) { say(err.message); }
    }
  });
  document.getElementById("agent-state").addEventListener("change", (e) => send({ type: "state", state: e.target.value }));
  if (desk) connect();
})();
