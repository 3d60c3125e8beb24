/** The task endpoints (TASKS-AND-WEBHOOKS.md §3–§6). Paths are below the /api prefix. */
import { paginate, resourceNotFound } from "./http.ts";
import type { Route, RouteContext, RouteResult } from "./routes.ts";
import { fullTaskView, threadView } from "./task-views.ts";
import {
  addThread,
  allTasks,
  completeTask,
  createOneOffTask,
  type FoundTask,
  findRunTask,
  findTask,
  isAssignee,
  openIssues,
  reopenTask,
  resolveThread,
  updateTask,
} from "./tasks.ts";
import { parseWith } from "./views.ts";

const ORG = "^/organizations/([^/]+)";
const ID = "([^/]+)";
const ok = (body: unknown): RouteResult => ({ status: 200, body });
const DUE_SOON_MS = 3 * 86_400_000;

function one(ctx: RouteContext, found: FoundTask, status = 200): RouteResult {
  const view = fullTaskView(ctx.state, found, {
    with: parseWith(ctx.query.with),
    ownersAsObjects: status === 201,
  });
  return { status, body: { data: view } };
}

function page(ctx: RouteContext, found: FoundTask[]): RouteResult {
  const p = paginate(found, ctx.query, ctx.url);
  const w = parseWith(ctx.query.with);
  return ok({
    ...p,
    data: p.data.map((f) => fullTaskView(ctx.state, f, { with: w, ownersAsObjects: true })),
  });
}

const due = (f: FoundTask) => (f.task.deadline ? Date.parse(f.task.deadline) : Number.NaN);
const done = (f: FoundTask) => f.task.status === "completed";

/** The `status` filter; unknown values list open tasks, like "active". */
function statusFilter(status: string | undefined, now: number): (f: FoundTask) => boolean {
  switch (status) {
    case "completed":
    case "complete":
      return done;
    case "overdue":
      return (f) => !done(f) && due(f) < now;
    case "due_soon":
      return (f) => !done(f) && due(f) >= now && due(f) < now + DUE_SOON_MS;
    case "hasproblem":
      return (f) => !done(f) && openIssues(f.task).length > 0;
    default:
      return (f) => !done(f);
  }
}

function byDeadline(desc: boolean) {
  return (a: FoundTask, b: FoundTask) => {
    const x = due(a);
    const y = due(b);
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
    return desc ? y - x : x - y;
  };
}

function myTasks(ctx: RouteContext): RouteResult {
  const q = ctx.query.q?.trim().toLowerCase();
  const keep = statusFilter(ctx.query.status, ctx.now);
  const mine = allTasks(ctx.state, ctx.orgId).filter(
    (f) =>
      isAssignee(ctx.state, f.task, ctx.user) &&
      keep(f) &&
      (!q || f.task.title.toLowerCase().includes(q)),
  );
  const sort = ctx.query.sort ?? "deadline";
  if (sort === "newest") mine.reverse();
  else mine.sort(byDeadline(sort === "-deadline"));
  return page(ctx, mine);
}

const taskIn = (ctx: RouteContext, i = 0) => findTask(ctx.state, ctx.orgId, ctx.params[i] ?? "");
const runTaskIn = (ctx: RouteContext) =>
  findRunTask(ctx.state, ctx.orgId, ctx.params[0] ?? "", ctx.params[1] ?? "");

/** The org-scoped completion endpoints take one-off tasks only. */
function oneOffIn(ctx: RouteContext, taskId: unknown): FoundTask {
  const found = typeof taskId === "string" ? findTask(ctx.state, ctx.orgId, taskId) : undefined;
  if (!found?.oneOff) throw resourceNotFound("Task");
  return found;
}

function bodyTaskId(ctx: RouteContext): unknown {
  const b = ctx.body;
  return typeof b === "object" && b !== null ? (b as Record<string, unknown>).task_id : undefined;
}

const r = (method: string, path: string, handle: (ctx: RouteContext) => RouteResult): Route => ({
  method,
  pattern: new RegExp(`${ORG}${path}$`),
  org: true,
  handle,
});

export const TASK_ROUTES: Route[] = [
  r("GET", "/me/tasks", myTasks),
  r("POST", "/tasks", (ctx) => {
    const task = createOneOffTask(ctx.state, ctx.orgId, ctx.user, ctx.body, ctx.now);
    return one(ctx, { task, run: null, oneOff: task }, 201);
  }),
  r("GET", `/tasks/${ID}`, (ctx) => one(ctx, taskIn(ctx))),
  r("PUT", `/tasks/${ID}`, (ctx) => {
    const found = taskIn(ctx);
    if (!found.oneOff) throw resourceNotFound("Task");
    updateTask(ctx.state, found, ctx.body, ctx.now);
    return one(ctx, found);
  }),
  r("GET", `/runs/${ID}/tasks`, (ctx) => {
    const run = ctx.state.runs.get(ctx.params[0] ?? "");
    if (!run || run.orgId !== ctx.orgId) throw resourceNotFound("Process");
    const status = ctx.query.status;
    const tasks = [...run.tasks]
      .sort((a, b) => a.position - b.position)
      .map((task): FoundTask => ({ task, run, oneOff: null }))
      .filter((f) => (status ? statusFilter(status, ctx.now)(f) : true));
    return page(ctx, tasks);
  }),
  r("GET", `/runs/${ID}/tasks/${ID}`, (ctx) => one(ctx, runTaskIn(ctx))),
  r("PUT", `/runs/${ID}/tasks/${ID}`, (ctx) => {
    const found = runTaskIn(ctx);
    updateTask(ctx.state, found, ctx.body, ctx.now);
    return one(ctx, found);
  }),
  r("POST", `/runs/${ID}/completed-tasks`, (ctx) => {
    const taskId = bodyTaskId(ctx);
    if (typeof taskId !== "string") throw resourceNotFound("Task");
    const found = findRunTask(ctx.state, ctx.orgId, ctx.params[0] ?? "", taskId);
    completeTask(ctx.state, found, ctx.user, ctx.body, ctx.now);
    return one(ctx, found);
  }),
  r("DELETE", `/runs/${ID}/completed-tasks/${ID}`, (ctx) => {
    const found = runTaskIn(ctx);
    reopenTask(found, ctx.now);
    return one(ctx, found);
  }),
  r("POST", "/completed-tasks", (ctx) => {
    const found = oneOffIn(ctx, bodyTaskId(ctx));
    completeTask(ctx.state, found, ctx.user, ctx.body, ctx.now);
    return one(ctx, found);
  }),
  r("DELETE", `/completed-tasks/${ID}`, (ctx) => {
    const found = oneOffIn(ctx, ctx.params[0]);
    reopenTask(found, ctx.now);
    return one(ctx, found);
  }),
  r("POST", `/tasks/${ID}/comment`, (ctx) => {
    const thread = addThread(taskIn(ctx).task, ctx.user, ctx.body, "comment", ctx.now);
    return { status: 201, body: { data: threadView(thread) } };
  }),
  r("POST", `/tasks/${ID}/problem`, (ctx) => {
    const thread = addThread(taskIn(ctx).task, ctx.user, ctx.body, "problem", ctx.now);
    return { status: 201, body: { data: threadView(thread) } };
  }),
  r("POST", `/tasks/${ID}/resolved-threads`, (ctx) =>
    ok({ data: threadView(resolveThread(taskIn(ctx).task, ctx.body)) }),
  ),
];
