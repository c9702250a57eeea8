// What every realtime part of the agent pages shares: the translated texts, escaping, the JSON API and
// the reconnecting websocket. An ES module, served as is (no build step).
export const T = JSON.parse(document.getElementById("i18n")?.textContent || "{}");
export const t = (key) => T[key] ?? key;
export const fill = (text, values) => text.replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));
export const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

// Calls our JSON API with the session cookie. A refused call throws with the server's (translated) message
// and `status`, `field`, `data`; no network throws with `offline` set.
export async function api(method, url, body) {
  let response;
  try {
    response = await fetch(url, { method, credentials: "same-origin", headers: { "content-type": "application/json", accept: "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (_) {
    throw Object.assign(new Error(t("offline")), { offline: true });
  }
  const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(data.message || response.statusText), { status: response.status, field: data.field, data });
  return data;
}

// Taipei time whatever the browser's zone: "2026-12-07 14:05".
const TAIPEI = new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Taipei", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });
export const when = (iso) => (iso ? TAIPEI.format(new Date(iso)) : "");

// A websocket that comes back after a drop (exponential back-off with jitter, capped at 10 s).
export function reconnecting(path, { onMessage, onStatus }) {
  let socket = null;
  let retry = 0;
  function connect() {
    onStatus(retry ? "reconnecting" : "connecting");
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}${path}`);
    socket.onopen = () => { retry = 0; onStatus("connected"); };
    socket.onmessage = (e) => onMessage(JSON.parse(e.data));
    socket.onclose = () => {
      onStatus("reconnecting");
      setTimeout(connect, Math.min(10000, 500 * 2 ** retry++) * (0.5 + Math.random() / 2));
    };
  }
  connect();
  return {
    send(message) {
      if (socket && socket.readyState === WebSocket.OPEN) { socket.send(JSON.stringify(message)); return true; }
      return false;
    },
  };
}

// Inserts text at the caret of a textarea, as typing would (input event included).
export function insertAtCaret(area, text) {
  const start = area.selectionStart ?? area.value.length;
  const end = area.selectionEnd ?? start;
  const before = area.value.slice(0, start);
  const glue = before && !before.endsWith("\n") ? "\n" : "";
  area.value = before + glue + text + area.value.slice(end);
  area.selectionStart = area.selectionEnd = (before + glue + text).length;
  area.dispatchEvent(new Event("input", { bubbles: true }));
  area.focus();
}

// Builds DOM nodes: h("a", { href, class: "x", dataset: { id } }, "text", child). Text is set as text,
// never parsed as HTML, so nothing here needs escaping.
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// Labels of stored codes (status, kind, tier, ...) as the server translated them.
export const label = (group, code) => T[`${group}.${code}`] ?? code ?? "";

export const clockText = (seconds) => {
  const s = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(hours ? 2 : 1, "0");
  return `${hours ? hours + ":" : ""}${mm}:${String(s % 60).padStart(2, "0")}`;
};

// Icons as inline SVG (no emoji font needed): thumbs up / down, a warning sign.
const ICONS = {
  up: "M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3a1.5 1.5 0 0 0-.45-1.06L13.2 1 6.6 7.6A2 2 0 0 0 6 9v10a2 2 0 0 0 2 2h9a2 2 0 0 0 1.84-1.22l3-7.05A2 2 0 0 0 22 12v-2z",
  down: "M22 3h-4v12h4V3zM2 14a2 2 0 0 0 2 2h6.3l-1 4.6v.3c0 .4.16.78.45 1.06L10.8 23l6.6-6.6A2 2 0 0 0 18 15V5a2 2 0 0 0-2-2H7a2 2 0 0 0-1.84 1.22l-3 7.05A2 2 0 0 0 2 12v2z",
  warn: "M12 2 1 21h22L12 2zm0 6 1 7h-2l1-7zm0 9.5a1.25 1.25 0 1 1 0 2.5 1.25 1.25 0 0 1 0-2.5z",
};
export function icon(name) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("class", "icon");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", ICONS[name]);
  path.setAttribute("fill", "currentColor");
  svg.append(path);
  return svg;
}
