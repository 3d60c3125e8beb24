/**
 * Zod schemas for what the live Tallyfy service returns (not always what its public docs say).
 * They accept the service's variations and normalise them, so callers see one shape:
 * progress as object or number, `links` as object or [], tags and next_task wrapped or not,
 * prerun as {} or [] when empty. Extra fields are ignored. An odd value in an optional field
 * reads as blank, and a list is read row by row (lenient.ts): one odd row never fails a page.
 */
import { z } from "zod";
import { flag, lenientArray, nullableNumber, nullableString, optionalFlag } from "./lenient.ts";

const id = z.union([z.string(), z.number()]).transform(String);

/** Tallyfy wraps included relations as {data: …}; accept both wrapped and bare. */
function unwrap<T extends z.ZodType>(inner: T) {
  return z.union([
    z.object({ data: inner }).transform((w) => (w as { data: z.output<T> }).data),
    inner,
  ]);
}

export const KICKOFF_FIELD_TYPES = [
  "text",
  "textarea",
  "radio",
  "dropdown",
  "multiselect",
  "date",
  "email",
  "file",
  "table",
  "assignees_form",
] as const;
export type KnownFieldType = (typeof KICKOFF_FIELD_TYPES)[number];

export const optionSchema = z.object({
  id: z.union([z.number(), z.string()]),
  text: z.string(),
  value: z.unknown().optional(),
});
export type FieldOption = z.output<typeof optionSchema>;

export const kickoffFieldSchema = z.object({
  id: z.string(),
  alias: nullableString,
  label: z.string(),
  /** One of KICKOFF_FIELD_TYPES; unknown types pass through untouched. */
  field_type: z.string(),
  required: flag(false),
  position: nullableNumber.transform((v) => v ?? 0),
  guidance: nullableString,
  options: z
    .array(optionSchema)
    .nullish()
    .transform((v) => v ?? []),
  columns: z
    .array(z.object({ id: id, label: z.string() }))
    .nullish()
    .transform((v) => v ?? []),
  /** date fields: whether the field keeps a time as well as a day. */
  collect_time: flag(false),
});
export type KickoffField = z.output<typeof kickoffFieldSchema>;

export const templateSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  summary: nullableString,
  type: nullableString,
  status: nullableString,
  starred: flag(false),
  steps_count: nullableNumber,
  archived_at: nullableString,
});
export type TemplateSummary = z.output<typeof templateSummarySchema>;

export const templateSchema = templateSummarySchema.extend({
  prerun: unwrap(z.array(kickoffFieldSchema))
    .nullish()
    .transform((v) => [...(v ?? [])].sort((a, b) => a.position - b.position)),
  steps: unwrap(z.array(z.object({ id: id, title: z.string().nullish() })))
    .nullish()
    .transform((v) => v ?? []),
});
export type Template = z.output<typeof templateSchema>;

export interface Progress {
  complete: number | null;
  total: number | null;
  percent: number;
}
export const progressSchema = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .transform(Number),
    z.object({
      complete: nullableNumber,
      total: nullableNumber,
      percent: nullableNumber,
    }),
  ])
  .nullish()
  .catch(null)
  .transform((v): Progress => {
    if (v == null) return { complete: null, total: null, percent: 0 };
    if (typeof v === "number") return { complete: null, total: null, percent: clampPercent(v) };
    const percent =
      v.percent ?? (v.total && v.complete != null ? Math.round((v.complete / v.total) * 100) : 0);
    return { complete: v.complete, total: v.total, percent: clampPercent(percent) };
  });

function clampPercent(n: number): number {
  return Math.max(0, Math.min(100, Math.round(n)));
}

export const tagSchema = z.object({
  id: id,
  title: z.string(),
  color: nullableString,
});
export type Tag = z.output<typeof tagSchema>;

/** Runs carry tags as objects, wrapped objects, or bare ids. */
const runTagsSchema = unwrap(
  lenientArray(z.union([tagSchema, id.transform((t) => ({ id: t, title: t, color: null }))])),
).transform((v): Tag[] => v);

/** A user id, or an `{id}` object: owners come both ways. */
const ownerUserIds = z
  .unknown()
  .optional()
  .transform((raw): number[] => {
    const users = (raw as { users?: unknown } | null | undefined)?.users;
    if (!Array.isArray(users)) return [];
    return users
      .map((u) => Number(typeof u === "object" && u !== null ? (u as { id?: unknown }).id : u))
      .filter((n) => Number.isInteger(n));
  });

