/** Text helpers shared by every renderer: escaping for mrkdwn and truncation to Block Kit limits. */

/**
 * Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069): in a
 * name they can reverse what follows (U+202E then "gpj.exe" reads "exe.jpg") or spill into
 * the text around it, so they are removed from everything user-supplied that Slack shows.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

export function stripBidi(text: string): string {
  return text.replace(BIDI_CONTROLS, "");
}

/**
 * Escape user-supplied text for mrkdwn, so `<!channel>` or `<https://x|y>` stay literal; bidi
 * controls are removed.
 */
export function escapeMrkdwn(text: string): string {
  return stripBidi(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Shorten to at most `max` UTF-16 code units (never fewer than Slack's character count; code
 * points are never split), ending with an ellipsis when anything was cut.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  let out = chars.slice(0, Math.max(0, max - 1)).join("");
  while (out.length > max - 1) out = Array.from(out).slice(0, -1).join("");
  return `${out.trimEnd()}…`;
}

/** Escape, then truncate without cutting an entity such as `&amp;` in half. */
export function mrkdwnText(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  let cut = truncate(escaped, max);
  const amp = cut.lastIndexOf("&");
  if (amp !== -1 && !cut.slice(amp).includes(";")) cut = `${cut.slice(0, amp).trimEnd()}…`;
  return cut;
}

/** One line, no control characters (bidi ones included); for plain_text labels, titles and options. */
export function plainLine(text: string, max: number): string {
  return truncate(stripBidi(text).replace(SPACE_OR_CONTROL, " ").trim(), max);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
const SPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]+/g;
