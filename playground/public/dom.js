// Tiny DOM helpers: everything is built with createElement and textContent, never innerHTML,
// so nothing the bot (or a Tallyfy process name) sends can inject markup.

/**
 * h("div", { class: "x", onclick: fn, dataset: { ts: "1" } }, child, "text", [more])
 * Attributes that are null, undefined or false are left out.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (key === "value" || key === "checked") {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
  return parent;
}

/** A short-lived message at the bottom of the window (errors the bot caused, mostly). */
export function toast(message, kind = "error") {
  const root = document.getElementById("toasts");
  const item = h("div", { class: `toast toast-${kind}`, role: "status" }, message);
  root.append(item);
  setTimeout(() => item.remove(), 6000);
}

/** POST JSON to a playground endpoint; resolves to the JSON answer (errors included). */
export async function post(path, body) {
  const res = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await res.json().catch(() => ({ ok: false, error: `HTTP ${res.status}` }));
  if (!res.ok && answer.ok !== false) return { ok: false, error: `HTTP ${res.status}` };
  return answer;
}

/** Only web and mail links leave the page (never javascript: or data: URLs). */
export function safeUrl(url) {
  return typeof url === "string" && /^(https?:|mailto:)/i.test(url) ? url : undefined;
}
