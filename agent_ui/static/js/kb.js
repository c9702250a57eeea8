// Knowledge-base suggestions on agent pages: live while the agent types (debounced), from the
// caller's context in the screen-pop, with "helpful / not helpful" votes that re-rank later searches.
import { api, h, icon, t } from "./common.js";

export const KbSuggest = (function () {
  const post = (url, body) => api("POST", url, body);

  // The snippet is the one piece of HTML, made by the server: the body's text escaped there, with <mark>
  // around the matched words. Everything else is built as nodes.
  function snippet(html) {
    const p = h("p", { class: "snippet" });
    p.innerHTML = html;
    return p;
  }

  function render(panel, result) {
    panel.dataset.query = result.query || "";
    if (!result.suggestions.length) {
      panel.replaceChildren(h("p", { class: "empty", "data-testid": "kb-empty" }, t("no_suggestions")));
      return;
    }
    panel.replaceChildren(h("ol", { class: "kb-list" }, result.suggestions.map((s) =>
      h("li", { "data-testid": "kb-suggestion", dataset: { article: s.id, externalId: s.external_id } },
        h("strong", {}, s.title), s.public ? null : [" ", h("span", { class: "tag" }, t("internal"))],
        snippet(s.snippet),
        panel.dataset.insert ? h("button", { type: "button", class: "insert", "data-testid": "kb-insert", dataset: { kbInsert: s.id } }, t("insert_into_reply")) : null,
        h("span", { class: "votes" },
          h("button", { type: "button", dataset: { vote: "1" }, "aria-label": t("helpful") }, icon("up"), " ", t("helpful")), " ",
          h("button", { type: "button", dataset: { vote: "0" }, "aria-label": t("not_helpful") }, icon("down"), " ", t("not_helpful")))))));
  }

  async function load(panel, body) {
    panel.setAttribute("aria-busy", "true");
    try { render(panel, await post("/api/kb/suggest", { limit: 5, ...body })); }
    catch (err) { panel.replaceChildren(h("p", { class: "error" }, err.message)); }
    finally { panel.removeAttribute("aria-busy"); }
  }

  // Suggestions follow the text of `fields` (inputs/textareas) as the agent types.
  function live(panel, fields, extra) {
    let timer = null;
    let last = "";
    const run = () => {
      const text = fields.map((f) => f.value.trim()).filter(Boolean).join("\n");
      if (text === last) return;
      last = text;
      if (!text) { panel.replaceChildren(); return; }
      load(panel, { text, ...(extra ? extra() : {}) });
    };
    fields.forEach((f) => f.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 300); }));
  }

  document.addEventListener("click", async (e) => {
    const vote = e.target.closest("[data-vote]");
    if (!vote) return;
    const item = vote.closest("[data-article]");
    const panel = vote.closest("[data-kb-panel]");
    try {
      await post(`/api/kb/articles/${item.dataset.article}/feedback`, { helpful: vote.dataset.vote === "1", query: panel ? panel.dataset.query || "" : "" });
      item.querySelector(".votes").replaceChildren(h("small", { class: "ok", "data-testid": "kb-voted" }, t("thanks_feedback")));
    } catch (err) { item.querySelector(".votes").append(h("small", { class: "error" }, err.message)); }
  });

  return { load, live };
})();
