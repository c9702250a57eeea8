// The customer portal: article search, article pages, registration, tickets (with article suggestions
// while typing, to answer before a ticket is needed), replies and ratings. Plain JS over the JSON API
// (/api/portal); texts come translated from the page (#i18n).
import { api as request, esc, t } from "./common.js";

{
  const articleUrl = (id) => `/portal/articles/${encodeURIComponent(id)}`;

  class ApiError extends Error {}

  async function api(method, url, body) {
    try {
      return await request(method, url, body);
    } catch (err) {
      if (err.offline) throw new ApiError(t("offline"));
      if (err.status === 429) throw new ApiError(t("too_many"));
      throw new ApiError(`${t("failed")} ${err.message}`);
    }
  }


  function showError(form, message) {
    const box = form.querySelector("[data-error]");
    box.textContent = message;
    box.hidden = !message;
  }

  // Runs `send` for a form's submit with the button disabled, so a double click sends once.
  function onSubmit(form, send) {
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const button = form.querySelector("button[type=submit]");
      showError(form, "");
      button.disabled = true;
      try {
        await send(new FormData(form));
      } catch (err) {
        showError(form, err instanceof ApiError ? err.message : t("offline"));
      } finally {
        button.disabled = false;
      }
    });
  }

  // The server's snippet is the one HTML we insert as is: it escapes the text and adds only <mark>.
  const articleItem = (a, attrs = "") => `<li><a href="${esc(articleUrl(a.external_id))}"${attrs}>${esc(a.title)}</a>
    ${a.snippet ? `<p class="snippet">${a.snippet}</p>` : ""}</li>`;

  function articleSearch(form) {
    const box = document.getElementById("article-results");
    const input = form.elements.q;
    let shown = 0;
    async function run(q) {
      const mine = ++shown;
      box.hidden = false;
      box.innerHTML = `<p class="muted">${esc(t("searching"))}</p>`;
      try {
        const found = await api("GET", `/api/portal/articles?limit=10&q=${encodeURIComponent(q)}`);
        if (mine !== shown) return;
        box.innerHTML = found.suggestions.length
          ? `<ul class="article-list">${found.suggestions.map((a) => articleItem(a)).join("")}</ul>`
          : `<p class="empty">${esc(t("no_articles"))}</p>`;
      } catch (err) {
        if (mine === shown) box.innerHTML = `<p class="error" role="alert">${esc(err.message)}</p>`;
      }
    }
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const q = input.value.trim();
      if (!q) return;
      history.replaceState(null, "", `/portal?q=${encodeURIComponent(q)}`);  // a search can be bookmarked and shared
      run(q);
    });
    if (input.value.trim()) run(input.value.trim());
  }

  async function articlePage(box) {
    try {
      const a = await api("GET", `/api/portal/articles/${encodeURIComponent(box.dataset.externalId)}`);
      const paragraphs = String(a.body || "").split(/\n{2,}/).map((p) => `<p>${esc(p)}</p>`).join("");
      const tags = (a.tags || []).map((tag) => `<span class="tag">${esc(tag)}</span>`).join("");
      box.innerHTML = `<h1>${esc(a.title)}</h1><div class="body">${paragraphs}</div>
        <p class="muted">${tags} ${esc(t("updated"))} ${esc(String(a.updated_at || "").slice(0, 10))}</p>`;
      document.title = `${a.title} · ${document.title}`;
    } catch (_) {
      box.innerHTML = `<p class="error" role="alert">${esc(t("article_missing"))}</p>`;
    }
    box.removeAttribute("aria-busy");
  }

  function registerForm(form) {
    onSubmit(form, async (f) => {
      if (f.get("password") !== f.get("password2")) throw new ApiError(t("passwords_differ"));
      const optional = (name) => String(f.get(name) || "").trim() || null;
      await api("POST", "/api/portal/register", {
        username: String(f.get("username")).trim(), password: f.get("password"), name: String(f.get("name")).trim(),
        phone: String(f.get("phone")).trim(), email: optional("email"), reference: optional("reference"),
      });
      location.href = form.dataset.next || "/portal";
    });
  }

  function ticketForm(form) {
    const box = document.getElementById("suggestions");
    const assetId = () => (form.elements.asset_id.value ? Number(form.elements.asset_id.value) : null);
    let timer = null;
    let asked = 0;
    let lastText = "";
    async function suggest() {
      const text = `${form.elements.subject.value}\n${form.elements.description.value}`.trim();
      if (text === lastText) return;
      lastText = text;
      const mine = ++asked;
      if (text.length < 2) { box.hidden = true; return; }
      const body = { text, limit: 5 };
      const product = form.elements.asset_id.selectedOptions[0]?.dataset.product;
      if (product) body.product = product;  // articles about the chosen product first
      try {
        const found = await api("POST", "/api/portal/suggest", body);
        if (mine !== asked) return;  // an older answer arriving late must not replace a newer one
        box.innerHTML = `<h2>${esc(t("suggest_title"))}</h2><ul class="article-list">${found.suggestions.map((a) =>
          articleItem(a, ' target="_blank" rel="noopener"')).join("")}</ul>`;  // a new tab keeps what they typed
        box.hidden = found.suggestions.length === 0;
      } catch (_) {
        if (mine === asked) box.hidden = true;  // suggestions are a help, never in the way of the ticket
      }
    }
    const later = () => { clearTimeout(timer); timer = setTimeout(suggest, 300); };
    form.elements.subject.addEventListener("input", later);
    form.elements.description.addEventListener("input", later);
    form.elements.asset_id.addEventListener("change", () => { lastText = ""; later(); });
    onSubmit(form, async (f) => {
      const body = { kind: f.get("kind"), subject: String(f.get("subject")).trim(), description: String(f.get("description")) };
      if (assetId() !== null) body.asset_id = assetId();
      const ticket = await api("POST", "/api/portal/tickets", body);
      location.href = `/portal/tickets/${ticket.id}`;
    });
  }

  function replyForm(form) {
    onSubmit(form, async (f) => {
      await api("POST", form.dataset.url, { body: String(f.get("body")).trim() });
      location.reload();  // the status may change too (a reply reopens a resolved ticket)
    });
  }

  function ratingForm(form) {
    onSubmit(form, async (f) => {
      if (!f.get("score")) throw new ApiError(t("choose_score"));
      await api("POST", form.dataset.ratingUrl, { score: Number(f.get("score")), comment: String(f.get("comment") || "").trim() });
      location.reload();  // the page then shows the rating as recorded
    });
  }

  const search = document.getElementById("article-search");
  if (search) articleSearch(search);
  const article = document.getElementById("article");
  if (article) articlePage(article);
  const register = document.getElementById("register-form");
  if (register) registerForm(register);
  const ticket = document.getElementById("ticket-form");
  if (ticket) ticketForm(ticket);
  const reply = document.getElementById("reply-form");
  if (reply) replyForm(reply);
  document.querySelectorAll("form.rating-form").forEach(ratingForm);
}
