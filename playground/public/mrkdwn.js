// Slack's mrkdwn, rendered to DOM nodes: *bold*, _italic_, ~strike~, `code`, ```blocks```,
// > quotes, <links|text>, <@user>, <#channel>, <!here>, <!date^…>, :emoji: and the
// &amp; &lt; &gt; entities (shown as the characters they stand for).
import { h, safeUrl } from "./dom.js";
import { formatSlackDate } from "./slack-date.js";

/** Who and what mentions point at; app.js fills it from /play/state. */
export const directory = { users: new Map(), channels: new Map() };

const EMOJI = {
  "+1": "👍",
  alarm_clock: "⏰",
  arrow_right: "➡️",
  arrows_counterclockwise: "🔄",
  ballot_box_with_check: "☑️",
  bell: "🔔",
  bulb: "💡",
  bust_in_silhouette: "👤",
  busts_in_silhouette: "👥",
  calendar: "📅",
  clipboard: "📋",
  construction: "🚧",
  email: "📧",
  eyes: "👀",
  file_cabinet: "🗄️",
  fire: "🔥",
  gear: "⚙️",
  grey_question: "❔",
  heavy_check_mark: "✔️",
  hourglass: "⌛",
  hourglass_flowing_sand: "⏳",
  information_source: "ℹ️",
  key: "🔑",
  label: "🏷️",
  large_blue_circle: "🔵",
  large_green_circle: "🟢",
  large_orange_circle: "🟠",
  link: "🔗",
  lock: "🔒",
  mag: "🔍",
  memo: "📝",
  no_entry: "⛔",
  no_entry_sign: "🚫",
  package: "📦",
  palm_tree: "🌴",
  pencil2: "✏️",
  point_right: "👉",
  question: "❓",
  red_circle: "🔴",
  rocket: "🚀",
  rotating_light: "🚨",
  sparkles: "✨",
  speech_balloon: "💬",
  spiral_calendar_pad: "🗓️",
  stopwatch: "⏱️",
  tada: "🎉",
  thinking_face: "🤔",
  thumbsup: "👍",
  unlock: "🔓",
  warning: "⚠️",
  wave: "👋",
  white_check_mark: "✅",
  white_circle: "⚪",
  x: "❌",
  zap: "⚡",
};

/** A Block Kit text object: plain_text (emoji shortcodes only when emoji is true) or mrkdwn. */
export function renderText(text) {
  if (!text) return document.createDocumentFragment();
  if (text.type === "mrkdwn") return renderMrkdwn(text.text ?? "");
  const frag = document.createDocumentFragment();
  frag.append(text.emoji === false ? text.text : emojify(text.text ?? ""));
  return frag;
}

/** Plain text of a text object, e.g. for a button's label or an option. */
export function plainOf(text) {
  if (!text) return "";
  return text.type === "mrkdwn" ? decode(text.text ?? "") : emojify(text.text ?? "");
}

export function renderMrkdwn(source) {
  const frag = document.createDocumentFragment();
  const parts = source.split(/```([\s\S]*?)```/);
  parts.forEach((part, i) => {
    if (i % 2 === 1)
      frag.append(h("pre", { class: "code-block" }, decode(part.replace(/^\n/, ""))));
    else if (part) frag.append(...lines(part));
  });
  return frag;
}

/** Consecutive lines starting with ">" form a quote; the rest is inline text with <br>s. */
function lines(text) {
  const out = [];
  let group = null;
  for (const line of text.split("\n")) {
    const quoted = line.startsWith(">");
    if (!group || group.quoted !== quoted) {
      group = { quoted, lines: [] };
      out.push(group);
    }
    group.lines.push(quoted ? line.slice(1) : line);
  }
  return out.map((g) => {
    const nodes = [];
    g.lines.forEach((l, i) => {
      if (i > 0) nodes.push(h("br"));
      nodes.push(...inline(l));
    });
    return g.quoted ? h("blockquote", {}, nodes) : h("span", {}, nodes);
  });
}

const STYLES = [
  { tag: "code", re: /`([^`]+)`/, literal: true },
  { tag: "angle", re: /<([^<>\n]+)>/ },
  { tag: "b", re: /(?<![\p{L}\p{N}*])\*(?=\S)([^*\n]*?\S)\*(?![\p{L}\p{N}*])/u },
  { tag: "i", re: /(?<![\p{L}\p{N}_])_(?=\S)([^_\n]*?\S)_(?![\p{L}\p{N}_])/u },
  { tag: "s", re: /(?<![\p{L}\p{N}~])~(?=\S)([^~\n]*?\S)~(?![\p{L}\p{N}~])/u },
];

/** Inline formatting: the earliest match wins, and its content is formatted in turn. */
function inline(text) {
  const nodes = [];
  let rest = text;
  while (rest) {
    let best = null;
    for (const style of STYLES) {
      const m = style.re.exec(rest);
      if (m && (!best || m.index < best.m.index)) best = { style, m };
    }
    if (!best) break;
    const { style, m } = best;
    if (m.index > 0) nodes.push(emojify(decode(rest.slice(0, m.index))));
    if (style.tag === "code") nodes.push(h("code", {}, decode(m[1])));
    else if (style.tag === "angle") nodes.push(angle(m[1]));
    else nodes.push(h(style.tag, {}, inline(m[1])));
    rest = rest.slice(m.index + m[0].length);
  }
  if (rest) nodes.push(emojify(decode(rest)));
  return nodes;
}

/** <…> tokens: links, mentions, special mentions and dates. */
function angle(body) {
  const bar = body.indexOf("|");
  const target = bar === -1 ? body : body.slice(0, bar);
  const label = bar === -1 ? undefined : body.slice(bar + 1);
  if (target.startsWith("@")) {
    const user = directory.users.get(target.slice(1));
    const name = user ? user.realName || user.name : (label ?? target.slice(1));
    return h("span", { class: "mention", dataset: { user: target.slice(1) } }, `@${name}`);
  }
  if (target.startsWith("#")) {
    const channel = directory.channels.get(target.slice(1));
    const name = channel ? channel.name : (label ?? target.slice(1));
    return h("span", { class: "mention" }, `#${name}`);
  }
  if (target.startsWith("!date^")) return dateToken(body);
  if (target.startsWith("!subteam^")) return h("span", { class: "mention" }, label ?? "@group");
  if (target.startsWith("!")) return h("span", { class: "mention" }, `@${target.slice(1)}`);
  const url = decode(target);
  if (!/^(https?:|mailto:)/i.test(url)) return document.createTextNode(decode(`<${body}>`));
  return h(
    "a",
    { href: url, target: "_blank", rel: "noopener noreferrer" },
    label === undefined ? url : inline(label),
  );
}

/** <!date^EPOCH^FORMAT^OPTIONAL_LINK|FALLBACK>: the reader's own time zone, else the fallback. */
function dateToken(body) {
  const bar = body.indexOf("|");
  const fallback = decode(bar === -1 ? "" : body.slice(bar + 1));
  const [, epoch, format, link] = (bar === -1 ? body : body.slice(0, bar)).split("^");
  const shown = formatSlackDate(Number(epoch), format ?? "");
  const text = shown ?? fallback;
  const el = link
    ? h("a", { href: safeUrl(decode(link)), target: "_blank", rel: "noopener noreferrer" }, text)
    : h("span", {}, text);
  el.classList.add("slack-date");
  if (fallback) el.title = fallback;
  return el;
}

export function decode(text) {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

export function emojify(text) {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] ?? whole);
}
