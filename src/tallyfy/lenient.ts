/**
 * Building blocks for reading Tallyfy's answers leniently: one odd value blanks that value,
 * one odd row drops that row (and says so), and neither fails the whole response.
 */
import { z } from "zod";

const TRUE_WORDS = new Set(["true", "1", "yes"]);
const FALSE_WORDS = new Set(["false", "0", "no"]);

/**
 * A flag as Tallyfy may send it: true/false, 1/0, or "true"/"false", "1"/"0", "yes"/"no" in
 * any case. Anything else is undefined (unlike `z.coerce.boolean`, which reads "false" and
 * "0" as true).
 */
export function readFlag(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === "string") {
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
  }
  return undefined;
}

/**
 * A number as Tallyfy may send it (numeric strings too, as `Number()` reads them), or null
 * when absent or unreadable (NaN, ±Infinity), as `z.coerce.number()` would refuse it.
 */
export function readNumber(value: unknown): number | null {
  if (value == null || typeof value === "symbol") return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** A flag that reads as `fallback` when absent or unreadable. */
export function flag(fallback: boolean) {
  return z
    .unknown()
    .optional()
    .transform((v): boolean => readFlag(v) ?? fallback);
}

/** A flag some responses leave out: undefined when absent or unreadable. */
export const optionalFlag = z.unknown().transform(readFlag).optional();

/**
 * A string, or null when absent, null or not a string. One transform, not zod's
 * string().nullish().catch().transform() chain (nor coerce.number()'s, below): a run with its
 * tasks has dozens of such values, and the chains made its parse allocate ~32 KB against ~27
 * KB now, in ~22 µs against ~20 (issue 18: garbage is a quarter of the bot's CPU in a burst).
 * `.optional()` keeps an absent key readable inside an object.
 */
export const nullableString = z
  .unknown()
  .optional()
  .transform((v): string | null => (typeof v === "string" ? v : null));

/** A number (numeric strings too), or null when absent or unreadable. */
export const nullableNumber = z.unknown().optional().transform(readNumber);

/** An array whose unreadable elements are dropped; absent, null or not an array reads as []. */
export function lenientArray<T extends z.ZodType>(item: T) {
  const one = z.compile(item);
  return z
    .array(z.unknown())
    .nullish()
    .catch(null)
    .transform((rows): z.output<T>[] => {
      const out: z.output<T>[] = [];
      for (const row of rows ?? []) {
        const parsed = one.safeParse(row);
        if (parsed.success) out.push(parsed.data);
      }
      return out;
    });
}

/** A list row Tallyfy sent that could not be read; never holds any of the row's values. */
export interface SkippedRow {
  /** Position in the page, from 0. */
  index: number;
  /** The row's id when it had a readable one. */
  id?: string | undefined;
  /** Where and why, e.g. "id: Invalid input: expected string, received null". */
  issue: string;
}

/** Each row of a list parsed on its own: the readable ones, and what was skipped and why. */
export function parseRows<T extends z.ZodType>(
  row: T,
  rows: readonly unknown[],
): { items: z.output<T>[]; skipped: SkippedRow[] } {
  const items: z.output<T>[] = [];
  const skipped: SkippedRow[] = [];
  rows.forEach((raw, index) => {
    const parsed = row.safeParse(raw);
    if (parsed.success) {
      items.push(parsed.data);
      return;
    }
    const issue = parsed.error.issues[0];
    const id = (raw as { id?: unknown } | null)?.id;
    skipped.push({
      index,
      ...(typeof id === "string" || typeof id === "number" ? { id: String(id).slice(0, 64) } : {}),
      issue: issue ? `${formatPath(issue.path) || "row"}: ${issue.message}` : "unreadable row",
    });
  });
  return { items, skipped };
}

/** `data[3].name`-style path of a zod issue. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}
