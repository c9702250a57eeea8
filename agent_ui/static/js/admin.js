// Admin pages: the article editor (save, edit history, "test this article"), synonym groups and the
// offer form. Plain JS over the JSON API (/api/kb, /api/offers): the API's checks are the only ones and
// its messages are shown next to the fields they name. Texts come translated from the page (#i18n).
import { api as request, esc, fill, t } from "./common.js";

{
  const json = (id) => JSON.parse(document.getElementById(id)?.textContent || "null");
  // Chinese keyboards type the full-width comma or 、 as readily as ",".
  const list = (text) => String(text || "").split(/[,，、]/).map((s) => s.trim()).filter(Boolean);
  const when = (iso) => {
    const d = new Date(iso);
    return isNaN(d) ? String(iso || "") : d.toLocaleString(document.documentElement.lang, { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Taipei" });
  };

  class ApiError extends Error {
    constructor(message, problems) { super(message); this.problems = problems; }
  }

  // The API's complaints as "field: message" lines: a 422 lists them in `detail` (offers) or says one
  // in `message` (articles); a 400 from the request decoder gives {key, message} objects.
  function problemsOf(data, fallback) {
    const detail = Array.isArray(data.detail) ? data.detail : [];
    const lines = detail.map((d) => (typeof d === "string" ? d : [d.key, d.message].filter(Boolean).join(": ")));
    // `field` names the input a single message is about, in any language the message is shown in.
    const one = data.message || fallback;
    return lines.length ? lines : [data.field && !one.startsWith(data.field) ? `${data.field}: ${one}` : one];
  }

  async function api(method, url, body) {
    try {
      return await request(method, url, body);
    } catch (err) {
      if (err.offline) throw new ApiError(t("offline"), [t("offline")]);
      throw new ApiError(err.message, problemsOf(err.data || {}, err.message));
    }
  }


  // Puts each problem next to the field it names ("rules.tiers[0]: …" → tiers) and lists them all in
  // the form's summary, which screen readers announce.
  function showProblems(form, problems) {
    form.querySelectorAll("[data-problem-for]").forEach((p) => { p.hidden = true; p.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    const summary = form.querySelector("[data-error]");
    summary.hidden = !problems.length;
    if (!problems.length) { summary.innerHTML = ""; return; }
    let marked = false;
    for (const problem of problems) {
      const name = (/^(?:rules\.)?([a-z_]+)(?:\[\d+\])?[:\s]/.exec(problem) || [])[1];
      const slot = name && form.querySelector(`[data-problem-for="${name}"]`);
      if (!slot) continue;
      const said = problem.replace(/^(?:rules\.)?[a-z_]+(?:\[\d+\])?:\s*/, "");  // the slot is next to the field already
      slot.textContent = slot.textContent ? `${slot.textContent} ${said}` : said;
      slot.hidden = false;
      form.querySelectorAll(`[name="${name}"]`).forEach((el) => el.setAttribute("aria-invalid", "true"));
      marked = true;
    }
    summary.innerHTML = `${marked ? `<p>${esc(t("fix_marked"))}</p>` : ""}<ul>${problems.map((p) => `<li>${esc(p)}</li>`).join("")}</ul>`;
    form.querySelector("[aria-invalid]")?.focus();
  }

  // Runs `save` on submit with the button disabled, so a double click sends once.
  function onSubmit(form, save) {
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      try {
        await save(form.elements);
        showProblems(form, []);
      } catch (err) {
        showProblems(form, err instanceof ApiError ? err.problems : [`${t("failed")} ${err.message}`]);
      } finally {
        button.disabled = false;
      }
    });
  }

  // -- articles -----------------------------------------------------------------------------------

  const FIELDS = ["title", "body", "lang", "tags", "product", "category", "public", "status"];
  const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

  function articleEditor(form) {
    const id = form.dataset.articleId;
    const saved = form.querySelector("[data-saved]");
    form.addEventListener("input", () => { saved.hidden = true; });
    onSubmit(form, async (f) => {
      const body = { title: f.title.value, body: f.body.value, lang: f.lang.value, tags: list(f.tags.value),
        product: f.product.value.trim() || null, category: f.category.value.trim() || null,
        public: f.public.value === "true", status: f.status.value };
      if (!id) {
        if (f.external_id.value.trim()) body.external_id = f.external_id.value.trim();
        const created = await api("POST", "/api/kb/articles", body);
        location.assign(`/admin/kb/${created.id}?saved=true`);
        return;
      }
      const article = await api("PUT", `/api/kb/articles/${id}`, body);
      articleShown(article);
      saved.hidden = false;
      await history(document.querySelector("[data-history]"));
    });
  }

  // The heading and status badge follow what was saved, and the history compares against it.
  function articleShown(article) {
    document.getElementById("article-data").textContent = JSON.stringify(article);
    document.querySelector("[data-testid=article-heading]").textContent = article.title;
    const badge = document.querySelector("[data-testid=article-status]");
    badge.textContent = t(article.status);
    badge.className = `badge badge-${article.status}`;
  }

  const shownValue = (field, value) => {
    if (field === "public") return t(value ? "visible_public" : "visible_internal");
    if (field === "status") return t(value);
    if (field === "lang") return t(`lang_${value}`);
    if (Array.isArray(value)) return value.join(", ") || "—";
    return value ?? "—";
  };

  // Revisions come newest first, each holding the version an edit replaced: the version after
  // revision i is revision i-1's snapshot, or the article as it is now.
  function revisionItem(revision, newer, names) {
    const who = revision.actor_id == null ? t("system") : names[String(revision.actor_id)] || `#${revision.actor_id}`;
    const head = `<time datetime="${esc(revision.at)}">${esc(when(revision.at))}</time> · <span class="who">${esc(who)}</span>`;
    const old = revision.snapshot || {};
    if (old.created) return `<li data-testid="revision">${head}<br><span class="muted">${esc(t("created"))}</span></li>`;
    const changed = FIELDS.filter((f) => f in old && !same(old[f], newer[f]));
    const rows = FIELDS.filter((f) => f in old && f !== "body")
      .map((f) => `<dt>${esc(t(f))}</dt><dd>${esc(shownValue(f, old[f]))}</dd>`).join("");
    return `<li data-testid="revision">${head}
      <p class="old-title">${esc(old.title)}</p>
      ${changed.length ? `<p class="muted changes">${esc(t("changed"))} ${changed.map((f) => esc(t(f))).join("、")}</p>` : ""}
      <details><summary>${esc(t("previous_version"))}</summary>
        <dl class="grid">${rows}</dl><pre class="old-body">${esc(old.body)}</pre></details></li>`;
  }

  async function history(box) {
    if (!box) return;
    const article = json("article-data");
    const names = json("editor-names") || {};
    try {
      const revisions = await api("GET", `/api/kb/articles/${article.id}/revisions`);
      const edits = revisions.filter((r) => !(r.snapshot || {}).created);
      box.innerHTML = `${edits.length ? "" : `<p class="empty">${esc(t("no_history"))}</p>`}<ol class="revisions">${revisions
        .map((r, i) => revisionItem(r, i === 0 ? article : revisions[i - 1].snapshot, names)).join("")}</ol>`;
    } catch (err) {
      box.innerHTML = `<p class="error">${esc(err.message)}</p>`;
    }
  }

  // Where the saved article ranks for a question, among the suggestions an agent would get.
  function articleTest(form) {
    const out = document.querySelector("[data-test-result]");
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const article = json("article-data");
      const text = form.elements.question.value.trim();
      if (!text) { out.innerHTML = `<p class="muted">${esc(t("ask_first"))}</p>`; return; }
      if (article.status !== "published") { out.innerHTML = `<p class="notice">${esc(t("draft_not_suggested"))}</p>`; return; }
      out.setAttribute("aria-busy", "true");
      try {
        const found = (await api("POST", "/api/kb/suggest", { text, limit: 20 })).suggestions;
        const rank = found.findIndex((s) => s.id === article.id) + 1;
        const verdict = !found.length ? t("no_results")
          : rank ? fill(t("rank"), { rank, total: found.length }) : fill(t("not_ranked"), { total: found.length });
        // The snippet is HTML from the server: its text escaped, matched words in <mark>.
        const shown = found.slice(0, Math.max(5, rank));
        out.innerHTML = `<p class="${rank ? "ok" : "warn"}" data-testid="test-rank">${esc(verdict)}</p>
          <ol class="kb-list">${shown.map((s) => `<li${s.id === article.id ? ' class="this"' : ""}>
            <strong>${esc(s.title)}</strong> <small>${esc(s.external_id)}</small><p class="snippet">${s.snippet}</p></li>`).join("")}</ol>`;
      } catch (err) {
        out.innerHTML = `<p class="error">${esc(err.message)}</p>`;
      } finally {
        out.removeAttribute("aria-busy");
      }
    });
  }

  // -- synonyms -----------------------------------------------------------------------------------

  function synonyms(form) {
    onSubmit(form, async (f) => {
      await api("POST", "/api/kb/synonyms", { words: list(f.words.value) });
      location.reload();  // the server's list shows the group as stored (trimmed, without repeats)
    });
    document.addEventListener("click", async (e) => {
      const button = e.target.closest("[data-delete-group]");
      if (!button || !confirm(t("delete_group"))) return;
      button.disabled = true;
      try {
        await api("DELETE", `/api/kb/synonyms/${button.dataset.deleteGroup}`);
        button.closest("li").remove();
      } catch (err) {
        showProblems(form, err.problems || [err.message]);
        button.disabled = false;
      }
    });
  }

  // -- offers -------------------------------------------------------------------------------------

  const NUMBERS = ["min_asset_age_years", "max_asset_age_years", "warranty_ends_within_days", "warranty_ended_within_days",
    "min_repairs", "repairs_within_months"];

  // An empty box is "no condition"; a number goes to the API as typed (2.5, -1), which says what is wrong.
  const number = (input) => (input.value.trim() === "" ? null : Number(input.value));

  function offerForm(form) {
    const id = form.dataset.offerId;
    onSubmit(form, async (f) => {
      // What the browser cannot even read as a number ("3a") never reaches the API: it would arrive empty.
      const unreadable = NUMBERS.filter((name) => f[name].validity.badInput);
      if (unreadable.length) throw new ApiError("", unreadable.map((name) => `${name}: ${t("whole_number")}`));
      const rules = { owns: list(f.owns.value), not_owns: list(f.not_owns.value), cue_words: list(f.cue_words.value),
        tiers: [...form.querySelectorAll("[name=tiers]:checked")].map((c) => c.value), required_cue: f.required_cue.checked };
      for (const name of NUMBERS) rules[name] = number(f[name]);
      rules.abnormal_repairs = f.abnormal_repairs.value === "" ? null : f.abnormal_repairs.value === "true";
      const body = { code: f.code.value.trim(), title: f.title.value, product_model: f.product_model.value,
        description: f.description.value, reason_template: f.reason_template.value.trim() || null,
        active: f.active.checked, rules };
      const offer = await api(id ? "PUT" : "POST", id ? `/api/offers/${id}` : "/api/offers", body);
      location.assign(`/admin/offers?saved=${encodeURIComponent(offer.code)}`);
    });
  }

  const on = (id, setup) => { const el = document.getElementById(id); if (el) setup(el); };
  on("article-form", articleEditor);
  on("article-test", articleTest);
  history(document.querySelector("[data-history]"));
  on("synonym-form", synonyms);
  on("offer-form", offerForm);
}
