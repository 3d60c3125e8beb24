/**
 * Dates for Slack: `<!date^…>` tokens, which every reader's Slack client shows in their own
 * time zone, with a UTC fallback for clients (and notifications) that cannot render them.
 */
import { format, utc } from "./date-fns.ts";
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

/**
 * "22 Nov 2026, 14:05 UTC", or "22 Nov 2026" for a day. The UTC context does plain arithmetic;
 * @date-fns/tz's `tz("UTC")` asks Intl for the offset on every call, for an offset that is
 * always zero.
 */
export function utcLabel(date: Date, dayOnly = false): string {
  return format(date, dayOnly ? "d MMM yyyy" : "d MMM yyyy, HH:mm 'UTC'", { in: utc });
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
