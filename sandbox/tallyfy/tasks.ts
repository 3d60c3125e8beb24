/**
 * Task operations with the live service's rules, traps included (shared/tallyfy-api/
 * TASKS-AND-WEBHOOKS.md §4, §6, §10): an approval without `is_approved` is a 422; completing a
 * completed task answers 200 and counts again (Tallyfy re-fires webhooks and emails); a PUT
 * with a partial `owners` unassigns the buckets left out; unknown `taskdata` keys are dropped
 * with 200; a multiselect without `selected` is stored as sent; a table needs one entry per
 * column; an open issue blocks completion; a completed task refuses form values.
 */
import { randomBytes } from "node:crypto";
import { ApiError, invalid, invalidMessage, resourceNotFound } from "./http.ts";
import { isEmpty, normalize, type PrerunContext } from "./prerun.ts";
import type {
  SandboxField,
  SandboxOneOffTask,
  SandboxRun,
  SandboxState,
  SandboxStep,
  SandboxTask,
  SandboxThread,
  SandboxUser,
  TaskType,
} from "./types.ts";

export const TASK_TYPES: readonly TaskType[] = [
  "task",
  "approval",
  "expiring",
  "email",
  "expiring_email",
];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TITLE_MAX = 600;

type Body = Record<string, unknown>;

/** A task and where it lives: a process, or its own hidden container (one-off). */
export interface FoundTask {
  task: SandboxTask;
  run: SandboxRun | null;
  oneOff: SandboxOneOffTask | null;
}

export const runIdOf = (f: FoundTask): string =>
  f.run ? f.run.id : (f.oneOff?.container_run_id ?? "");

const iso = (ms: number) => new Date(ms).toISOString();
const isObj = (v: unknown): v is Body => typeof v === "object" && v !== null && !Array.isArray(v);

/** What a task made from a step starts with: its type and (copies of) its form fields. */
export function stepTaskDetails(step: SandboxStep): Partial<SandboxTask> {
  return {
    task_type: step.task_type ?? "task",
    ...(step.form_fields ? { form_fields: structuredClone(step.form_fields), taskdata: {} } : {}),
  };
}

export function findTask(state: SandboxState, orgId: string, taskId: string): FoundTask {
  for (const run of state.runs.values()) {
    if (run.orgId !== orgId) continue;
    const task = run.tasks.find((t) => t.id === taskId);
    if (task) return { task, run, oneOff: null };
  }
  const oneOff = state.oneOffTasks.find((t) => t.id === taskId && t.orgId === orgId);
  if (oneOff) return { task: oneOff, run: null, oneOff };
  throw resourceNotFound("Task");
}

/** A task addressed through a process: one-off tasks are not in any real process. */
export function findRunTask(
  state: SandboxState,
  orgId: string,
  runId: string,
  taskId: string,
): FoundTask {
  const run = state.runs.get(runId);
  if (!run || run.orgId !== orgId) throw resourceNotFound("Process");
  const task = run.tasks.find((t) => t.id === taskId);
  if (!task) throw resourceNotFound("Task");
  return { task, run, oneOff: null };
}

/** Every task of the organization, with where it lives; archived processes left out. */
export function allTasks(state: SandboxState, orgId: string): FoundTask[] {
  const out: FoundTask[] = [];
  for (const run of state.runs.values()) {
    if (run.orgId !== orgId || run.status === "archived") continue;
    for (const task of run.tasks) out.push({ task, run, oneOff: null });
  }
  for (const t of state.oneOffTasks)
    if (t.orgId === orgId) out.push({ task: t, run: null, oneOff: t });
  return out;
}

export function isAssignee(state: SandboxState, task: SandboxTask, user: SandboxUser): boolean {
  if (task.users.includes(user.id)) return true;
  const groups = task.groups ?? [];
  return state.groups.some((g) => groups.includes(g.id) && g.members.includes(user.id));
}

