/** Run operations with the live service's rules, traps included. */
import { randomBytes } from "node:crypto";
import { ApiError, invalid, resourceNotFound } from "./http.ts";
import { type PrerunContext, prerunForLaunch, prerunForUpdate } from "./prerun.ts";
import { stepTaskDetails } from "./tasks.ts";
import type { RunStatus, SandboxRun, SandboxState, SandboxTask, SandboxUser } from "./types.ts";

const STATUSES: readonly RunStatus[] = ["active", "problem", "delayed", "complete", "archived"];
const DAY_MS = 86_400_000;
const MAX_NAME = 550;

type Body = Record<string, unknown>;
type Errors = Record<string, string[]>;

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function findRun(state: SandboxState, orgId: string, id: string): SandboxRun {
  const run = state.runs.get(id);
  if (!run || run.orgId !== orgId) throw resourceNotFound("Process");
  return run;
}

// ---- list -----------------------------------------------------------------------------

export function listRuns(state: SandboxState, orgId: string, q: Record<string, string>) {
  const status = q.status;
  const archivedOnly = q.archived === "only" || status === "archived";
  const owners = csv(q.owners).map(Number);
  const groups = csv(q.groups);
  const search = q.q?.trim().toLowerCase();
  const starred = q.starred === undefined ? undefined : q.starred === "true" || q.starred === "1";
  const runs = [...state.runs.values()].filter((r) => {
    if (r.orgId !== orgId) return false;
    if (archivedOnly ? r.status !== "archived" : r.status === "archived") return false;
    if (status && status !== "archived" && r.status !== status) return false;
    if (search && !r.name.toLowerCase().includes(search)) return false;
    if (owners.length && !owners.includes(r.owner_id)) return false;
    if (q.checklist_id && r.checklist_id !== q.checklist_id) return false;
    if (q.tag && !r.tags.includes(q.tag)) return false;
    if (q.folder && !r.folders.includes(q.folder)) return false;
    if (groups.length && !r.groups.some((g) => groups.includes(g))) return false;
    if (starred !== undefined && r.starred !== starred) return false;
    return true;
  });
  return runs.sort(comparator(q.sort));
}

function csv(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function comparator(sort: string | undefined): (a: SandboxRun, b: SandboxRun) => number {
  const desc = sort?.startsWith("-") ?? true;
  const key = sort?.replace(/^-/, "") === "name" ? "name" : "created_at";
  return (a, b) => {
    const primary =
      key === "name" ? a.name.localeCompare(b.name) : a.created_at.localeCompare(b.created_at);
    const order = primary || a.increment_id - b.increment_id;
    return desc ? -order : order;
  };
}

// ---- validation -----------------------------------------------------------------------

function orgMembers(state: SandboxState, orgId: string): PrerunContext {
  return {
    userIds: new Set(state.users.filter((u) => u.orgIds.includes(orgId)).map((u) => u.id)),
    groupIds: new Set(state.groups.filter((g) => g.orgId === orgId).map((g) => g.id)),
  };
}

function checkIds(
  errors: Errors,
  body: Body,
  key: string,
  known: (v: unknown) => boolean,
  label: string,
) {
  if (!Object.hasOwn(body, key) || body[key] === null) return;
  const list = body[key];
  if (!Array.isArray(list)) {
    errors[key] = [`The ${label} must be an array.`];
    return;
  }
  list.forEach((v, i) => {
    if (!known(v)) errors[`${key}.${i}`] = [`The selected ${key}.${i} is invalid.`];
  });
}

function validateCommon(state: SandboxState, orgId: string, body: Body): Errors {
  const errors: Errors = {};
  const members = orgMembers(state, orgId);
  if (Object.hasOwn(body, "name")) {
    if (typeof body.name !== "string") errors.name = ["The name must be a string."];
    else if (body.name.length > MAX_NAME) {
      errors.name = [`The name may not be greater than ${MAX_NAME} characters.`];
    }
  }
  if (Object.hasOwn(body, "summary") && body.summary !== null && typeof body.summary !== "string") {
    errors.summary = ["The summary must be a string."];
  }
  if (Object.hasOwn(body, "owner_id") && body.owner_id !== null) {
    if (!members.userIds.has(body.owner_id as number)) {
      errors.owner_id = ["The selected owner id is invalid."];
    }
  }
  const tagIds = new Set(state.tags.filter((t) => t.orgId === orgId).map((t) => t.id));
  checkIds(errors, body, "tags", (v) => tagIds.has(v as string), "tags");
  checkIds(errors, body, "users", (v) => members.userIds.has(v as number), "users");
  checkIds(errors, body, "groups", (v) => members.groupIds.has(v as string), "groups");
  checkIds(errors, body, "folders", (v) => typeof v === "string", "folders");
  for (const flag of ["is_public", "prevent_guest_comment", "starred"]) {
    if (Object.hasOwn(body, flag) && typeof body[flag] !== "boolean") {
      errors[flag] = [`The ${flag.replaceAll("_", " ")} field must be true or false.`];
    }
  }
  return errors;
}

function requireObject(body: unknown): Body {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(400, { error: true, message: "The request body must be a JSON object." });
  }
  return body as Body;
}

// ---- launch ---------------------------------------------------------------------------

