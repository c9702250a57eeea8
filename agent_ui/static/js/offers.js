// Offers on agent pages: the best offers for the customer with their reasons, and the customer's answer.
import { api, h, t } from "./common.js";

export const Offers = (function () {
  const lang = document.documentElement.lang || "zh-Hant";

  const post = (url, body) => api("POST", url, body);

  async function load(panel, customerId, text) {
    try {
      const offers = await post("/api/offers/suggest", { customer_id: customerId, text: text || "", limit: 3, lang });
      panel.dataset.customer = customerId;
      panel.replaceChildren(offers.length ? h("ul", { class: "offers" }, offers.map((o) =>
        h("li", { "data-testid": "offer", dataset: { offer: o.offer_id } }, h("strong", {}, o.title),
          h("ul", { class: "reasons" }, o.reasons.map((r) => h("li", {}, r))),
          h("span", { class: "answers" }, ["accept", "later", "decline"].map((a) =>
            [h("button", { type: "button", dataset: { answer: a } }, t("offer_" + a)), " "])))))
        : h("p", { class: "empty", "data-testid": "offers-empty" }, t("no_offers")));
    } catch (err) { panel.replaceChildren(h("p", { class: "error" }, err.message)); }
  }

  document.addEventListener("click", async (e) => {
    const button = e.target.closest("[data-answer]");
    if (!button) return;
    const item = button.closest("[data-offer]");
    const panel = button.closest("[data-offers-panel]");
    try {
      await post(`/api/offers/${item.dataset.offer}/responses`, { customer_id: Number(panel.dataset.customer), response: button.dataset.answer });
      item.querySelector(".answers").replaceChildren(h("small", { class: "ok", "data-testid": "offer-answered" },
        `${t("offer_recorded")}: ${t("offer_" + button.dataset.answer)}`));
    } catch (err) { item.querySelector(".answers").append(h("small", { class: "error" }, err.message)); }
  });

  return { load };
})();