export const openIssues = (task: SandboxTask): SandboxThread[] =>
  (task.threads ?? []).filter((t) => t.label === "problem" && t.resolve_id === null);

function members(state: SandboxState, orgId: string): PrerunContext {
  return {
    userIds: new Set(state.users.filter((u) => u.orgIds.includes(orgId)).map((u) => u.id)),
    groupIds: new Set(state.groups.filter((g) => g.orgId === orgId).map((g) => g.id)),
  };
}

function requireObject(body: unknown): Body {
  if (!isObj(body)) {
    throw new ApiError(400, { error: true, message: "The request body must be a JSON object." });
  }
  return body;
}

// ---- completion ------------------------------------------------------------------------

function missingRequired(task: SandboxTask): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const field of task.form_fields ?? []) {
    if (field.required && isEmpty(task.taskdata?.[field.id])) {
      errors[`taskdata.${field.id}`] = [`${field.label} is required`];
    }
  }
  return errors;
}

/** POST …/completed-tasks. `scope` says which endpoint was used; each takes one kind of task. */
export function completeTask(
  state: SandboxState,
  found: FoundTask,
  user: SandboxUser,
  rawBody: unknown,
  now: number,
): SandboxTask {
  const body = requireObject(rawBody ?? {});
  const { task } = found;
  const type = task.task_type ?? "task";
  if (openIssues(task).length > 0) {
    throw invalidMessage(
      "This task has an unresolved issue. Resolve it before completing the task.",
    );
  }
  if (task.can_complete_only_assignees && !isAssignee(state, task, user) && user.role !== "admin") {
    throw new ApiError(403, { error: true, message: "Only assignees can complete this task." });
  }
  if (type === "approval" && typeof body.is_approved !== "boolean") {
    throw invalid({ is_approved: ["The is approved field is required."] });
  }
  const approved = typeof body.is_approved === "boolean" ? body.is_approved : null;
  if (task.status === "completed") {
    // The live service ignores that nothing changed and dispatches task.completed again.
    state.completionLog.push({
      taskId: task.id,
      userId: user.id,
      at: now,
      repeat: true,
      is_approved: approved,
    });
    return task;
  }
  const missing = missingRequired(task);
  if (Object.keys(missing).length) {
    throw new ApiError(422, {
      error: true,
      message: Object.values(missing)[0]?.[0] ?? "The given data was invalid.",
      errors: missing,
    });
  }
  task.status = "completed";
  task.completed_at = iso(now);
  task.completer_id = user.id;
  task.last_updated = iso(now);
  // Task.php: is_approved = ($is_approved !== false), so false on an expiring task = EXPIRED.
  if (type === "approval") task.is_approved = approved;
  else if (type === "expiring" || type === "expiring_email") task.is_approved = approved !== false;
  else task.is_approved = null;
  state.completionLog.push({
    taskId: task.id,
    userId: user.id,
    at: now,
    repeat: false,
    is_approved: approved,
  });
  const { run } = found;
  if (run) {
    if (run.tasks.every((t) => t.status === "completed")) {
      run.status = "complete";
      run.completed_at = iso(now);
    }
    run.last_updated = iso(now);
  }
  return task;
}

/** DELETE …/completed-tasks/{task}: open again, the completion forgotten. */
export function reopenTask(found: FoundTask, now: number): SandboxTask {
  const { task, run } = found;
  if (task.status !== "completed") return task;
  task.status = "in-progress";
  task.completed_at = null;
  task.completer_id = null;
  task.is_approved = null;
  task.last_updated = iso(now);
  if (run && run.status === "complete") {
    run.status = "active";
    run.completed_at = null;
  }
  return task;
}

// ---- updates ---------------------------------------------------------------------------

function tableValue(field: SandboxField, value: unknown): unknown {
  const columns = field.columns?.length ?? 0;
  if (!Array.isArray(value) || value.length === 0 || value.length !== columns) {
    throw invalidMessage("Number of columns does not match required columns");
  }
  return value;
}

