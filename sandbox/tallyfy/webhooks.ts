/**
 * Webhooks as Tallyfy sends them (shared/tallyfy-api/TASKS-AND-WEBHOOKS.md §7.3): a template's
 * webhook URL gets a process payload (RunTransformer fields at the top level, no event field)
 * when a process is launched or completed, and a task payload (`this_task`, `process`,
 * `next_task`…) for every task completion, repeats included. One POST each, no retry, no
 * signature; the only header is X-Tallyfy-orgID. Tests can ask for duplicates or drops.
 */
import type { SandboxRun, SandboxState, SandboxTask, SandboxUser } from "./types.ts";

export interface SentWebhook {
  url: string;
  body: Record<string, unknown>;
  /** The receiver's HTTP status; undefined when it could not be reached, or dropped. */
  status: number | undefined;
  dropped: boolean;
  at: number;
}

export interface SandboxWebhooks {
  /** Sent for every template's processes (like the same URL in every template's settings). */
  urls: string[];
  /** A template's own webhook URL (Template > Advanced settings), by template id. */
  byTemplate: Map<string, string>;
  /** The next `n` deliveries are each sent twice. */
  duplicateNext(n?: number): void;
  /** The next `n` deliveries are lost (Tallyfy never retries). */
  dropNext(n?: number): void;
  /** Every delivery attempted, in order. */
  sent: SentWebhook[];
  /** Waits for deliveries under way. */
  settle(): Promise<void>;
  /** Off: nothing is sent (the default until a URL is set). */
  reset(): void;
}

export interface WebhookSender extends SandboxWebhooks {
  launched(state: SandboxState, run: SandboxRun): void;
  taskCompleted(state: SandboxState, run: SandboxRun, task: SandboxTask, by: SandboxUser): void;
  processCompleted(state: SandboxState, run: SandboxRun): void;
}

const person = (u: SandboxUser | undefined) =>
  u ? { id: u.id, email: u.email, full_name: `${u.first_name} ${u.last_name}` } : null;

function progress(run: SandboxRun) {
  const total = run.tasks.length;
  const complete = run.tasks.filter((t) => t.status === "completed").length;
  return { complete, total, percent: total ? Math.round((complete / total) * 100) : 0 };
}

/** The RunTransformer output Tallyfy sends for a process launch or completion. */
export function processPayload(state: SandboxState, run: SandboxRun): Record<string, unknown> {
  const launcher = state.users.find((u) => u.id === run.started_by);
  const p = progress(run);
  return {
    id: run.id,
    increment_id: run.increment_id,
    checklist_id: run.checklist_id,
    checklist_title: run.checklist_title,
    name: run.name,
    summary: run.summary,
    status: run.status,
    progress: p,
    whole_progress: p.percent,
    started_by: run.started_by,
    owner_id: run.owner_id,
    prerun: Object.keys(run.prerun).length ? run.prerun : [],
    created_at: run.created_at,
    started_at: run.created_at,
    last_updated: run.last_updated,
    completed_at: run.completed_at,
    due_date: run.due_date,
    users: run.users.map((id) => ({
      user_id: id,
      full_name: person(state.users.find((u) => u.id === id))?.full_name,
    })),
    groups: run.groups.map((id) => ({
      group_id: id,
      name: state.groups.find((g) => g.id === id)?.name,
    })),
    "process-tasks": Object.fromEntries(run.tasks.map((t) => [t.step_id, t.id])),
    "ko-form-fields": {},
    "guest-links": {},
    launcher: person(launcher),
  };
}

function taskJson(state: SandboxState, t: SandboxTask) {
  const owners = t.users.map((id) => person(state.users.find((u) => u.id === id)));
  return {
    id: t.id,
    title: t.title,
    alias: t.step_id,
    status: t.status,
    summary: t.summary ?? null,
    deadline: t.deadline,
    position: t.position,
    captures: {},
    owners: { users: owners.filter(Boolean), guests: t.guests ?? [] },
  };
}

/** The payload of a task completion. */
export function taskPayload(
  state: SandboxState,
  run: SandboxRun,
  task: SandboxTask,
  by: SandboxUser,
): Record<string, unknown> {
  const tpl = state.templates.find((t) => t.id === run.checklist_id);
  const next = [...run.tasks]
    .filter((t) => t.status !== "completed")
    .sort((a, b) => a.position - b.position)[0];
  return {
    this_task: {
      ...taskJson(state, task),
      completed_at: task.completed_at,
      completed_by: person(by),
      assets: [],
    },
    launcher: person(state.users.find((u) => u.id === run.started_by)),
    completer: person(by),
    "process-tasks": Object.fromEntries(run.tasks.map((t) => [t.step_id, t.id])),
    "form-fields": {},
    template: tpl ? { id: tpl.id, title: tpl.title, alias: tpl.id, summary: tpl.summary } : null,
    process: {
      id: run.id,
      organization_id: run.orgId,
      name: run.name,
      summary: run.summary,
      status: run.status,
      progress: progress(run),
      created_at: run.created_at,
      ClientURL: "",
      prerun: Object.keys(run.prerun).length ? run.prerun : [],
      process_forms: {},
      tags: [],
    },
    "guest-links": {},
    // The docs disagree on [] or {} when nothing is left; Tallyfy's payload page says [].
    next_task: next ? taskJson(state, next) : [],
  };
}

export function createWebhookSender(): WebhookSender {
  const inFlight = new Set<Promise<void>>();
  let duplicates = 0;
  let drops = 0;
  const hooks: WebhookSender = {
    urls: [],
    byTemplate: new Map(),
    sent: [],
    duplicateNext(n = 1) {
      duplicates += n;
    },
    dropNext(n = 1) {
      drops += n;
    },
    async settle() {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
    reset() {
      hooks.urls.length = 0;
      hooks.byTemplate.clear();
      hooks.sent.length = 0;
      duplicates = 0;
      drops = 0;
    },
    launched(state, run) {
      send(run, processPayload(state, run));
    },
    taskCompleted(state, run, task, by) {
      send(run, taskPayload(state, run, task, by));
    },
    processCompleted(state, run) {
      send(run, processPayload(state, run));
    },
  };

  const send = (run: SandboxRun, body: Record<string, unknown>) => {
    const own = hooks.byTemplate.get(run.checklist_id);
    const targets = own ? [own] : hooks.urls;
    for (const url of targets) {
      if (drops > 0) {
        drops--;
        hooks.sent.push({ url, body, status: undefined, dropped: true, at: Date.now() });
        continue;
      }
      const times = duplicates > 0 ? 2 : 1;
      if (duplicates > 0) duplicates--;
      for (let i = 0; i < times; i++) post(url, run.orgId, body);
    }
  };

  const post = (url: string, orgId: string, body: Record<string, unknown>) => {
    const record: SentWebhook = { url, body, status: undefined, dropped: false, at: Date.now() };
    hooks.sent.push(record);
    const job = fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Tallyfy-orgID": orgId },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    })
      .then(async (res) => {
        record.status = res.status;
        await res.arrayBuffer();
      })
      // Tallyfy attempts each delivery once: a failure is only recorded.
      .catch(() => undefined)
      .finally(() => inFlight.delete(job));
    inFlight.add(job);
  };
  return hooks;
}
