// The customer page: a new ticket with live article suggestions, and answers for the open tickets.
import { api, t } from "./common.js";
import { KbSuggest } from "./kb.js";
import { Offers } from "./offers.js";

const assist = document.getElementById("assist");
if (assist) {
  const customerId = Number(assist.dataset.customer);
  const form = document.getElementById("new-ticket");
  const product = () => {
    const option = form.asset_id.selectedOptions[0];
    return option && option.dataset.model ? { product: option.dataset.model } : {};
  };
  KbSuggest.live(document.getElementById("kb-live"), [form.subject, form.description], product);
  KbSuggest.load(document.getElementById("kb-context"), { customer_id: customerId });
  // What the customer says also makes offers relevant (cue words): refresh them when the agent pauses.
  const offers = document.getElementById("offers");
  Offers.load(offers, customerId, "");
  let offerTimer = null;
  form.description.addEventListener("input", () => {
    clearTimeout(offerTimer);
    offerTimer = setTimeout(() => Offers.load(offers, customerId, `${form.subject.value}\n${form.description.value}`), 600);
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = { kind: form.kind.value, subject: form.subject.value, description: form.description.value,
                   customer_id: customerId, asset_id: form.asset_id.value ? Number(form.asset_id.value) : null };
    const done = document.getElementById("new-ticket-done");
    done.hidden = false;
    try {
      const ticket = await api("POST", "/api/tickets", body);
      done.className = "ok";
      done.replaceChildren(Object.assign(document.createElement("a"), { href: `/desk/tickets/${ticket.id}`, textContent: `${t("ticket_created")} #${ticket.id}` }));
      form.reset();
    } catch (err) {
      done.className = "error";
      done.textContent = err.message;
    }
  });
}
