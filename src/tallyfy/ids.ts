/**
 * Every id that reaches a Tallyfy path is checked here, before any request: a button value or
 * a modal's private_metadata of `..` must never turn `DELETE …/runs/{id}` into
 * `DELETE /organizations/{org}`. Runs, templates (checklists), tasks and kick-off fields are
 * 32 lowercase hex characters (REFERENCE.md; Tallyfy's MCP server checks `^[a-f0-9]{32}$`).
 * Organization ids have no documented shape, so they are held to safe URL characters.
 */
import { z } from "zod";
import { type IdKind, TallyfyInvalidIdError } from "./errors.ts";

const HEX32 = /^[a-f0-9]{32}$/;

export const RunId = z.string().regex(HEX32);
export const TemplateId = z.string().regex(HEX32);
export const TaskId = z.string().regex(HEX32);
export const FieldId = z.string().regex(HEX32);
export const OrgId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

const SCHEMAS = {
  run: RunId,
  template: TemplateId,
  task: TaskId,
  field: FieldId,
  organization: OrgId,
} satisfies Record<Exclude<IdKind, "segment">, z.ZodType<string>>;

/** `value` when it is a well-formed id of `kind`; otherwise a TallyfyInvalidIdError. */
export function checkId(kind: keyof typeof SCHEMAS, value: unknown): string {
  const parsed = SCHEMAS[kind].safeParse(value);
  if (!parsed.success) throw new TallyfyInvalidIdError(kind);
  return parsed.data;
}

export const runId = (value: unknown): string => checkId("run", value);
export const templateId = (value: unknown): string => checkId("template", value);
export const taskId = (value: unknown): string => checkId("task", value);
export const fieldId = (value: unknown): string => checkId("field", value);
export const orgId = (value: unknown): string => checkId("organization", value);

/**
 * A path below the API base from its segments, each URL-encoded. An empty segment, `.`, `..`
 * or one holding a slash would point the request somewhere else, so it is refused.
 */
export function apiPath(...segments: (string | number)[]): string {
  return segments.map((s) => `/${encodeURIComponent(safeSegment(String(s)))}`).join("");
}

function safeSegment(segment: string): string {
  if (segment === "" || segment === "." || segment === ".." || /[/\\]/.test(segment)) {
    throw new TallyfyInvalidIdError("segment");
  }
  return segment;
}

/**
 * The client's last line of defence for a path built elsewhere: no empty, `.` or `..` segment
 * and no backslash, encoded or not (`%2e%2e` is `..` to a server that decodes before routing).
 */
export function assertSafePath(path: string): void {
  const segments = path.split("/");
  if (segments[0] !== "" || segments.length < 2) throw new TallyfyInvalidIdError("segment");
  for (const raw of segments.slice(1)) {
    const decoded = raw.replace(/%2e/gi, ".");
    if (decoded === "" || decoded === "." || decoded === ".." || /\\|%2f|%5c/i.test(raw)) {
      throw new TallyfyInvalidIdError("segment");
    }
  }
}
