// The customer page: a new ticket with live article suggestions, and answers for the open tickets.
"use strict";
(function () {
  const assist = document.getElementById("assist");
  if (!assist) return;
  const T = JSON.parse(document.getElementById("i18n").textContent);
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
    const response = await fetch("/api/tickets", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const data = await response.json().catch(() => ({}));
    done.hidden = false;
    done.className = response.ok ? "ok" : "error";
    done.textContent = response.ok ? `${T.ticket_created} #${data.id}` : data.message || response.statusText;
    if (response.ok) form.reset();
  });
})();
