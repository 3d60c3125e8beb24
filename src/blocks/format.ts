/** Small formatting pieces shared by the renderers: text objects, status badges, progress. */
import type { MrkdwnElement, PlainTextElement } from "@slack/types";
import type { Progress } from "../tallyfy/schemas.ts";
import { mrkdwnText, plainLine } from "./text.ts";

/** One escaped line of user text, at most `max` characters after escaping; `fallback` if blank. */
export function safeLine(text: string | null | undefined, max: number, fallback = "—"): string {
  const line = plainLine(text ?? "", max);
  return line ? mrkdwnText(line, max) : fallback;
}

/** A plain_text object for user text (escaped: Slack decodes &amp; &lt; &gt; in every text). */
export function plain(text: string, max: number, fallback = "Untitled"): PlainTextElement {
  return { type: "plain_text", text: safeLine(text, max, fallback), emoji: true };
}

/** A plain_text object for our own fixed wording. */
export function label(text: string): PlainTextElement {
  return { type: "plain_text", text, emoji: true };
}

export function mrkdwn(text: string): MrkdwnElement {
  return { type: "mrkdwn", text };
}

/** Inline code for user text: escaped, without backticks that would end the code span. */
export function code(text: string, max: number): string {
  return `\`${safeLine(text.replace(/`/g, "'"), max, "?")}\``;
}

const STATUS: Record<string, { emoji: string; word: string }> = {
  active: { emoji: ":large_blue_circle:", word: "Active" },
  problem: { emoji: ":red_circle:", word: "Problem" },
  delayed: { emoji: ":large_orange_circle:", word: "Delayed" },
  complete: { emoji: ":white_check_mark:", word: "Complete" },
  completed: { emoji: ":white_check_mark:", word: "Complete" },
  archived: { emoji: ":file_cabinet:", word: "Archived" },
};

/** Emoji and a capitalised word for a run status; unknown statuses show as given. */
export function statusBadge(status: string): { emoji: string; word: string } {
  const known = STATUS[status.toLowerCase()];
  if (known) return known;
  const word = safeLine(status.replace(/_/g, " "), 40, "Unknown");
  return { emoji: ":white_circle:", word: word.charAt(0).toUpperCase() + word.slice(1) };
}

export function statusText(status: string): string {
  const { emoji, word } = statusBadge(status);
  return `${emoji} ${word}`;
}

export function isFinished(status: string): boolean {
  const s = status.toLowerCase();
  return s === "complete" || s === "completed" || s === "archived";
}

/** `▰▰▰▱▱▱▱▱▱▱`: filled segments rounded down, so only 100% looks full. */
export function progressBar(percent: number, width = 10): string {
  const clamped = Math.max(0, Math.min(100, Number.isFinite(percent) ? percent : 0));
  const filled = Math.floor((clamped / 100) * width);
  return "▰".repeat(filled) + "▱".repeat(width - filled);
}

/** "3 of 8 tasks (38%)" when counts are known, else "38%". */
export function progressLabel(p: Progress): string {
  if (p.total != null && p.total > 0 && p.complete != null) {
    const noun = p.total === 1 ? "task" : "tasks";
    return `${p.complete} of ${p.total} ${noun} (${p.percent}%)`;
  }
  return `${p.percent}%`;
}
