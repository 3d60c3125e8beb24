/**
 * Tasks for one connection (TASKS-AND-WEBHOOKS.md §3–§6): my tasks, one task with its form,
 * a process's tasks, completing (exactly once), reopening, saving form values, comments and
 * one-off tasks. Endpoints are chosen by `is_oneoff_task`, never by whether there is a run id.
 */
import type { CallOptions } from "./api.ts";
import { orgPath, type ServiceContext } from "./context.ts";
import { TallyfyUnexpectedResponseError } from "./errors.ts";
import * as ids from "./ids.ts";
import {
  type CompletionChoice,
  completionBody,
  type OneOffTaskInput,
  oneOffBody,
  oneOffUpdateBody,
} from "./task-bodies.ts";
import { asTaskRefusal, TallyfyTaskRefusedError } from "./task-errors.ts";
import {
  commentEnvelope,
  type Task,
  type TaskComment,
  taskEnvelope,
  taskListEnvelope,
} from "./task-schemas.ts";

/** What a button carries: enough to act without reading the task first. */
export interface TaskRef {
  id: string;
  runId: string | null;
  oneOff: boolean;
}

export type MyTaskStatus = "active" | "completed" | "overdue" | "due_soon" | "hasproblem";

export interface MyTasksFilter {
  status?: MyTaskStatus | undefined;
  q?: string | undefined;
  /** "deadline" (default), "-deadline", "newest", "problems". */
  sort?: string | undefined;
  /** Most tasks to collect, at most (and by default) 100. */
  limit?: number | undefined;
}

export interface MyTasks {
  tasks: Task[];
  /** How many Tallyfy says there are (at least tasks.length). */
  total: number;
  /** More exist than were collected. */
  truncated: boolean;
  /** Rows Tallyfy sent that could not be read. */
  skipped: number;
}

export interface CompleteOptions extends CallOptions, CompletionChoice {
  /** The task as just read `with=threads` (saves the read that guards against repeats). */
  current?: Task | undefined;
}

export interface CompletionResult {
  /** "already_completed": nothing was sent; `task` says who completed it and when. */
  outcome: "completed" | "already_completed";
  task: Task;
}

export interface TasksService {
  mine(filter?: MyTasksFilter, opts?: CallOptions): Promise<MyTasks>;
  /** Any task, process or one-off; default includes: form_fields, run, threads. */
  get(id: string, opts?: CallOptions & { with?: string[] }): Promise<Task>;
  /** Every task of a process, in position order. */
  forRun(runId: string, opts?: CallOptions): Promise<Task[]>;
  complete(ref: TaskRef, opts?: CompleteOptions): Promise<CompletionResult>;
  reopen(ref: TaskRef, opts?: CallOptions): Promise<Task>;
  /** Saves form values (only `taskdata`, never `owners`); undefined when there was nothing to save. */
  saveTaskData(
    ref: TaskRef,
    taskdata: Record<string, unknown>,
    opts?: CallOptions & { current?: Task },
  ): Promise<Task | undefined>;
  comment(taskId: string, content: string, opts?: CallOptions): Promise<TaskComment>;
  createOneOff(input: OneOffTaskInput, opts?: CallOptions): Promise<Task>;
}

export const TASK_DETAIL_WITH = ["form_fields", "run", "threads"];
const MY_TASKS_MAX = 100;
const RUN_TASK_PAGES_MAX = 10;

/** The first open task by position: the card's "Next task". */
export function nextOpenTask(tasks: readonly Task[]): Task | undefined {
  return [...tasks]
    .filter((t) => !t.isCompleted && t.status !== "auto-skipped" && t.status !== "skipped")
    .sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity))[0];
}

