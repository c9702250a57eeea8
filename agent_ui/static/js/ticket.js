// The ticket page: suggested articles with "insert into reply", the customer's offers, the composer's
// keys, and who else has the ticket open. The forms themselves are htmx (server-rendered parts).
import { api, insertAtCaret, t } from "./common.js";

const page = document.getElementById("ticket");
const ticketId = Number(page.dataset.ticket);
const customerId = Number(page.dataset.customer) || null;
const box = () => document.querySelector("[data-testid=reply-box]");

const kb = document.getElementById("ticket-kb");
if (kb) {
  kb.dataset.insert = "1";
  const body = { text: kb.dataset.text, limit: 5, ...(kb.dataset.product ? { product: kb.dataset.product } : {}) };
  if (customerId) body.customer_id = customerId;
  window.KbSuggest.load(kb, body);
}
const offers = document.getElementById("offers");
if (offers && customerId) window.Offers.load(offers, customerId, kb ? kb.dataset.text : "");

document.addEventListener("click", async (e) => {
  const insert = e.target.closest("[data-kb-insert]");
  if (!insert || !box()) return;
  try {
    const article = await api("GET", `/api/kb/articles/${insert.dataset.kbInsert}`);
    insertAtCaret(box(), `${article.title}\n${article.body}`);
    insert.textContent = t("inserted");
  } catch (err) { insert.insertAdjacentText("afterend", ` ${err.message}`); }
});

// Ctrl/⌘+Enter sends; Alt+N switches between a reply and an internal note.
document.addEventListener("keydown", (e) => {
  const area = box();
  if (!area) return;
  if ((e.ctrlKey || e.metaKey) && e.key === "Enter" && document.activeElement === area) {
    e.preventDefault();
    area.form.requestSubmit();
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

export { ticketId };
