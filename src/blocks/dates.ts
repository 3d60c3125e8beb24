/**
 * Dates for Slack: `<!date^…>` tokens, which every reader's Slack client shows in their own
 * time zone, with a UTC fallback for clients (and notifications) that cannot render them.
 */
import { escapeMrkdwn, truncate } from "./text.ts";

export const DATE_TIME = "{date_short_pretty} at {time}";
export const DATE_ONLY = "{date_short_pretty}";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;

/**
 * An instant from Tallyfy's date strings: ISO 8601 with or without a zone, or
 * "YYYY-MM-DD HH:mm:ss". Tallyfy sends UTC, so a missing zone means UTC (not the server's).
 */
export function parseInstant(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const text = value.trim();
  let iso = text;
  if (DAY.test(text)) iso = `${text}T00:00:00Z`;
  else {
    const local = LOCAL_DATE_TIME.exec(text);
    if (local) iso = `${local[1]}T${local[2]}Z`;
  }
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

/** Whether the value is a calendar day without a time of day. */
export function isDateOnly(value: string): boolean {
  return DAY.test(value.trim());
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * "22 Nov 2026, 14:05 UTC", or "22 Nov 2026" for a day: date-fns's
 * `format(date, "d MMM yyyy, HH:mm 'UTC'", { in: utc })`, spelled out. A card carries up to
 * six dates, and date-fns parsed the pattern on every call: 2% of the bot's CPU in a burst of
 * cards (issue 18). The unit tests hold it equal to date-fns.
 */
export function utcLabel(date: Date, dayOnly = false): string {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw new RangeError("Invalid time value");
  const day = `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${String(date.getUTCFullYear()).padStart(4, "0")}`;
  return dayOnly ? day : `${day}, ${two(date.getUTCHours())}:${two(date.getUTCMinutes())} UTC`;
}

/**
 * `<!date^EPOCH^FORMAT|FALLBACK>` for mrkdwn. A bare day shows without a time. Anything that
 * is not a date comes back as escaped text, and nothing at all as "—".
 */
export function slackDate(iso: string | null | undefined, fmt: string = DATE_TIME): string {
  if (!iso?.trim()) return "—";
  const date = parseInstant(iso);
  if (!date || date.getTime() < 0) return escapeMrkdwn(truncate(iso.trim(), 100));
  const dayOnly = isDateOnly(iso);
  const tokenFormat = dayOnly && fmt === DATE_TIME ? DATE_ONLY : fmt;
  const epoch = Math.floor(date.getTime() / 1000);
  // The format and fallback sit inside <…|…>, so neither may contain "|" or ">".
  const safeFormat = tokenFormat.replace(/[|<>^]/g, "");
  return `<!date^${epoch}^${safeFormat}|${utcLabel(date, dayOnly)}>`;
}

/** Whether `iso` is a valid instant before `now`; a bare day lasts until its end (UTC). */
export function isPast(iso: string | null | undefined, now: Date): boolean {
  const date = parseInstant(iso);
  if (!date || !iso) return false;
  const end = isDateOnly(iso) ? date.getTime() + 86_400_000 : date.getTime();
  return end <= now.getTime();
}