/** Merges taskdata by field id: unknown keys dropped (200), each value checked like prerun. */
function applyTaskdata(state: SandboxState, orgId: string, task: SandboxTask, input: unknown) {
  if (!isObj(input)) throw invalid({ taskdata: ["The taskdata must be an array."] });
  const ctx = members(state, orgId);
  const data = { ...(task.taskdata ?? {}) };
  for (const field of task.form_fields ?? []) {
    if (!Object.hasOwn(input, field.id)) continue;
    const value = input[field.id];
    try {
      if (field.field_type === "table") data[field.id] = tableValue(field, value);
      else if (isEmpty(value)) delete data[field.id];
      else data[field.id] = normalize(field, value, ctx);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      const message = String(e.body.message ?? "The value is invalid.");
      throw new ApiError(422, {
        error: true,
        message,
        errors: { [`taskdata.${field.id}`]: [message] },
      });
    }
  }
  task.taskdata = data;
}

/** `owners` as sent, each missing bucket read as empty: the live service's unassign trap. */
function applyOwners(state: SandboxState, orgId: string, task: SandboxTask, owners: unknown) {
  const o = isObj(owners) ? owners : {};
  const list = (k: string) => (Array.isArray(o[k]) ? (o[k] as unknown[]) : []);
  const ctx = members(state, orgId);
  const users = list("users").map((u) => (isObj(u) ? u.id : u));
  if (!users.every((u) => Number.isInteger(u) && ctx.userIds.has(u as number))) {
    throw invalid({ "owners.users": ["The selected owners.users is invalid."] });
  }
  const guests = list("guests");
  if (!guests.every((g) => typeof g === "string" && EMAIL.test(g))) {
    throw invalid({ "owners.guests": ["Guests must be email addresses."] });
  }
  const groups = list("groups");
  if (!groups.every((g) => typeof g === "string" && ctx.groupIds.has(g))) {
    throw invalid({ "owners.groups": ["The selected owners.groups is invalid."] });
  }
  task.users = users as number[];
  task.guests = guests as string[];
  task.groups = groups as string[];
}