export const taskSummarySchema = z.object({
  id: id,
  title: z.string(),
  deadline: nullableString,
  status: nullableString,
  position: nullableNumber,
  /** Absent in some includes (next_task): the click reads the task and finds out. */
  task_type: nullableString,
  completed_at: nullableString,
  /** Assigned Tallyfy user ids. */
  owners: ownerUserIds,
});
export type TaskSummary = z.output<typeof taskSummarySchema>;

const runTasks = unwrap(lenientArray(taskSummarySchema));

const nextTaskSchema = unwrap(z.union([z.array(taskSummarySchema), taskSummarySchema]))
  .nullish()
  .catch(null)
  .transform((v): TaskSummary | null => (Array.isArray(v) ? (v[0] ?? null) : (v ?? null)));

/** prerun values keyed by field id; the service sends [] when there are none. */
const prerunValuesSchema = z
  .union([z.record(z.string(), z.unknown()), z.array(z.unknown())])
  .nullish()
  .transform((v): Record<string, unknown> => {
    if (!v) return {};
    if (!Array.isArray(v)) return v;
    const out: Record<string, unknown> = {};
    for (const item of v) {
      if (item && typeof item === "object" && !Array.isArray(item)) Object.assign(out, item);
    }
    return out;
  });

const memberIds = lenientArray(
  z.union([z.number(), z.string(), z.object({ id: z.union([z.number(), z.string()]) })]),
).transform((v) => v.map((m) => (typeof m === "object" ? m.id : m)));

export const runSchema = z.object({
  id: z.string(),
  increment_id: nullableNumber,
  /** Blank when unreadable: the row still shows (as "Untitled process") and can be opened. */
  name: z.string().catch(""),
  summary: nullableString,
  /** Blank when unreadable; shown as "Unknown". */
  status: z.string().catch(""),
  checklist_id: nullableString,
  checklist_title: nullableString,
  progress: progressSchema,
  owner_id: nullableNumber,
  started_by: nullableNumber,
  users: memberIds.transform((v) => v.map(Number).filter((n) => Number.isFinite(n))),
  groups: memberIds.transform((v) => v.map(String)),
  prerun: prerunValuesSchema,
  due_date: nullableString,
  due_date_passed: flag(false),
  late_tasks: nullableNumber,
  created_at: nullableString,
  last_updated: nullableString,
  completed_at: nullableString,
  archived_at: nullableString,
  prevent_guest_comment: flag(false),
  tags: runTagsSchema,
  next_task: nextTaskSchema,
  /** With `with=tasks`: every task, for the card's next task; null when not included. */
  tasks: z
    .unknown()
    .optional()
    .transform((raw): TaskSummary[] | null => (raw == null ? null : runTasks.parse(raw))),
  /** Not every response carries these; runs.update compares against them when present. */
  is_public: optionalFlag,
  starred: optionalFlag,
  folders: z
    .array(z.union([id, z.object({ id: id }).transform((f) => f.id)]))
    .optional()
    .catch(undefined),
});
export type Run = z.output<typeof runSchema>;

export const userSchema = z
  .object({
    id: z.coerce.number(),
    email: z.string(),
    first_name: nullableString,
    last_name: nullableString,
    full_name: nullableString,
    timezone: nullableString,
  })
  .transform((u) => ({
    ...u,
    full_name: u.full_name ?? ([u.first_name, u.last_name].filter(Boolean).join(" ") || u.email),
  }));
export type TallyfyUser = z.output<typeof userSchema>;

export const organizationSchema = z.object({ id: id, name: z.string() });
export type Organization = z.output<typeof organizationSchema>;

export {
  itemEnvelope,
  listEnvelope,
  type Page,
  type Pagination,
  paginationSchema,
  type SkippedRow,
} from "./envelopes.ts";

/** Error bodies: {error:true,message}, {error:{code,message}}, {errors:{field:[…]}}, code at top. */
export const errorBodySchema = z
  .object({
    error: z.union([
      z.boolean(),
      z.string(),
      z.object({ code: z.string().nullish(), message: z.string().nullish() }).loose(),
    ]),
    message: z.string().nullish(),
    code: z.string().nullish(),
    errors: z.record(z.string(), z.union([z.array(z.string()), z.string()])).nullish(),
  })
  .partial()
  .loose();
