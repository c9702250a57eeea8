// Knowledge-base suggestions on agent pages: live while the agent types (debounced), from the
// caller's context in the screen-pop, with "helpful / not helpful" votes that re-rank later searches.
import { api, esc, t } from "./common.js";

export const KbSuggest = (function () {
  // Inline SVG rather than 👍/👎: those render as empty boxes on machines without an emoji font.
  const UP = '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3a1.5 1.5 0 0 0-.45-1.06L13.2 1 6.6 7.6A2 2 0 0 0 6 9v10a2 2 0 0 0 2 2h9a2 2 0 0 0 1.84-1.22l3-7.05A2 2 0 0 0 22 12v-2z" fill="currentColor"/></svg>';
  const DOWN = '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M22 3h-4v12h4V3zM2 14a2 2 0 0 0 2 2h6.3l-1 4.6v.3c0 .4.16.78.45 1.06L10.8 23l6.6-6.6A2 2 0 0 0 18 15V5a2 2 0 0 0-2-2H7a2 2 0 0 0-1.84 1.22l-3 7.05A2 2 0 0 0 2 12v2z" fill="currentColor"/></svg>';

  const post = (url, body) => api("POST", url, body);

  // The snippet is HTML made by the server (escaped text, <mark> around matched words).
  function render(panel, result) {
    panel.dataset.query = result.query || "";
    if (!result.suggestions.length) {
      panel.innerHTML = `<p class="empty" data-testid="kb-empty">${esc(t("no_suggestions"))}</p>`;
      return;
    }
    panel.innerHTML = `<ol class="kb-list">${result.suggestions.map((s) => `
      <li data-testid="kb-suggestion" data-article="${s.id}" data-external-id="${esc(s.external_id)}">
        <strong>${esc(s.title)}</strong>${s.public ? "" : ` <span class="tag">${esc(t("internal"))}</span>`}
        <p class="snippet">${s.snippet}</p>
        ${panel.dataset.insert ? `<button type="button" class="insert" data-kb-insert="${s.id}" data-testid="kb-insert">${esc(t("insert_into_reply"))}</button>` : ""}
        <span class="votes"><button type="button" data-vote="1" aria-label="${esc(t("helpful"))}">${UP} ${esc(t("helpful"))}</button>
        <button type="button" data-vote="0" aria-label="${esc(t("not_helpful"))}">${DOWN} ${esc(t("not_helpful"))}</button></span>
      </li>`).join("")}</ol>`;
  }

  async function load(panel, body) {
    panel.setAttribute("aria-busy", "true");
    try { render(panel, await post("/api/kb/suggest", { limit: 5, ...body })); }
    catch (err) { panel.innerHTML = `<p class="error">${esc(err.message)}</p>`; }
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
      if (!text) { panel.innerHTML = ""; return; }
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
      item.querySelector(".votes").innerHTML = `<small class="ok" data-testid="kb-voted">${esc(t("thanks_feedback"))}</small>`;
    } catch (err) { item.querySelector(".votes").insertAdjacentHTML("beforeend", `<small class="error">${esc(err.message)}</small>`); }
  });

  return { load, live };
})();
