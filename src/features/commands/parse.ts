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

/** The closest subcommand within a small edit distance, if any. */
export function didYouMean(word: string): Subcommand | undefined {
  let best: { cmd: Subcommand; d: number } | undefined;
  for (const cmd of SUBCOMMANDS) {
    const d = editDistance(word, cmd);
    if (!best || d < best.d) best = { cmd, d };
  }
  if (!best) return undefined;
  const allowed = word.length <= 4 ? 1 : 2;
  if (best.d <= allowed) return best.cmd;
  const prefixHit = SUBCOMMANDS.find((c) => word.length >= 3 && c.startsWith(word));
  return prefixHit;
}

/** Optimal string alignment distance: a swap of two neighbours ("lsit") counts as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
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
