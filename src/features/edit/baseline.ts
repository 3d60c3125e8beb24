/**
 * What the edit form opened with, per field, as short fingerprints in its (sealed) metadata: on
 * Save, a field the PUT would change whose fingerprint in the run read just before differs was
 * changed by someone else meanwhile, and is not overwritten.
 */
import { createHash } from "node:crypto";
import { fieldBlockId } from "../../blocks/kickoff/index.ts";
import { RUN_BLOCK } from "../../blocks/modals/run-form.ts";
import { plainLine } from "../../blocks/text.ts";
import { canonical } from "../../tallyfy/run-changes.ts";
import type { KickoffField, Run } from "../../tallyfy/schemas.ts";

/** Characters per field: 36 bits, ample to tell one value of a field from another. */
const WIDTH = 6;
const BASICS = ["name", "summary", "owner_id", "tags", "prevent_guest_comment"] as const;
type Basic = (typeof BASICS)[number];

const fingerprint = (key: string, value: unknown) =>
  createHash("sha256")
    .update(`${key}\0${canonical(value)}`)
    .digest("base64url")
    .slice(0, WIDTH);

function basicValue(run: Run, key: Basic): unknown {
  if (key === "summary") return run.summary ?? "";
  if (key === "tags") return run.tags.map((t) => t.id).sort();
  if (key === "prevent_guest_comment") return run.prevent_guest_comment ?? false;
  return run[key] ?? null;
}

/** The run's fields in a fixed order: the basics, then every kick-off field of the template. */
function fingerprints(run: Run, fields: KickoffField[]): string[] {
  return [
    ...BASICS.map((k) => fingerprint(k, basicValue(run, k))),
    ...fields.map((f) => fingerprint(`ko:${f.id}`, run.prerun[f.id])),
  ];
}

/** The baseline to keep in the form's metadata. */
export function baselineOf(run: Run, fields: KickoffField[]): string {
  return fingerprints(run, fields).join("");
}

export interface Conflict {
  /** The input block the message goes on. */
  blockId: string;
  /** What the field holds now, in words. */
  now: string;
}

/**
 * Fields the PUT `body` would change that someone else changed since `baseline` was taken.
 * A baseline of another shape (the template changed) counts every field as changed.
 */
export function conflicts(
  baseline: string,
  fresh: Run,
  fields: KickoffField[],
  body: Record<string, unknown>,
): Conflict[] {
  const now = fingerprints(fresh, fields);
  const same = baseline.length === now.length * WIDTH;
  const changedElsewhere = (i: number) =>
    !same || baseline.slice(i * WIDTH, (i + 1) * WIDTH) !== now[i];
  const out: Conflict[] = [];
  BASICS.forEach((key, i) => {
    if (key in body && changedElsewhere(i))
      out.push({ blockId: BASIC_BLOCK[key], now: describe(fresh, key) });
  });
  const prerun = (body.prerun ?? {}) as Record<string, unknown>;
  fields.forEach((f, i) => {
    if (f.id in prerun && changedElsewhere(BASICS.length + i)) {
      out.push({ blockId: fieldBlockId(f.id), now: describeAnswer(f, fresh.prerun[f.id]) });
    }
  });
  return out;
}

const BASIC_BLOCK: Record<Basic, string> = {
  name: RUN_BLOCK.name,
  summary: RUN_BLOCK.summary,
  owner_id: RUN_BLOCK.owner,
  tags: RUN_BLOCK.tags,
  prevent_guest_comment: RUN_BLOCK.guestComments,
};

const quoted = (s: string) => `'${plainLine(s, 120)}'`;

function describe(run: Run, key: Basic): string {
  if (key === "name") return quoted(run.name);
  if (key === "summary") return run.summary ? quoted(run.summary) : "empty";
  if (key === "tags")
    return run.tags.length ? quoted(run.tags.map((t) => t.title).join(", ")) : "no tags";
  if (key === "prevent_guest_comment")
    return run.prevent_guest_comment ? "guests can't comment" : "guests can comment";
  return "another owner";
}

function describeAnswer(field: KickoffField, raw: unknown): string {
  if (raw === undefined || raw === null || raw === "") return "empty";
  if (typeof raw === "string" || typeof raw === "number") return quoted(String(raw));
  const texts = (Array.isArray(raw) ? raw : [raw]).flatMap((v) =>
    v && typeof v === "object" && typeof (v as { text?: unknown }).text === "string"
      ? [(v as { text: string }).text]
      : [],
  );
  return texts.length
    ? quoted(texts.join(", "))
    : `a different ${field.field_type === "assignees_form" ? "set of people" : "value"}`;
}

/** The input error for a conflict. */
export function conflictText(c: Conflict): string {
  return `Someone else changed this while you were editing: now ${c.now}. Save again to replace it with your value.`;
}
