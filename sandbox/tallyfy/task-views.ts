/**
 * Tasks as the live service renders them. Owners differ by endpoint, as on the live service:
 * a single task lists user ids, lists and creates give `{id, full_name}` objects. Includes
 * (`with=form_fields,run,threads`) come back wrapped as {data}.
 */
import { type FoundTask, runIdOf } from "./tasks.ts";
import type { SandboxState, SandboxThread } from "./types.ts";
import { formFieldView } from "./views.ts";

export interface TaskViewOptions {
  with: ReadonlySet<string>;
  /** List responses carry owners as objects; single GETs as ids. */
  ownersAsObjects: boolean;
}

const STATUS_LABEL: Record<string, string> = {
  "not-started": "Not started",
  "in-progress": "In progress",
  completed: "Completed",
};

export function threadView(t: SandboxThread) {
  return {
    id: t.id,
    label: t.label,
    content: t.content,
    state: t.state,
    sent_by: t.author_id,
    created_at: t.created_at,
    resolve_id: t.resolve_id,
  };
}

function ownersView(state: SandboxState, found: FoundTask, asObjects: boolean) {
  const { task } = found;
  const users = asObjects
    ? task.users.map((id) => {
        const u = state.users.find((x) => x.id === id);
        return { id, full_name: u ? `${u.first_name} ${u.last_name}` : null, profile_pic: null };
      })
    : [...task.users];
  return { users, guests: [...(task.guests ?? [])], groups: [...(task.groups ?? [])] };
}

export function fullTaskView(state: SandboxState, found: FoundTask, opts: TaskViewOptions) {
  const { task, run, oneOff } = found;
  const view: Record<string, unknown> = {
    id: task.id,
    title: task.title,
    summary: task.summary ?? null,
    task_type: task.task_type ?? "task",
    status: task.status,
    status_label: STATUS_LABEL[task.status] ?? task.status,
    run_id: runIdOf(found),
    checklist_id: run?.checklist_id ?? null,
    step_id: task.step_id || null,
    position: task.position,
    deadline: task.deadline,
    created_at: task.created_at ?? run?.created_at ?? null,
    last_updated: task.last_updated ?? run?.last_updated ?? null,
    completed_at: task.completed_at,
    completer_id: task.completer_id ?? null,
    is_approved: task.is_approved ?? null,
    is_oneoff_task: oneOff !== null,
    is_completable: true,
    everyone_must_complete: false,
    can_complete_only_assignees: task.can_complete_only_assignees ?? false,
    owners: ownersView(state, found, opts.ownersAsObjects),
    taskdata: Object.keys(task.taskdata ?? {}).length ? structuredClone(task.taskdata) : [],
  };
  const w = opts.with;
  if (w.has("form_fields")) {
    view.form_fields = {
      data: (task.form_fields ?? []).map((f) => ({
        ...formFieldView(f),
        field_value: task.taskdata?.[f.id] ?? null,
      })),
    };
  }
  if (w.has("run")) {
    view.run = {
      data: run
        ? {
            id: run.id,
            name: run.name,
            status: run.status,
            checklist_id: run.checklist_id,
            checklist_title: run.checklist_title,
          }
        : { id: runIdOf(found), name: task.title, status: "active", checklist_id: null },
    };
  }
  if (w.has("threads")) view.threads = { data: (task.threads ?? []).map(threadView) };
  return view;
}