export function launchRun(
  state: SandboxState,
  orgId: string,
  user: SandboxUser,
  rawBody: unknown,
  now: number,
): SandboxRun {
  const body = requireObject(rawBody ?? {});
  const errors = validateCommon(state, orgId, body);
  const checklistId = body.checklist_id;
  if (checklistId === undefined || checklistId === null || checklistId === "") {
    errors.checklist_id = ["The checklist id field is required."];
  } else if (typeof checklistId !== "string") {
    errors.checklist_id = ["The checklist id must be a string."];
  }
  if (Object.keys(errors).length) throw invalid(errors);

  const tpl = state.templates.find((t) => t.id === checklistId && t.orgId === orgId);
  if (!tpl) throw resourceNotFound("Checklist");
  const prerun = prerunForLaunch(tpl.prerun, body.prerun, orgMembers(state, orgId));

  const ownerId = (body.owner_id as number | undefined) ?? user.id;
  const overrides = (body.tasks ?? {}) as Record<string, { deadline?: unknown; users?: unknown }>;
  const tasks = tpl.steps.map((step): SandboxTask => {
    const o = overrides[step.id] ?? {};
    const deadline =
      typeof o.deadline === "string" && !Number.isNaN(Date.parse(o.deadline))
        ? iso(Date.parse(o.deadline))
        : iso(now + step.deadlineDays * DAY_MS);
    return {
      id: randomBytes(16).toString("hex"),
      step_id: step.id,
      title: step.title,
      position: step.position,
      status: "not-started",
      deadline,
      completed_at: null,
      users: Array.isArray(o.users) ? (o.users as number[]) : [ownerId],
      ...stepTaskDetails(step),
    };
  });
  const deadlines = tasks.map((t) => Date.parse(t.deadline ?? "")).filter(Number.isFinite);
  const stamp = iso(now);
  const run: SandboxRun = {
    id: randomBytes(16).toString("hex"),
    orgId,
    increment_id: state.nextIncrementId++,
    name:
      (body.name as string | undefined) || `${tpl.title} - ${stamp.slice(0, 16).replace("T", " ")}`,
    summary: (body.summary as string | null | undefined) ?? null,
    status: "active",
    previous_status: null,
    checklist_id: tpl.id,
    checklist_title: tpl.title,
    owner_id: ownerId,
    started_by: user.id,
    users: (body.users as number[] | undefined) ?? [user.id],
    groups: (body.groups as string[] | undefined) ?? [],
    prerun,
    due_date: deadlines.length ? iso(Math.max(...deadlines)) : null,
    created_at: stamp,
    last_updated: stamp,
    completed_at: null,
    archived_at: null,
    prevent_guest_comment: (body.prevent_guest_comment as boolean | undefined) ?? false,
    is_public: (body.is_public as boolean | undefined) ?? false,
    starred: false,
    parent_id: typeof body.parent_id === "string" ? body.parent_id : null,
    tags: (body.tags as string[] | undefined) ?? [],
    folders: (body.folders as string[] | undefined) ?? [],
    tasks,
  };
  state.runs.set(run.id, run);
  return run;
}

// ---- update, archive, activate --------------------------------------------------------

/**
 * PUT applies the keys sent, except for the live service's data-loss trap: a body without
 * `users` or `groups` empties them.
 */
export function updateRun(
  state: SandboxState,
  run: SandboxRun,
  rawBody: unknown,
  now: number,
): SandboxRun {
  const body = requireObject(rawBody ?? {});
  const errors = validateCommon(state, run.orgId, body);
  if (Object.keys(errors).length) throw invalid(errors);
  const tpl = state.templates.find((t) => t.id === run.checklist_id);
  const prerun = Object.hasOwn(body, "prerun")
    ? prerunForUpdate(tpl?.prerun ?? [], run.prerun, body.prerun, orgMembers(state, run.orgId))
    : run.prerun;

  const has = (k: string) => Object.hasOwn(body, k);
  if (has("name") && body.name) run.name = body.name as string;
  if (has("summary")) run.summary = (body.summary as string | null) ?? null;
  if (has("owner_id") && body.owner_id !== null) run.owner_id = body.owner_id as number;
  if (has("tags")) run.tags = [...((body.tags as string[] | null) ?? [])];
  if (has("folders")) run.folders = [...((body.folders as string[] | null) ?? [])];
  if (has("prevent_guest_comment"))
    run.prevent_guest_comment = body.prevent_guest_comment as boolean;
  if (has("is_public")) run.is_public = body.is_public as boolean;
  if (has("starred")) run.starred = body.starred as boolean;
  run.users = [...((body.users as number[] | null | undefined) ?? [])];
  run.groups = [...((body.groups as string[] | null | undefined) ?? [])];
  run.prerun = prerun;
  run.last_updated = iso(now);
  return run;
}

export function archiveRun(run: SandboxRun, now: number): SandboxRun {
  if (run.status === "archived") return run;
  run.previous_status = run.status;
  run.status = "archived";
  run.archived_at = iso(now);
  run.last_updated = iso(now);
  return run;
}

export function activateRun(run: SandboxRun, now: number): SandboxRun {
  if (run.status !== "archived") {
    throw new ApiError(400, { error: true, message: "Process is not archived." });
  }
  const previous = run.previous_status;
  run.status =
    previous && STATUSES.includes(previous) && previous !== "archived" ? previous : "active";
  run.previous_status = null;
  run.archived_at = null;
  run.last_updated = iso(now);
  return run;
}