/** "YYYY-MM-DD HH:MM:SS" (UTC) or ISO 8601, as an ISO string; undefined when unreadable. */
function validDeadline(v: unknown): string | undefined {
  if (typeof v !== "string" || !v.trim()) return undefined;
  const text = v.trim().replace(" ", "T");
  const zoned = /(?:[zZ]|[+-]\d\d:?\d\d)$/.test(text) || !text.includes("T");
  const ms = Date.parse(zoned ? text : `${text}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** PUT …/runs/{run}/tasks/{task} and PUT …/tasks/{task} (one-off: title, deadline, owners required). */
export function updateTask(
  state: SandboxState,
  found: FoundTask,
  rawBody: unknown,
  now: number,
): SandboxTask {
  const body = requireObject(rawBody ?? {});
  const { task } = found;
  const orgId = found.run?.orgId ?? found.oneOff?.orgId ?? "";
  if (found.oneOff) {
    const errors: Record<string, string[]> = {};
    for (const key of ["title", "deadline", "owners"]) {
      if (!Object.hasOwn(body, key)) errors[key] = [`The ${key} field is required.`];
    }
    if (Object.keys(errors).length) throw invalid(errors);
  }
  if (task.status === "completed") throw invalidMessage("Completed tasks can't be updated.");
  if (Object.hasOwn(body, "title")) {
    if (typeof body.title !== "string" || !body.title.trim() || body.title.length > TITLE_MAX) {
      throw invalid({ title: [`The title must be a string of at most ${TITLE_MAX} characters.`] });
    }
  }
  if (Object.hasOwn(body, "deadline") && body.deadline !== null && !validDeadline(body.deadline)) {
    throw invalid({ deadline: ["The deadline is not a valid date."] });
  }
  if (Object.hasOwn(body, "taskdata")) applyTaskdata(state, orgId, task, body.taskdata);
  if (Object.hasOwn(body, "owners")) applyOwners(state, orgId, task, body.owners);
  if (typeof body.title === "string") task.title = body.title;
  if (Object.hasOwn(body, "deadline")) task.deadline = validDeadline(body.deadline) ?? null;
  if (Object.hasOwn(body, "summary")) task.summary = (body.summary as string | null) ?? null;
  task.last_updated = iso(now);
  return task;
}

// ---- one-off tasks ---------------------------------------------------------------------

/** POST /organizations/{org}/tasks. */
export function createOneOffTask(
  state: SandboxState,
  orgId: string,
  user: SandboxUser,
  rawBody: unknown,
  now: number,
): SandboxOneOffTask {
  const body = requireObject(rawBody ?? {});
  const errors: Record<string, string[]> = {};
  const title = body.title;
  if (typeof title !== "string" || !title.trim()) errors.title = ["The title field is required."];
  else if (title.length > TITLE_MAX) {
    errors.title = [`The title may not be greater than ${TITLE_MAX} characters.`];
  }
  if (!TASK_TYPES.includes(body.task_type as TaskType)) {
    errors.task_type = ["The selected task type is invalid."];
  }
  if (!validDeadline(body.deadline)) errors.deadline = ["The deadline is not a valid date."];
  if (body.summary !== undefined && body.summary !== null && typeof body.summary !== "string") {
    errors.summary = ["The summary must be a string."];
  }
  if (Object.keys(errors).length) throw invalid(errors);
  const stamp = iso(now);
  const task: SandboxOneOffTask = {
    id: randomBytes(16).toString("hex"),
    orgId,
    container_run_id: randomBytes(16).toString("hex"),
    created_by: user.id,
    step_id: "",
    title: title as string,
    position: 1,
    status: "not-started",
    deadline: validDeadline(body.deadline) ?? null,
    completed_at: null,
    users: [],
    task_type: body.task_type as TaskType,
    summary: typeof body.summary === "string" ? body.summary : null,
    threads: [],
    created_at: stamp,
    last_updated: stamp,
  };
  applyOwners(state, orgId, task, body.owners);
  if (task.users.length + (task.guests?.length ?? 0) + (task.groups?.length ?? 0) === 0) {
    throw invalid({ owners: ["At least one assignee is required."] });
  }
  state.oneOffTasks.push(task);
  return task;
}

// ---- comments and issues ---------------------------------------------------------------

/** POST …/tasks/{id}/comment (label "comment") or …/problem (label "problem"). */
export function addThread(
  task: SandboxTask,
  user: SandboxUser,
  rawBody: unknown,
  label: "comment" | "problem",
  now: number,
): SandboxThread {
  const body = requireObject(rawBody ?? {});
  if (typeof body.content !== "string" || !body.content.trim()) {
    throw invalid({ content: ["The content field is required."] });
  }
  const mentions = [...body.content.matchAll(/@\[(\d+)]/g)].map((m) => Number(m[1]));
  const thread: SandboxThread = {
    id: randomBytes(16).toString("hex"),
    label:
      label === "problem" ? "problem" : typeof body.label === "string" ? body.label : "comment",
    content: body.content,
    state: typeof body.state === "string" ? body.state : "hide-for-guests",
    author_id: user.id,
    created_at: iso(now),
    resolve_id: null,
    mentions: [...new Set(mentions)],
  };
  task.threads = [...(task.threads ?? []), thread];
  return thread;
}

/** POST …/tasks/{id}/resolved-threads {thread_id}. */
export function resolveThread(task: SandboxTask, rawBody: unknown): SandboxThread {
  const body = requireObject(rawBody ?? {});
  const thread = (task.threads ?? []).find((t) => t.id === body.thread_id && t.label === "problem");
  if (!thread) throw resourceNotFound("Thread");
  thread.resolve_id = randomBytes(16).toString("hex");
  return thread;
}
