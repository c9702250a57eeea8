// The ticket page: suggested articles with "insert into reply", the customer's offers, the composer's
// keys, and who else has the ticket open. The forms themselves are htmx (server-rendered parts).
import { KbSuggest } from "./kb.js";
import { Offers } from "./offers.js";
import { api, fill, h, insertAtCaret, t } from "./common.js";

const page = document.getElementById("ticket");
const ticketId = Number(page.dataset.ticket);
const customerId = Number(page.dataset.customer) || null;
const box = () => document.querySelector("[data-testid=reply-box]");

const kb = document.getElementById("ticket-kb");
if (kb) {
  kb.dataset.insert = "1";
  const body = { text: kb.dataset.text, limit: 5, ...(kb.dataset.product ? { product: kb.dataset.product } : {}) };
  if (customerId) body.customer_id = customerId;
  KbSuggest.load(kb, body);
}
const offers = document.getElementById("offers");
if (offers && customerId) Offers.load(offers, customerId, kb ? kb.dataset.text : "");

document.addEventListener("click", async (e) => {
  const insert = e.target.closest("[data-kb-insert]");
  if (!insert || !box()) return;
  try {
    const article = await api("GET", `/api/kb/articles/${insert.dataset.kbInsert}`);
    insertAtCaret(box(), `${article.title}\n${article.body}`);
    insert.textContent = t("inserted");
  } catch (err) { insert.insertAdjacentText("afterend", ` ${err.message}`); }
});

// A canned reply, filled for this ticket by the server, goes in at the caret.
document.addEventListener("change", async (e) => {
  const picker = e.target.closest("[data-macro-picker]");
  if (!picker || !picker.value || !box()) return;
  try {
    const rendered = await api("POST", `/api/macros/${picker.value}/render`, { ticket_id: ticketId });
    insertAtCaret(box(), rendered.text);
  } catch (err) { picker.insertAdjacentText("afterend", ` ${err.message}`); }
  picker.value = "";
});

// Ctrl/⌘+Enter sends; Alt+N switches between a reply and an internal note; Alt+M picks a canned reply;
// Alt+J opens the next ticket of the agent's view.
document.addEventListener("keydown", (e) => {
  const area = box();
  if (!area) return;
  if ((e.ctrlKey || e.metaKey) && e.key === "Enter" && document.activeElement === area) {
    e.preventDefault();
    area.form.requestSubmit();
  } else if (e.altKey && (e.key === "j" || e.key === "J")) {
    e.preventDefault();
    location.href = `/desk/tickets/${ticketId}/next`;
  } else if (e.altKey && (e.key === "m" || e.key === "M")) {
    const picker = document.querySelector("[data-macro-picker]");
    if (picker) { e.preventDefault(); picker.focus(); }
  } else if (e.altKey && (e.key === "n" || e.key === "N")) {
    e.preventDefault();
    const radios = [...area.form.querySelectorAll("input[name=internal]")];
    const next = radios.find((r) => !r.checked);
    if (next) next.checked = true;
    area.focus();
  }
});

// After htmx swaps the composer in, keep the caret in it (an agent types message after message).
document.body.addEventListener("htmx:afterSwap", (e) => { if (e.detail.target.id === "composer") box()?.focus(); });

// Collision: who else has this ticket open, and who is typing; the conversation follows their changes.
const me = Number(document.getElementById("desk")?.dataset.user) || 0;
const presenceBox = document.getElementById("ticket-presence");
const others = new Map();  // user_id → { name, state, at }
const tell = (state) => window.dispatchEvent(new CustomEvent("desk:send", { detail: { type: "ticket_presence", ticket_id: ticketId, state } }));

function drawPresence() {
  const now = Date.now();
  for (const [id, who] of others) if (now - who.at > 45000 || who.state === "left") others.delete(id);
  presenceBox.replaceChildren(...[...others.values()].map((who) => h("span", { class: `presence presence-${who.state}`, "data-testid": "presence-user", dataset: { state: who.state } },
    who.state === "typing" ? fill(t("is_typing"), { name: who.name }) : fill(t("is_viewing"), { name: who.name }))));
  presenceBox.hidden = others.size === 0;
}

if (presenceBox) {
  window.addEventListener("desk:ready", () => tell("viewing"));
  window.addEventListener("desk:message", (e) => {
    const m = e.detail;
    if (m.ticket_id !== ticketId || m.user_id === me) return;
    if (m.type === "ticket_presence") {
      const known = others.has(m.user_id);
      others.set(m.user_id, { name: m.name, state: m.state, at: Date.now() });
      if (!known && m.state !== "left") tell("viewing");  // a newcomer learns we are here too
      drawPresence();
    } else if (m.type === "ticket_changed") {
      window.htmx.ajax("GET", `/desk/tickets/${ticketId}/conversation`, { target: "#conversation", swap: "outerHTML" });
    }
  });
  let typingUntil = 0;
  box()?.addEventListener("input", () => {
    if (Date.now() > typingUntil) tell("typing");
    typingUntil = Date.now() + 4000;
  });
  setInterval(() => {
    tell(Date.now() < typingUntil ? "typing" : "viewing");
    drawPresence();
  }, 5000);
  window.addEventListener("pagehide", () => tell("left"));
}

