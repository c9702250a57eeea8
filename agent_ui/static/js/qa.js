// The QA dashboard: charts (Chart.js, served from /static/vendor) and tables over /api/analytics/*, a
// drill-down to the tickets behind a unit, a bar or a point (/api/tickets), and CSV files of the rows
// shown, made in the browser. Texts come translated from the page (#i18n).
import { api as request, esc, fill, t } from "./common.js";

{
  const lang = document.documentElement.lang;
  const form = document.getElementById("qa-period");
  const TZ = "+08:00";  // the API counts days in Asia/Taipei
  const COLOURS = ["#2f6fb0", "#d9822b", "#3a9a5b", "#8e5cb5", "#c0392b", "#16a2a8", "#7f8c8d", "#b8860b"];

  // Days as "YYYY-MM-DD" strings; arithmetic in UTC so no local offset shifts them.
  const addDays = (iso, n) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
  const at = (iso) => `${iso}T00:00:00${TZ}`;
  const number = (v, digits = 2) => (v == null ? "—" : Number(v).toLocaleString(lang, { maximumFractionDigits: digits }));
  const percent = (v) => (v == null ? "—" : `${Math.round(v * 1000) / 10}%`);
  const when = (iso) => {
    const d = new Date(iso);
    return !iso || isNaN(d) ? "" : d.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Taipei" });
  };

  const api = (url) => request("GET", url);


  const query = (params) => new URLSearchParams(Object.entries(params).filter(([, v]) => v != null && v !== "")).toString();
  const period = () => ({ from: form.elements.from.value, to: form.elements.to.value, as_of: form.elements.as_of.value,
    by: form.elements.by.value });

  // -- tables and CSV ------------------------------------------------------------------------------

  // A table's columns: heading key, the value written to CSV, and the text shown (defaults to the value).
  const tables = {};

  function showTable(name, columns, rows, filename, drill) {
    tables[name] = { columns, rows, filename };
    const box = document.querySelector(`[data-table="${name}"]`);
    const button = document.querySelector(`[data-csv="${name}"]`);
    if (button) button.disabled = !rows.length;
    if (!rows.length) { box.innerHTML = `<p class="empty" data-testid="${name}-empty">${esc(t("no_rows"))}</p>`; return; }
    const head = columns.map((c) => `<th${c.num ? ' class="num"' : ""}>${esc(t(c.key))}</th>`).join("");
    const body = rows.map((row, i) => {
      const cells = columns.map((c) => `<td${c.num ? ' class="num"' : ""}>${esc((c.text || c.value)(row))}</td>`).join("");
      const attrs = drill ? ` data-drill="${i}" tabindex="0"` : "";
      return `<tr${attrs}${row._class ? ` class="${row._class}"` : ""}>${cells}</tr>`;
    }).join("");
    box.innerHTML = `<table data-testid="${name}-table"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
    if (!drill) return;
    box.querySelectorAll("tr[data-drill]").forEach((tr) => {
      const go = () => {
        box.querySelectorAll("tr.selected").forEach((s) => s.classList.remove("selected"));
        tr.classList.add("selected");
        drill(rows[Number(tr.dataset.drill)]);
      };
      tr.addEventListener("click", go);
      tr.addEventListener("keydown", (e) => { if (e.key === "Enter") go(); });
    });
  }

  const csvCell = (v) => {
    const s = v == null ? "" : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };

  // UTF-8 with a BOM: without it Excel (in Taiwan, Big5 by default) shows the Chinese as mojibake.
  function downloadCsv(name) {
    const table = tables[name];
    if (!table || !table.rows.length) return;
    const lines = [table.columns.map((c) => csvCell(t(c.key)))]
      .concat(table.rows.map((row) => table.columns.map((c) => csvCell(c.value(row)))));
    const blob = new Blob(["\ufeff" + lines.map((l) => l.join(",")).join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = table.filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }
  document.querySelectorAll("[data-csv]").forEach((b) => b.addEventListener("click", () => downloadCsv(b.dataset.csv)));

  // -- charts -------------------------------------------------------------------------------------

  // Chart instances by name, for the tests and the console; the box says when it is drawn and with how
  // many points.
  const charts = (window.qaCharts = {});

  function draw(name, config, onPick) {
    const box = document.querySelector(`[data-chart="${name}"]`);
    if (charts[name]) charts[name].destroy();
    config.options = { responsive: true, maintainAspectRatio: false, animation: false, ...config.options,
      onClick: (event, elements) => { if (elements.length) onPick(elements[0].datasetIndex, elements[0].index); },
      onHover: (event, elements) => { event.native.target.style.cursor = elements.length ? "pointer" : "default"; } };
    charts[name] = new Chart(box.querySelector("canvas"), config);
    const points = config.data.datasets.reduce((n, d) => n + d.data.filter((v) => v != null).length, 0);
    box.dataset.points = String(points);
    box.dataset.rendered = "1";
  }

  function failed(name, err) {
    const p = document.querySelector(`[data-error="${name}"]`);
    p.textContent = `${t("failed")} ${err.message}`;
    p.hidden = false;
  }

  // -- drill-down ---------------------------------------------------------------------------------

  const TICKET_COLUMNS = [
    { key: "ticket", value: (r) => r.external_id || r.id },
    { key: "created", value: (r) => r.created_at, text: (r) => when(r.created_at) },
    { key: "kind", value: (r) => r.kind },
    { key: "status", value: (r) => r.status },
    { key: "subject", value: (r) => r.subject },
    { key: "resolved_at", value: (r) => r.resolved_at || "", text: (r) => when(r.resolved_at) },
  ];

  // Each filter set is one /api/tickets query; several (a model's units) are merged, newest first.
  async function drill(title, filterSets, slug) {
    const section = document.getElementById("drill");
    section.hidden = false;
    section.querySelector("[data-drill-title]").textContent = title;
    const count = section.querySelector("[data-drill-count]");
    count.textContent = t("loading");
    document.querySelector('[data-error="tickets"]').hidden = true;
    try {
      const pages = await Promise.all(filterSets.map((f) => api(`/api/tickets?${query({ ...f, limit: 200 })}`)));
      const items = pages.flatMap((p) => p.items).sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
      const total = pages.reduce((n, p) => n + p.total, 0);
      count.textContent = fill(t("shown_of_total"), { shown: items.length, total });
      showTable("tickets", TICKET_COLUMNS, items, `tickets-${slug}.csv`);
      section.scrollIntoView({ block: "nearest" });
    } catch (err) {
      count.textContent = "";
      failed("tickets", err);
    }
  }

  // -- repair anomalies ---------------------------------------------------------------------------

  const ANOMALY_COLUMNS = [
    { key: "unit", value: (r) => r.external_id || r.asset_id },
    { key: "model", value: (r) => r.product_model },
    { key: "age_years", value: (r) => r.age_years, text: (r) => number(r.age_years, 1), num: true },
    { key: "repairs", value: (r) => r.repairs, num: true },
    { key: "expected", value: (r) => r.expected, text: (r) => number(r.expected), num: true },
    { key: "rate_ratio", value: (r) => r.rate_ratio, text: (r) => number(r.rate_ratio), num: true },
    { key: "score", value: (r) => r.score, text: (r) => number(r.score), num: true },
  ];

  const unitTickets = (unit) => drill(fill(t("tickets_of_unit"), { unit: unit.external_id || unit.asset_id }),
    [{ asset_id: unit.asset_id }], `unit-${unit.external_id || unit.asset_id}`);

  async function anomalies({ as_of }) {
    const data = await api(`/api/analytics/repair-anomalies?${query({ as_of })}`);
    showTable("anomalies", ANOMALY_COLUMNS, data.assets, `repair-anomalies-${data.as_of}.csv`, unitTickets);
    const byModel = new Map();
    for (const a of data.assets) byModel.set(a.product_model, [...(byModel.get(a.product_model) || []), a]);
    const models = [...byModel.keys()];
    draw("anomalies", { type: "bar", data: { labels: models,
      datasets: [{ label: t("flagged_units"), data: models.map((m) => byModel.get(m).length), backgroundColor: COLOURS[4] }] },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } },
    (d, i) => drill(fill(t("tickets_of_model"), { model: models[i] }),
      byModel.get(models[i]).map((a) => ({ asset_id: a.asset_id })), `model-${models[i]}`));
  }

  // -- complaint trends ---------------------------------------------------------------------------

  const TREND_COLUMNS = [
    { key: "topic", value: (r) => r.label },
    { key: "keywords", value: (r) => r.keywords.join(" ") },
    { key: "total", value: (r) => r.total, num: true },
    { key: "emerging", value: (r) => (r.emerging ? t("emerging") : "") },
  ];

  async function trends({ from, to }) {
    const data = await api(`/api/analytics/complaint-trends?${query({ from, to })}`);
    const emerging = new Set(data.emerging.flatMap((e) => [e.label, e.topic].filter(Boolean)));
    const topics = data.topics.map((tp) => ({ ...tp, emerging: emerging.has(tp.label), _class: emerging.has(tp.label) ? "emerging" : "" }));
    document.querySelector("[data-emerging]").innerHTML = data.emerging.map((e) =>
      `<li><strong>${esc(e.label)}</strong> · ${esc(fill(t("emerging_since"), { week: e.first_week }))}</li>`).join("");
    showTable("trends", TREND_COLUMNS, topics, `complaint-trends-${from}_${to}.csv`);
    const weeks = data.weeks;
    const datasets = topics.map((tp, n) => ({ label: tp.emerging ? `${tp.label} ▲` : tp.label, data: tp.counts,
      borderColor: COLOURS[n % COLOURS.length], backgroundColor: COLOURS[n % COLOURS.length],
      borderWidth: tp.emerging ? 4 : 1.5, pointRadius: tp.emerging ? 5 : 3, tension: 0.2 }));
    draw("trends", { type: "line", data: { labels: weeks, datasets },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } },
    (d, i) => drill(fill(t("complaints_of_week"), { week: weeks[i] }),
      [{ kind: "complaint", created_from: at(weeks[i]), created_to: at(addDays(weeks[i], 7)) }], `complaints-${weeks[i]}`));
    lastTrends = { data, from, to };
    volumes();
  }

  // -- complaint volume per category, product or channel (from the same answer) --------------------

  let lastTrends = null;
  const VOLUME_FILTER = { category: "category", product: "product_model", channel: "channel" };
  const volumeBy = document.querySelector("[data-volume-by]");
  const keyText = (by, key) => (key === null ? t("not_recorded") : key === "(other)" ? t("other") : by === "channel" ? t(key) : key);

  function volumes() {
    if (!lastTrends) return;
    const { data, from, to } = lastTrends;
    const by = volumeBy.value;
    const rows = data[`by_${by}`].map((v) => ({ ...v, share: data.totals.reduce((a, b) => a + b, 0) ? v.total / data.totals.reduce((a, b) => a + b, 0) : 0 }));
    // Drill-down needs a value /api/tickets can filter on: not "not recorded" nor the "other" bucket.
    const filterOf = (row) => (row.key === null || row.key === "(other)" ? null : { kind: "complaint", [VOLUME_FILTER[by]]: row.key });
    const open = (row, week) => {
      const filters = filterOf(row);
      if (!filters) return;
      const range = week ? { created_from: at(week), created_to: at(addDays(week, 7)) } : { created_from: at(from), created_to: at(addDays(to, 1)) };
      drill(`${keyText(by, row.key)}${week ? ` · ${week}` : ""}`, [{ ...filters, ...range }], `complaints-${by}-${row.key}${week ? `-${week}` : ""}`);
    };
    showTable("volume", [
      { key: by, value: (r) => keyText(by, r.key) },
      { key: "total", value: (r) => r.total, num: true },
      { key: "share", value: (r) => r.share, text: (r) => percent(r.share), num: true },
    ], rows, `complaints-by-${by}-${from}_${to}.csv`, (row) => open(row));
    const datasets = rows.map((r, n) => ({ label: keyText(by, r.key), data: r.counts, backgroundColor: COLOURS[n % COLOURS.length] }));
    draw("volume", { type: "bar", data: { labels: data.weeks, datasets },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } } },
    (d, i) => open(rows[d], data.weeks[i]));
  }
  volumeBy.addEventListener("change", volumes);

  // -- service quality ----------------------------------------------------------------------------

  function qualityColumns(by) {
    return [
      { key: by, value: (r) => (r.key ? r.label : t("no_owner")) },
      { key: "resolved", value: (r) => r.resolved, num: true },
      { key: "fcr", value: (r) => r.first_contact_resolution, text: (r) => percent(r.first_contact_resolution), num: true },
      { key: "reopen_rate", value: (r) => r.reopen_rate, text: (r) => percent(r.reopen_rate), num: true },
      { key: "csat", value: (r) => r.csat, text: (r) => number(r.csat), num: true },
      { key: "rated", value: (r) => r.rated, num: true },
      { key: "calls", value: (r) => r.calls, num: true },
      { key: "average_handle", value: (r) => r.average_handle_seconds, text: (r) => number(r.average_handle_seconds, 0), num: true },
    ];
  }

  // The tickets a row counts: resolved in the period (clipped to the week for a week's row).
  function resolvedTickets(by, row, { from, to }) {
    const end = addDays(to, 1);
    let filters = { resolved_from: at(from), resolved_to: at(end) };
    if (by === "agent") filters.assignee_id = row.key;
    if (by === "queue") filters.queue_id = row.key;
    if (by === "week") {
      const weekEnd = addDays(row.key, 7);
      filters = { resolved_from: at(row.key < from ? from : row.key), resolved_to: at(weekEnd > end ? end : weekEnd) };
    }
    if (by !== "week" && !row.key) return;  // no owner: /api/tickets cannot filter on "none"
    drill(fill(t("resolved_by"), { label: row.label }), [filters], `${by}-${row.key}-${from}_${to}`);
  }

  async function quality(p) {
    const { from, to, by } = p;
    const data = await api(`/api/analytics/service-quality?${query({ from, to, by })}`);
    const rows = data.rows;
    const pick = (row) => resolvedTickets(by, row, p);
    showTable("quality", qualityColumns(by), rows, `service-quality-${from}_${to}.csv`, pick);
    draw("quality", { type: "bar", data: { labels: rows.map((r) => (r.key ? r.label : t("no_owner"))), datasets: [
      { label: t("first_contact_resolution"), data: rows.map((r) => (r.first_contact_resolution == null ? null : r.first_contact_resolution * 100)),
        backgroundColor: COLOURS[0], yAxisID: "y" },
      { label: t("csat"), data: rows.map((r) => r.csat), backgroundColor: COLOURS[1], yAxisID: "csat" },
    ] }, options: { scales: { y: { min: 0, max: 100, position: "left" }, csat: { min: 0, max: 5, position: "right", grid: { drawOnChartArea: false } } } } },
    (d, i) => pick(rows[i]));
  }

  // -- alerts: stored repair flags, and new ones live over /ws/supervisor ----------------------------

  const alertBox = document.querySelector("[data-alerts]");
  const ALERT_PAGE = 50;
  let alertsTotal = 0;  // open flags, live ones included: the count shown
  let alertsLoaded = 0;  // rows read from the API, and how many it had: when to offer "show more"
  let alertsListed = 0;

  function evidence(f) {
    const e = f.evidence || {};
    const values = { repairs: e.repairs, recent: e.recent_repairs, reworks: e.reworks, expected: number(e.expected, 1),
      ratio: number(e.rate_ratio, 1) };
    return fill(t(`evidence_${f.kind}`), values);
  }

  function subject(f) {
    const e = f.evidence || {};
    if (f.kind === "unit") return `${e.external_id || "#" + f.asset_id} · ${e.product_model || ""}`;
    return f.kind === "technician" ? e.technician || f.subject : e.product_model || f.subject;
  }

  function alertRow(f, fresh) {
    const tr = document.createElement("tr");
    tr.dataset.flag = f.id;
    tr.dataset.testid = "alert";
    if (fresh) tr.className = "alert-new";
    const who = f.kind === "unit" ? `<button type="button" class="link" data-alert-unit>${esc(subject(f))}</button>` : esc(subject(f));
    tr.innerHTML = `<td><span class="alert-kind">${esc(t("kind_" + f.kind))}</span></td><td>${who}</td>
      <td>${esc(evidence(f))}</td><td>${esc(f.first_flagged_on)}</td>
      <td>${f.status === "open" ? `<button type="button" data-acknowledge="${f.id}">${esc(t("acknowledge"))}</button>` : esc(t("acknowledged"))}</td>`;
    const unitButton = tr.querySelector("[data-alert-unit]");
    if (unitButton) unitButton.addEventListener("click", () => unitTickets({ asset_id: f.asset_id, external_id: (f.evidence || {}).external_id }));
    return tr;
  }

  function showAlertCount() {
    document.querySelector("[data-alerts-total]").textContent = String(alertsTotal);
    document.querySelector("[data-testid=alerts-table]").hidden = !alertBox.children.length;
    document.querySelector("[data-alerts-empty]").hidden = alertBox.children.length > 0;
    document.querySelector("[data-alerts-more]").hidden = alertsLoaded >= alertsListed;
  }

  async function loadAlerts() {
    document.querySelector('[data-error="alerts"]').hidden = true;
    try {
      const page = await api(`/api/analytics/repair-flags?${query({ status: "open", limit: ALERT_PAGE, offset: alertsLoaded })}`);
      for (const f of page.items) if (!alertBox.querySelector(`tr[data-flag="${f.id}"]`)) alertBox.appendChild(alertRow(f, false));
      alertsLoaded += page.items.length;
      alertsListed = page.total;
      alertsTotal = Math.max(alertsTotal, page.total);
      showAlertCount();
    } catch (err) { failed("alerts", err); }
  }

  function reloadAlerts() {
    alertBox.replaceChildren();
    alertsLoaded = 0;
    alertsTotal = 0;
    loadAlerts();
  }

  // A live message carries the evidence at the top level, with the flag's id, kind and dates.
  function liveAlert(m) {
    const f = { id: m.flag_id, kind: m.kind, subject: m.subject, asset_id: m.asset_id, evidence: m,
      first_flagged_on: m.first_flagged_on, status: m.status || "open" };
    const old = alertBox.querySelector(`tr[data-flag="${f.id}"]`);
    if (old) old.remove(); else alertsTotal += 1;
    alertBox.prepend(alertRow(f, true));
    showAlertCount();
  }

  function acknowledged(flagId) {
    const tr = alertBox.querySelector(`tr[data-flag="${flagId}"]`);
    if (!tr || tr.classList.contains("alert-done")) return;
    tr.classList.remove("alert-new");
    tr.classList.add("alert-done");
    tr.lastElementChild.textContent = t("acknowledged");
    alertsTotal = Math.max(0, alertsTotal - 1);
    showAlertCount();
  }

  alertBox.addEventListener("click", async (e) => {
    const button = e.target.closest("[data-acknowledge]");
    if (!button) return;
    button.disabled = true;
    try {
      const response = await fetch(`/api/analytics/repair-flags/${button.dataset.acknowledge}/acknowledge`,
        { method: "POST", credentials: "same-origin", headers: { accept: "application/json" } });
      const data = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(data.message || response.statusText);
      acknowledged(data.id);
    } catch (err) { button.disabled = false; failed("alerts", err); }
  });
  document.querySelector("[data-alerts-more]").addEventListener("click", loadAlerts);

  let retry = 0;
  function live() {
    const status = document.querySelector("[data-testid=alerts-live]");
    const socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/supervisor`);
    socket.onopen = () => { retry = 0; status.dataset.state = "connected"; status.textContent = t("live"); };
    socket.onmessage = (e) => {
      const m = JSON.parse(e.data);  // wallboard snapshots come too: only the flags matter here
      if (m.type === "repair_anomaly") liveAlert(m);
      else if (m.type === "repair_flag_acknowledged") acknowledged(m.flag_id);
      else if (m.type === "repair_flags_found") reloadAlerts();  // a scan found many at once
    };
    socket.onclose = () => {
      status.dataset.state = "reconnecting"; status.textContent = t("reconnecting");
      setTimeout(live, Math.min(10000, 500 * 2 ** retry++));
    };
  }

  // -- the period ---------------------------------------------------------------------------------

  async function load(parts) {
    const p = period();
    const all = { anomalies, trends, quality };
    await Promise.all(parts.map(async (name) => {
      document.querySelector(`[data-error="${name}"]`).hidden = true;
      try { await all[name](p); } catch (err) { failed(name, err); }
    }));
  }

  form.addEventListener("submit", (e) => { e.preventDefault(); load(["anomalies", "trends", "quality"]); });
  form.elements.by.addEventListener("change", () => load(["quality"]));
  load(["anomalies", "trends", "quality"]);
  loadAlerts();
  live();
}
