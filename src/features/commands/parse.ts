/** Parsing of `/tallyfy …` text: subcommands, run references, list filters. Pure. */
import { SUBCOMMAND_TABLE, SUBCOMMANDS, type Subcommand } from "./table.ts";

export const LIST_STATUSES = ["active", "problem", "delayed", "complete", "archived"] as const;

export type ParsedCommand =
  | { name: Subcommand; args: string }
  | { name: "unknown"; word: string; suggestion: Subcommand | undefined };

const NAMES: ReadonlyMap<string, Subcommand> = new Map(
  SUBCOMMAND_TABLE.flatMap((c) => [c.name, ...c.aliases].map((w) => [w, c.name] as const)),
);

/** Slack escapes &, < and > in what people type; undo it before reading the words. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

export function parseCommand(text: string): ParsedCommand {
  const trimmed = unescapeSlack(text).trim();
  const space = trimmed.search(/\s/);
  const word = (space === -1 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  const args = space === -1 ? "" : trimmed.slice(space + 1).trim();
  const name = NAMES.get(word);
  if (name) return { name, args };
  return {
    name: "unknown",
    word: trimmed.slice(0, space === -1 ? undefined : space),
    suggestion: didYouMean(word),
  };
}

/** Words longer than this get no suggestion: no subcommand is within two edits of them. */
export const SUGGEST_MAX_LENGTH = 32;

/** Edits allowed between a typed word and a subcommand for it to be suggested. */
const allowedEdits = (word: string) => (word.length <= 4 ? 1 : 2);

export type Distance = (a: string, b: string, max: number) => number;

/**
 * The closest subcommand within a small edit distance, if any. The work is bounded whatever
 * was pasted: a word over SUGGEST_MAX_LENGTH is never compared, and a comparison only fills
 * the cells within `max` of the diagonal. (`distance` is for tests that count the work.)
 */
export function didYouMean(
  word: string,
  distance: Distance = editDistance,
): Subcommand | undefined {
  if (word.length > SUGGEST_MAX_LENGTH) return undefined;
  const allowed = allowedEdits(word);
  let best: { cmd: Subcommand; d: number } | undefined;
  for (const cmd of SUBCOMMANDS) {
    const d = distance(word, cmd, allowed);
    if (!best || d < best.d) best = { cmd, d };
  }
  if (best && best.d <= allowed) return best.cmd;
  return SUBCOMMANDS.find((c) => word.length >= 3 && c.startsWith(word));
}

/**
 * Optimal string alignment distance (a swap of two neighbours, "lsit", counts as one edit),
 * or `max + 1` for anything over `max`. Only cells within `max` of the diagonal are filled,
 * so the work is at most (a.length + 1) * (2 * max + 1) cells.
 */
export function editDistance(a: string, b: string, max: number): number {
  const over = max + 1;
  if (Math.abs(a.length - b.length) > max) return over;
  const width = b.length + 1;
  // Rows i-2, i-1 and i of the table; cells outside the band stay `over`.
  let before = new Array<number>(width).fill(over);
  let prev = Array.from({ length: width }, (_, j) => (j <= max ? j : over));
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(width).fill(over);
    if (i <= max) row[0] = i;
    let rowBest = row[0]!;
    const from = Math.max(1, i - max);
    const to = Math.min(b.length, i + max);
    for (let j = from; j <= to; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, before[j - 2]! + 1);
      }
      row[j] = Math.min(d, over);
      rowBest = Math.min(rowBest, row[j]!);
    }
    if (rowBest > max) return over;
    before = prev;
    prev = row;
  }
  return prev[b.length]!;
}

export type RunRef = { ok: true; runId: string } | { ok: false; input: string };

const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A bare run id, or a Tallyfy web URL of the form …/{org}/processes/{id}[/…] (also the
 * older …/{org}/runs/{id} form). Slack wraps pasted URLs as <url> or <url|label>.
 */
export function parseRunRef(input: string): RunRef {
  let text = input.trim();
  const wrapped = /^<([^|>]+)(?:\|[^>]*)?>$/.exec(text);
  if (wrapped) text = wrapped[1]!;
  if (RUN_ID.test(text)) return { ok: true, runId: text };
  try {
    const url = new URL(text);
    if (url.protocol === "http:" || url.protocol === "https:") {
      const parts = url.pathname.split("/").filter(Boolean);
      const at = parts.findIndex((p) => p === "processes" || p === "runs");
      const id = at >= 1 ? parts[at + 1] : undefined;
      if (id && RUN_ID.test(id)) return { ok: true, runId: id };
    }
  } catch {
    // not a URL
  }
  return { ok: false, input: input.trim() };
}

export interface ListArgs {
  status: string | undefined;
  mine: boolean;
  q: string | undefined;
}

/** `list [status] [mine] [search words]`, in any order of the leading keywords. */
export function parseListArgs(args: string): ListArgs {
  const words = args.split(/\s+/).filter(Boolean);
  let status: string | undefined;
  let mine = false;
  while (words.length) {
    const w = words[0]!.toLowerCase();
    if (!status && (LIST_STATUSES as readonly string[]).includes(w)) status = w;
    else if (!status && w === "completed") status = "complete";
    else if (!mine && (w === "mine" || w === "my")) mine = true;
    else break;
    words.shift();
  }
  const q = words.join(" ").slice(0, 200);
  return { status, mine, q: q || undefined };
}