export function createTasksService(
  ctx: ServiceContext & { inflight?: Map<string, Promise<unknown>> },
): TasksService {
  const { client, conn } = ctx;
  const inflight = ctx.inflight ?? new Map<string, Promise<unknown>>();
  const path = (...segments: string[]) => orgPath(conn, ...segments);
  const refused = (error: unknown): never => {
    throw asTaskRefusal(error);
  };

  const get: TasksService["get"] = async (id, opts = {}) =>
    client.request(
      conn,
      {
        method: "GET",
        path: path("tasks", ids.taskId(id)),
        query: { with: (opts.with ?? TASK_DETAIL_WITH).join(",") },
        schema: taskEnvelope,
      },
      opts,
    );

  const taskPath = (task: Task, ref: TaskRef, ...rest: string[]) => {
    if (task.is_oneoff_task) return path(...rest);
    const runId = task.run_id ?? ref.runId;
    if (!runId) throw new TallyfyUnexpectedResponseError("a process task without a process id");
    return path("runs", ids.runId(runId), ...rest);
  };

  async function completeOnce(ref: TaskRef, opts: CompleteOptions): Promise<CompletionResult> {
    const current = opts.current ?? (await get(ref.id, { ...opts, with: ["threads"] }));
    // Tallyfy answers a repeat completion with 200 and re-fires webhooks and emails.
    if (current.isCompleted) return { outcome: "already_completed", task: current };
    if (current.openIssues) throw new TallyfyTaskRefusedError("open_issue");
    const body = completionBody(current, opts);
    const task = await client
      .request(
        conn,
        {
          method: "POST",
          path: taskPath(current, ref, "completed-tasks"),
          body,
          schema: taskEnvelope,
        },
        opts,
      )
      .catch(refused);
    // Completed, yet open again at once (a rule, or someone in Tallyfy): say so, not "done".
    if (!task.isCompleted && !task.everyone_must_complete) {
      throw new TallyfyTaskRefusedError("reopened");
    }
    return { outcome: "completed", task };
  }

  return {
    get,

    async mine(filter = {}, opts) {
      const limit = Math.max(1, Math.min(MY_TASKS_MAX, filter.limit ?? MY_TASKS_MAX));
      const seen = new Map<string, Task>();
      let skipped = 0;
      let total = 0;
      for (let page = 1; seen.size < limit; page++) {
        const res = await client.request(
          conn,
          {
            method: "GET",
            path: path("me", "tasks"),
            query: {
              page,
              per_page: limit,
              status: filter.status,
              q: filter.q?.trim() || undefined,
              sort: filter.sort ?? "deadline",
              with: "run",
            },
            schema: taskListEnvelope,
          },
          opts,
        );
        skipped += res.skipped;
        total = Math.max(total, res.pagination.total);
        for (const t of res.items) if (seen.size < limit && !seen.has(t.id)) seen.set(t.id, t);
        if (res.items.length + res.skipped === 0 || !res.pagination.hasNext) break;
      }
      const tasks = [...seen.values()];
      return {
        tasks,
        total: Math.max(total, tasks.length),
        truncated: total > tasks.length,
        skipped,
      };
    },

    async forRun(runId, opts) {
      const id = ids.runId(runId);
      const seen = new Map<string, Task>();
      // Run task lists can under-count in meta: read until a short or empty page.
      for (let page = 1; page <= RUN_TASK_PAGES_MAX; page++) {
        const res = await client.request(
          conn,
          {
            method: "GET",
            path: path("runs", id, "tasks"),
            query: { page, per_page: 100, sort: "position" },
            schema: taskListEnvelope,
          },
          opts,
        );
        for (const t of res.items) seen.set(t.id, t);
        const rows = res.items.length + res.skipped;
        if (rows === 0 || (rows < res.pagination.perPage && !res.pagination.hasNext)) break;
      }
      return [...seen.values()].sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity));
    },

    async complete(ref, opts = {}) {
      const key = `${conn.orgId}:${ids.taskId(ref.id)}`;
      const running = inflight.get(key) as Promise<CompletionResult> | undefined;
      // A double click or a Slack retry while the first is under way: wait for it, send nothing.
      if (running) {
        return running.then((r) => ({ outcome: "already_completed", task: r.task }));
      }
      const attempt = completeOnce({ ...ref, id: ids.taskId(ref.id) }, opts).finally(() =>
        inflight.delete(key),
      );
      inflight.set(key, attempt);
      return attempt;
    },

    async reopen(ref, opts) {
      const id = ids.taskId(ref.id);
      const p = ref.oneOff
        ? path("completed-tasks", id)
        : path("runs", ids.runId(ref.runId ?? ""), "completed-tasks", id);
      return client.request(conn, { method: "DELETE", path: p, schema: taskEnvelope }, opts);
    },

    async saveTaskData(ref, taskdata, opts = {}) {
      if (Object.keys(taskdata).length === 0) return undefined;
      const id = ids.taskId(ref.id);
      if (!ref.oneOff) {
        const p = path("runs", ids.runId(ref.runId ?? ""), "tasks", id);
        return client
          .request(conn, { method: "PUT", path: p, body: { taskdata }, schema: taskEnvelope }, opts)
          .catch(refused);
      }
      const current = opts.current ?? (await get(id, { ...opts, with: [] }));
      const body = oneOffUpdateBody(current, taskdata);
      if (!body) {
        throw new TallyfyUnexpectedResponseError("the task's assignees could not be read", {
          mayHaveApplied: false,
        });
      }
      return client
        .request(conn, { method: "PUT", path: path("tasks", id), body, schema: taskEnvelope }, opts)
        .catch(refused);
    },

    async comment(taskId, content, opts) {
      return client.request(
        conn,
        {
          method: "POST",
          path: path("tasks", ids.taskId(taskId), "comment"),
          body: { content },
          schema: commentEnvelope,
        },
        opts,
      );
    },

    async createOneOff(input, opts) {
      const body = oneOffBody(input);
      return client.request(
        conn,
        { method: "POST", path: path("tasks"), body, schema: taskEnvelope },
        opts,
      );
    },
  };
}
