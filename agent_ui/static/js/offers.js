// Offers on agent pages: the best offers for the customer with their reasons, and the customer's answer.
import { api, esc, t } from "./common.js";

export const Offers = (function () {
  const lang = document.documentElement.lang || "zh-Hant";

  const post = (url, body) => api("POST", url, body);

  async function load(panel, customerId, text) {
    try {
      const offers = await post("/api/offers/suggest", { customer_id: customerId, text: text || "", limit: 3, lang });
      panel.dataset.customer = customerId;
      panel.innerHTML = offers.length ? `<ul class="offers">${offers.map((o) => `
        <li data-testid="offer" data-offer="${o.offer_id}"><strong>${esc(o.title)}</strong>
          <ul class="reasons">${o.reasons.map((r) => `<li>${esc(r)}</li>`).join("")}</ul>
          <span class="answers">${["accept", "later", "decline"].map((a) => `<button type="button" data-answer="${a}">${esc(t("offer_" + a))}</button>`).join(" ")}</span>
        </li>`).join("")}</ul>` : `<p class="empty" data-testid="offers-empty">${esc(t("no_offers"))}</p>`;
    } catch (err) { panel.innerHTML = `<p class="error">${esc(err.message)}</p>`; }
  }

  document.addEventListener("click", async (e) => {
    const button = e.target.closest("[data-answer]");
    if (!button) return;
    const item = button.closest("[data-offer]");
    const panel = button.closest("[data-offers-panel]");
    try {
      await post(`/api/offers/${item.dataset.offer}/responses`, { customer_id: Number(panel.dataset.customer), response: button.dataset.answer });
      item.querySelector(".answers").innerHTML = `<small class="ok" data-testid="offer-answered">${esc(t("offer_recorded"))}: ${esc(t("offer_" + button.dataset.answer))}</small>`;
    } catch (err) { item.querySelector(".answers").insertAdjacentHTML("beforeend", `<small class="error">${esc(err.message)}</small>`); }
  });

  return { load };
})();
