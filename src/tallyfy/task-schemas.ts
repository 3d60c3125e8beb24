/**
 * Zod schemas for Tallyfy tasks (shared/tallyfy-api/TASKS-AND-WEBHOOKS.md §2–§5). Tolerant the
 * way the live service needs: owners as ids or `{id, full_name}` objects, includes wrapped as
 * {data} or bare, `field_value` (not `value`) as a form field's answer; in a list, a row that
 * cannot be read is skipped and counted instead of failing the page.
 */
import { z } from "zod";
import {
  type KickoffField,
  kickoffFieldSchema,
  type Pagination,
  paginationSchema,
} from "./schemas.ts";

export const TASK_TYPES = ["task", "approval", "expiring", "email", "expiring_email"] as const;
export type TaskType = (typeof TASK_TYPES)[number];

const nullableString = z
  .union([z.string(), z.number().transform(String)])
  .nullish()
  .catch(null)
  .transform((v) => (v === "" ? null : (v ?? null)));
const nullableNumber = z.coerce
  .number()
  .nullish()
  .catch(null)
  .transform((v) => (v == null || !Number.isFinite(v) ? null : v));
const flag = z
  .union([z.boolean(), z.number().transform((n) => n !== 0)])
  .nullish()
  .catch(null)
  .transform((v) => v ?? false);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** An include as Tallyfy sends it: `{data: …}` or bare. */
const unwrapped = (v: unknown): unknown => (isObj(v) && "data" in v ? v.data : v);

/** Rows of a list that parse; the others are counted, not thrown. */
function readRows<T extends z.ZodType>(item: T, rows: unknown[]) {
  const items: z.output<T>[] = [];
  let skipped = 0;
  for (const row of rows) {
    const r = item.safeParse(row);
    if (r.success) items.push(r.data);
    else skipped++;
  }
  return { items, skipped };
}

export interface TaskOwners {
  users: number[];
  guests: string[];
  groups: string[];
}

/**
 * Owners; null when absent or unreadable, so nothing that re-sends owners (one-off updates)
 * ever sends a partial set, which would unassign the rest (§10.1).
 */
const ownersSchema = z
  .unknown()
  .optional()
  .transform((raw): TaskOwners | null => {
    if (!isObj(raw)) return null;
    const list = (k: string) => (raw[k] == null ? [] : Array.isArray(raw[k]) ? raw[k] : undefined);
    const users = list("users");
    const guests = list("guests");
    const groups = list("groups");
    if (!users || !guests || !groups) return null;
    const out: TaskOwners = { users: [], guests: [], groups: [] };
    for (const u of users) {
      const id = Number(isObj(u) ? u.id : u);
      if (!Number.isInteger(id)) return null;
      out.users.push(id);
    }
    for (const g of guests) {
      const email = isObj(g) ? g.email : g;
      if (typeof email !== "string" || !email) return null;
      out.guests.push(email);
    }
    for (const g of groups) {
      const id = isObj(g) ? g.id : g;
      if ((typeof id !== "string" && typeof id !== "number") || id === "") return null;
      out.groups.push(String(id));
    }
    return out;
  });

/** A form field on a task: a kick-off field's shape plus its current answer. */
export type TaskFormField = KickoffField & { value: unknown };

export const taskFormFieldSchema = kickoffFieldSchema
  .extend({
    label: z
      .string()
      .nullish()
      .transform((v) => v ?? ""),
    field_value: z.unknown().optional(),
  })
  .transform(({ field_value, ...f }): TaskFormField => ({ ...f, value: field_value ?? null }));

const formFieldsSchema = z
  .unknown()
  .optional()
  .transform((raw) => {
    const list = unwrapped(raw);
    if (!Array.isArray(list)) return null;
    const { items } = readRows(taskFormFieldSchema, list);
    return items.sort((a, b) => a.position - b.position);
  });

const threadSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  label: nullableString,
  resolve_id: nullableString,
});

/** Open issues (unresolved "problem" threads); null when threads were not included. */
const openIssuesSchema = z
  .unknown()
  .optional()
  .transform((raw) => {
    const list = unwrapped(raw);
    if (!Array.isArray(list)) return null;
    return readRows(threadSchema, list).items.filter((t) => t.label === "problem" && !t.resolve_id)
      .length;
  });

const runRefSchema = z
  .unknown()
  .optional()
  .transform((raw) => {
    const run = unwrapped(raw);
    if (!isObj(run) || (typeof run.id !== "string" && typeof run.id !== "number")) return null;
    return { id: String(run.id), name: typeof run.name === "string" ? run.name : null };
  });

export const taskSchema = z
  .object({
    id: z.union([z.string().min(1), z.number()]).transform(String),
    title: z
      .string()
      .nullish()
      .catch(null)
      .transform((v) => v ?? ""),
    task_type: z
      .string()
      .nullish()
      .catch(null)
      .transform((v) => v || "task"),
    status: nullableString.transform((v) => v ?? "not-started"),
    run_id: nullableString,
    is_oneoff_task: flag,
    summary: nullableString,
    position: nullableNumber,
    deadline: nullableString,
    started_at: nullableString,
    created_at: nullableString,
    last_updated: nullableString,
    completed_at: nullableString,
    completer_id: nullableNumber,
    is_approved: z
      .boolean()
      .nullish()
      .catch(null)
      .transform((v) => v ?? null),
    can_complete_only_assignees: flag,
    everyone_must_complete: flag,
    owners: ownersSchema,
    run: runRefSchema,
    form_fields: formFieldsSchema,
    threads: openIssuesSchema,
  })
  .transform(({ threads, ...t }) => ({
    ...t,
    /** Open issues, when the task was read `with=threads`; null otherwise. */
    openIssues: threads,
    isCompleted: t.status === "completed" || t.status === "complete" || t.completed_at !== null,
  }));
export type Task = z.output<typeof taskSchema>;

export const commentSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  content: nullableString,
  label: nullableString,
});
export type TaskComment = z.output<typeof commentSchema>;

export interface TaskPage {
  items: Task[];
  pagination: Pagination;
  /** Rows Tallyfy sent that could not be read. */
  skipped: number;
}

const onePage = (n: number): Pagination => ({
  total: n,
  count: n,
  perPage: n,
  currentPage: 1,
  totalPages: 1,
  hasNext: false,
});

export const taskEnvelope = z.object({ data: taskSchema }).transform((e) => e.data);
export const commentEnvelope = z.object({ data: commentSchema }).transform((e) => e.data);

export const taskListEnvelope = z
  .object({
    data: z.array(z.unknown()),
    meta: z.object({ pagination: paginationSchema }).nullish().catch(null),
  })
  .transform((e): TaskPage => {
    const { items, skipped } = readRows(taskSchema, e.data);
    return { items, skipped, pagination: e.meta?.pagination ?? onePage(e.data.length) };
  });
