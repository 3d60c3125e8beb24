/** How the live service renders each entity as JSON. */
import type {
  SandboxField,
  SandboxRun,
  SandboxState,
  SandboxTag,
  SandboxTask,
  SandboxTemplate,
  SandboxUser,
} from "./types.ts";

export function userView(u: SandboxUser) {
  return {
    id: u.id,
    email: u.email,
    first_name: u.first_name,
    last_name: u.last_name,
    full_name: `${u.first_name} ${u.last_name}`,
    timezone: u.timezone,
    role: u.role,
    status: "active",
    profile_pic: null,
  };
}

export function tagView(t: SandboxTag) {
  return { id: t.id, title: t.title, color: t.color };
}

export function templateSummaryView(t: SandboxTemplate) {
  return {
    id: t.id,
    title: t.title,
    summary: t.summary,
    type: t.type,
    status: t.status,
    starred: t.starred,
    steps_count: t.steps.length,
    archived_at: t.archived_at,
    created_at: t.created_at,
    last_updated: t.last_updated,
  };
}

function fieldView(f: SandboxField, checklistId: string) {
  return { ...formFieldView(f), checklist_id: checklistId };
}

/** A form field as Tallyfy shows it, on a kick-off form or a task. */
export function formFieldView(f: SandboxField) {
  return {
    id: f.id,
    alias: f.alias,
    label: f.label,
    field_type: f.field_type,
    required: f.required,
    position: f.position,
    guidance: f.guidance,
    options: f.options,
    ...(f.columns ? { columns: f.columns } : {}),
    ...(f.collect_time !== undefined ? { collect_time: f.collect_time } : {}),
  };
}

/** `prerun` is always there; steps only with `with=steps`, wrapped as {data}. */
export function templateView(t: SandboxTemplate, withSteps: boolean) {
  return {
    ...templateSummaryView(t),
    prerun: t.prerun.map((f) => fieldView(f, t.id)),
    ...(withSteps
      ? {
          steps: {
            data: t.steps.map((s) => ({ id: s.id, title: s.title, position: s.position })),
          },
        }
      : {}),
  };
}

function taskView(t: SandboxTask, runId: string) {
  return {
    id: t.id,
    run_id: runId,
    step_id: t.step_id,
    title: t.title,
    task_type: t.task_type ?? "task",
    position: t.position,
    status: t.status,
    deadline: t.deadline,
    completed_at: t.completed_at,
    owners: { users: t.users, guests: [], groups: [] },
  };
}

function progressOf(run: SandboxRun) {
  const total = run.tasks.length;
  const complete = run.tasks.filter((t) => t.status === "completed").length;
  const percent = total === 0 ? 0 : Math.round((complete / total) * 100);
  return run.progressAsNumber ? percent : { complete, total, percent };
}

export interface RunViewOptions {
  with: ReadonlySet<string>;
  now: number;
}

export function runView(state: SandboxState, run: SandboxRun, opts: RunViewOptions) {
  const w = opts.with;
  const overdue = (deadline: string | null) => deadline !== null && Date.parse(deadline) < opts.now;
  const open = [...run.tasks]
    .filter((t) => t.status !== "completed")
    .sort((a, b) => a.position - b.position);
  const view: Record<string, unknown> = {
    id: run.id,
    increment_id: run.increment_id,
    checklist_id: run.checklist_id,
    checklist_title: run.checklist_title,
    name: run.name,
    summary: run.summary,
    status: run.status,
    progress: progressOf(run),
    owner_id: run.owner_id,
    started_by: run.started_by,
    users: [...run.users],
    groups: [...run.groups],
    // PHP serialises an empty associative array as [].
    prerun: Object.keys(run.prerun).length ? structuredClone(run.prerun) : [],
    due_date: run.due_date,
    due_date_passed: run.completed_at === null && overdue(run.due_date),
    late_tasks: open.filter((t) => overdue(t.deadline)).length,
    created_at: run.created_at,
    last_updated: run.last_updated,
    completed_at: run.completed_at,
    archived_at: run.archived_at,
    starred: run.starred,
    is_public: run.is_public,
    prevent_guest_comment: run.prevent_guest_comment,
    parent_id: run.parent_id,
    folders: [...run.folders],
    type: "procedure",
    tags: [...run.tags],
  };
  if (w.has("tags")) {
    view.tags = {
      data: state.tags.filter((t) => run.tags.includes(t.id)).map((t) => tagView(t)),
    };
  }
  if (w.has("checklist")) {
    const tpl = state.templates.find((t) => t.id === run.checklist_id);
    view.checklist = { data: tpl ? templateSummaryView(tpl) : null };
  }
  if (w.has("tasks")) {
    const tasks = [...run.tasks].sort((a, b) => a.position - b.position);
    view.tasks = { data: tasks.map((t) => taskView(t, run.id)) };
  }
  if (w.has("next_task")) {
    const next = open[0];
    view.next_task = { data: next ? [taskView(next, run.id)] : [] };
  }
  if (run.raw) Object.assign(view, structuredClone(run.raw));
  return view;
}

export function parseWith(raw: string | undefined): Set<string> {
  return new Set(
    (raw ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
}
