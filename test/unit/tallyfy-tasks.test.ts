import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED, SEED_TASKS } from "../../sandbox/tallyfy/seed.ts";
import { startTallyfySandbox, type TallyfySandbox } from "../../sandbox/tallyfy/server.ts";
import type { CallPolicy, Tallyfy, TallyfyApi } from "../../src/tallyfy/api.ts";
import {
  TallyfyForbiddenError,
  TallyfyInvalidIdError,
  TallyfyTimeoutError,
  TallyfyValidationError,
} from "../../src/tallyfy/errors.ts";
import { createTallyfy } from "../../src/tallyfy/index.ts";
import { TallyfyTaskRefusedError } from "../../src/tallyfy/task-errors.ts";
import { nextOpenTask, type TaskRef } from "../../src/tallyfy/tasks.ts";

const POLICY: CallPolicy = { attemptTimeoutMs: 3_000, budgetMs: 6_000, maxRetries: 2 };
const opts = { policy: POLICY };
const U = SEED.users;
const K = SEED_TASKS.kitFields;
const MARIA = SEED.runs.active;

let sb: TallyfySandbox;
let tallyfy: Tallyfy;
let api: TallyfyApi;

beforeAll(async () => {
  sb = await startTallyfySandbox();
});
afterAll(async () => {
  await sb.close();
});
beforeEach(() => {
  sb.reset();
  tallyfy = createTallyfy({ apiUrl: sb.url, cacheTtlMs: 0 });
  api = tallyfy.forConnection({ token: sb.token, orgId: sb.orgId });
});
afterEach(async () => {
  await tallyfy.close();
});

const asUser = (key: keyof typeof U) =>
  tallyfy.forConnection({ token: U[key].token, orgId: sb.orgId });
const calls = (method?: string) => sb.requests.filter((r) => !method || r.method === method);
const oneOff = (kind: Parameters<typeof SEED_TASKS.oneOff>[1], user: keyof typeof U = "admin") =>
  SEED_TASKS.oneOff(user, kind);
const processRef = (id: string): TaskRef => ({ id, runId: MARIA, oneOff: false });
const oneOffRef = (id: string): TaskRef => ({ id, runId: null, oneOff: true });
const kit = () => sb.state.runs.get(MARIA)!.tasks[3]!;
const fillKit = () => {
  kit().taskdata = { [K.address]: "1 Main St", [K.kit]: "Developer" };
};

describe("my tasks", () => {
  it("collects my open tasks in one request, with the process name", async () => {
    const mine = await api.tasks.mine({}, opts);
    expect(mine.truncated).toBe(false);
    expect(mine.tasks.length).toBe(mine.total);
    expect(mine.tasks.every((t) => !t.isCompleted)).toBe(true);
    const kitRow = mine.tasks.find((t) => t.id === SEED_TASKS.mariaKit);
    expect(kitRow).toMatchObject({
      run: { id: MARIA, name: "Onboarding – Maria Garcia" },
      owners: { users: [U.admin.id], guests: [], groups: [] },
      is_oneoff_task: false,
    });
    expect(calls()).toHaveLength(1);
    expect(calls()[0]?.query).toMatchObject({ per_page: "100", page: "1", with: "run" });
  });

  it("stops at 100 and says there are more", async () => {
    const template = sb.state.oneOffTasks.find((t) => t.id === oneOff("overdue"))!;
    for (let i = 0; i < 130; i++) {
      sb.state.oneOffTasks.push({ ...template, id: `${i}`.padStart(32, "a") });
    }
    const mine = await api.tasks.mine({ status: "overdue" }, opts);
    expect(mine.tasks).toHaveLength(100);
    expect(mine.truncated).toBe(true);
    expect(mine.total).toBeGreaterThan(130);
    expect(calls()[0]?.query).toMatchObject({ status: "overdue" });
  });

  it("pages on when Tallyfy ignores per_page, skipping rows it cannot read", async () => {
    const row = (id: string) => ({ id, title: `Task ${id}`, task_type: "task", status: "active" });
    const meta = (page: number) => ({
      pagination: {
        total: 5,
        count: 2,
        per_page: 2,
        current_page: page,
        total_pages: 2,
        links: [],
      },
    });
    const path = `/organizations/${sb.orgId}/me/tasks`;
    sb.fault({
      path,
      status: 200,
      body: { data: [row("a"), { title: 5 }, row("b")], meta: meta(1) },
    });
    sb.fault({ path, status: 200, body: { data: [row("c"), row("a")], meta: meta(2) } });
    const mine = await api.tasks.mine({}, opts);
    expect(mine.tasks.map((t) => t.id)).toEqual(["a", "b", "c"]);
    expect(mine.skipped).toBe(1);
    expect(calls().map((r) => r.query.page)).toEqual(["1", "2"]);
  });
});

describe("reading tasks", () => {
  it("reads a task with its form: field_value as the answer, in position order", async () => {
    fillKit();
    const task = await api.tasks.get(SEED_TASKS.mariaKit, opts);
    expect(task.form_fields?.map((f) => [f.field_type, f.value])).toEqual([
      ["textarea", "1 Main St"],
      ["radio", "Developer"],
      ["dropdown", null],
      ["multiselect", null],
      ["date", null],
      ["table", null],
    ]);
    expect(task.openIssues).toBe(0);
    expect(calls()[0]?.query.with).toBe("form_fields,run,threads");
  });

  it("lists a process's tasks in order and finds the next open one", async () => {
    const tasks = await api.tasks.forRun(MARIA, opts);
    expect(tasks.map((t) => t.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(tasks.map((t) => t.task_type).slice(0, 7)).toEqual([
      "email",
      "task",
      "task",
      "task",
      "task",
      "expiring",
      "approval",
    ]);
    expect(nextOpenTask(tasks)?.id).toBe(SEED_TASKS.mariaKit);
  });

  it("refuses an id that is not Tallyfy's shape before any request", async () => {
    await expect(api.tasks.get("../runs", opts)).rejects.toBeInstanceOf(TallyfyInvalidIdError);
    await expect(
      api.tasks.complete({ id: "x", runId: null, oneOff: true }, opts),
    ).rejects.toBeInstanceOf(TallyfyInvalidIdError);
    expect(calls()).toHaveLength(0);
  });
});

describe("completing", () => {
  it("completes a process task on the run's completed-tasks, with only task_id", async () => {
    fillKit();
    const res = await api.tasks.complete(processRef(SEED_TASKS.mariaKit), opts);
    expect(res.outcome).toBe("completed");
    expect(res.task).toMatchObject({ isCompleted: true, completer_id: U.admin.id });
    const post = calls("POST")[0];
    expect(post?.path).toBe(`/organizations/${sb.orgId}/runs/${MARIA}/completed-tasks`);
    expect(post?.body).toEqual({ task_id: SEED_TASKS.mariaKit });
  });

  it("chooses the endpoint by is_oneoff_task, not by the run id a one-off task has", async () => {
    const id = oneOff("overdue");
    const task = await api.tasks.get(id, opts);
    expect(task.run_id).toMatch(/^[0-9a-f]{32}$/);
    // Even a button that claims a process task: Tallyfy's answer decides.
    const res = await api.tasks.complete({ id, runId: task.run_id, oneOff: false }, opts);
    expect(res.outcome).toBe("completed");
    expect(calls("POST")[0]?.path).toBe(`/organizations/${sb.orgId}/completed-tasks`);
    expect(sb.completions(id)).toBe(1);
  });

  it("sends is_approved on approvals only, and never on an expiring task", async () => {
    await api.tasks.complete(oneOffRef(oneOff("today")), { ...opts, approved: false });
    await api.tasks.complete(oneOffRef(oneOff("ack")), { ...opts, approved: false });
    const bodies = calls("POST").map((r) => r.body);
    expect(bodies).toEqual([
      { task_id: oneOff("today"), is_approved: false },
      { task_id: oneOff("ack") },
    ]);
    const ack = sb.state.oneOffTasks.find((t) => t.id === oneOff("ack"));
    expect(ack?.is_approved).toBe(true); // acknowledged, not expired
  });

  it("refuses to complete an approval without a decision, sending nothing", async () => {
    await expect(api.tasks.complete(oneOffRef(oneOff("today")), opts)).rejects.toThrow(
      /approved: true/,
    );
    expect(calls("POST")).toHaveLength(0);
  });

  it("does not complete a completed task again: no request, who and when instead", async () => {
    const id = oneOff("done");
    const res = await api.tasks.complete(oneOffRef(id), opts);
    expect(res.outcome).toBe("already_completed");
    expect(res.task.completer_id).toBe(U.admin.id);
    expect(res.task.completed_at).not.toBeNull();
    expect(calls("POST")).toHaveLength(0);
    expect(sb.completions(id)).toBe(0);
  });

  it("completes once for a double click or a Slack retry", async () => {
    const id = oneOff("overdue");
    const both = await Promise.all([
      api.tasks.complete(oneOffRef(id), opts),
      api.tasks.complete(oneOffRef(id), opts),
    ]);
    expect(both.map((r) => r.outcome).sort()).toEqual(["already_completed", "completed"]);
    const later = await api.tasks.complete(oneOffRef(id), opts);
    expect(later.outcome).toBe("already_completed");
    expect(sb.completions(id)).toBe(1);
  });

  it("completes once when two people click", async () => {
    const id = oneOff("overdue", "bob");
    const bob = asUser("bob");
    const first = await bob.tasks.complete(oneOffRef(id), opts);
    const second = await api.tasks.complete(oneOffRef(id), opts);
    expect([first.outcome, second.outcome]).toEqual(["completed", "already_completed"]);
    expect(second.task.completer_id).toBe(U.bob.id);
    expect(sb.completions(id)).toBe(1);
  });

  it("says the task has an open issue, without asking Tallyfy to complete it", async () => {
    const error = await api.tasks.complete(oneOffRef(oneOff("issue")), opts).catch((e) => e);
    expect(error).toBeInstanceOf(TallyfyTaskRefusedError);
    expect(error.reason).toBe("open_issue");
    expect(calls("POST")).toHaveLength(0);
  });

  it("reads Tallyfy's own refusal of a task with an open issue", async () => {
    const current = await api.tasks.get(oneOff("issue"), { ...opts, with: [] });
    const error = await api.tasks
      .complete(oneOffRef(oneOff("issue")), { ...opts, current })
      .catch((e) => e);
    expect(error).toMatchObject({ kind: "task_refused", reason: "open_issue", status: 422 });
    expect(error.human).toMatch(/open issue/);
  });

  it("says only assignees may complete it", async () => {
    const id = oneOff("form", "bob");
    const error = await asUser("carol")
      .tasks.complete(oneOffRef(id), opts)
      .catch((e) => e);
    expect(error).toMatchObject({ reason: "not_assignee", status: 403 });
    expect(error.human).toBe("Only the people assigned to this task can complete it.");
  });

  it("keeps a plain 403 as missing rights", async () => {
    const zoe = tallyfy.forConnection({ token: U.zoe.token, orgId: sb.orgId });
    const error = await zoe.tasks.complete(oneOffRef(oneOff("overdue")), opts).catch((e) => e);
    expect(error).toBeInstanceOf(TallyfyForbiddenError);
  });

  it("says the task was reopened when Tallyfy's answer has it open", async () => {
    const id = oneOff("overdue");
    sb.fault({
      method: "POST",
      path: `/organizations/${sb.orgId}/completed-tasks`,
      status: 200,
      body: { data: { id, title: "x", status: "in-progress", completed_at: null } },
    });
    const error = await api.tasks.complete(oneOffRef(id), opts).catch((e) => e);
    expect(error).toMatchObject({ reason: "reopened" });
  });

  it("never retries a completion that timed out, and says it may have been applied", async () => {
    const id = oneOff("overdue");
    sb.fault({
      method: "POST",
      path: `/organizations/${sb.orgId}/completed-tasks`,
      latencyMs: 400,
    });
    const quick: CallPolicy = { attemptTimeoutMs: 150, budgetMs: 2_000, maxRetries: 2 };
    const error = await api.tasks.complete(oneOffRef(id), { policy: quick }).catch((e) => e);
    expect(error).toBeInstanceOf(TallyfyTimeoutError);
    expect(error.mayHaveApplied).toBe(true);
    expect(calls("POST")).toHaveLength(1);
  });

  it("reopens process and one-off tasks on their own endpoints", async () => {
    const id = oneOff("done");
    const reopened = await api.tasks.reopen(oneOffRef(id), opts);
    expect(reopened).toMatchObject({ status: "in-progress", isCompleted: false });
    await api.tasks.reopen(processRef(sb.state.runs.get(MARIA)!.tasks[0]!.id), opts);
    expect(calls("DELETE").map((r) => r.path)).toEqual([
      `/organizations/${sb.orgId}/completed-tasks/${id}`,
      `/organizations/${sb.orgId}/runs/${MARIA}/completed-tasks/${sb.state.runs.get(MARIA)!.tasks[0]!.id}`,
    ]);
  });
});

describe("form values", () => {
  it("saves a process task's values with a PUT of taskdata alone", async () => {
    kit().guests = ["guest@example.com"];
    const saved = await api.tasks.saveTaskData(
      processRef(SEED_TASKS.mariaKit),
      { [K.address]: "2 Side St" },
      opts,
    );
    expect(saved?.isCompleted).toBe(false);
    const put = calls("PUT")[0];
    expect(put?.path).toBe(`/organizations/${sb.orgId}/runs/${MARIA}/tasks/${SEED_TASKS.mariaKit}`);
    expect(put?.body).toEqual({ taskdata: { [K.address]: "2 Side St" } });
    expect(kit().guests).toEqual(["guest@example.com"]);
  });

  it("sends nothing when nothing changed", async () => {
    expect(await api.tasks.saveTaskData(processRef(SEED_TASKS.mariaKit), {}, opts)).toBeUndefined();
    expect(calls()).toHaveLength(0);
  });

  it("re-sends a one-off task's title, deadline and every owner bucket with its values", async () => {
    const id = oneOff("form");
    const task = sb.state.oneOffTasks.find((t) => t.id === id)!;
    task.guests = ["guest@example.com"];
    task.groups = [SEED.groups.it];
    const fields = SEED_TASKS.surveyFields("admin");
    await api.tasks.saveTaskData(oneOffRef(id), { [fields.team]: "Ops" }, opts);
    const put = calls("PUT")[0];
    expect(put?.path).toBe(`/organizations/${sb.orgId}/tasks/${id}`);
    expect(put?.body).toMatchObject({
      title: task.title,
      owners: { users: [U.admin.id], guests: ["guest@example.com"], groups: [SEED.groups.it] },
      taskdata: { [fields.team]: "Ops" },
    });
    expect((put?.body as { deadline?: string } | undefined)?.deadline).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/,
    );
    expect(task.guests).toEqual(["guest@example.com"]);
    expect(task.taskdata).toEqual({ [fields.team]: "Ops" });
  });

  it("puts Tallyfy's 422 on the field it names", async () => {
    const error = await api.tasks
      .saveTaskData(
        processRef(SEED_TASKS.mariaKit),
        { [K.desk]: { id: 51, text: "floor 1" } },
        opts,
      )
      .catch((e) => e);
    expect(error).toBeInstanceOf(TallyfyValidationError);
    expect(error.fieldErrors).toEqual({
      [`taskdata.${K.desk}`]: ["Invalid dropdown choice selected."],
    });
  });

  it("says the task was completed meanwhile when its form is refused", async () => {
    kit().status = "completed";
    const error = await api.tasks
      .saveTaskData(processRef(SEED_TASKS.mariaKit), { [K.address]: "x" }, opts)
      .catch((e) => e);
    expect(error).toMatchObject({ kind: "task_refused", reason: "completed" });
  });
});

describe("comments and one-off tasks", () => {
  it("comments with content alone", async () => {
    const c = await api.tasks.comment(SEED_TASKS.mariaKit, `Done? @[${U.bob.id}]`, opts);
    expect(c.id).toMatch(/^[0-9a-f]{32}$/);
    expect(calls("POST")[0]?.body).toEqual({ content: `Done? @[${U.bob.id}]` });
    expect(kit().threads?.[0]?.mentions).toEqual([U.bob.id]);
  });

  it("creates a one-off task with every owner bucket and a UTC deadline", async () => {
    const task = await api.tasks.createOneOff(
      {
        title: "  Follow up with Globex  ",
        summary: "From Slack",
        taskType: "approval",
        deadline: new Date("2030-01-02T17:00:00Z"),
        owners: { users: [U.bob.id], guests: [], groups: [] },
      },
      opts,
    );
    expect(task).toMatchObject({
      is_oneoff_task: true,
      task_type: "approval",
      title: "Follow up with Globex",
    });
    expect(calls("POST")[0]?.body).toEqual({
      title: "Follow up with Globex",
      summary: "From Slack",
      task_type: "approval",
      deadline: "2030-01-02 17:00:00",
      owners: { users: [U.bob.id], guests: [], groups: [] },
    });
  });

  it("refuses a one-off task without an assignee or with a long title, sending nothing", async () => {
    const error = await api.tasks
      .createOneOff(
        {
          title: "x".repeat(601),
          taskType: "task",
          deadline: new Date(),
          owners: { users: [], guests: [], groups: [] },
        },
        opts,
      )
      .catch((e) => e);
    expect(error).toBeInstanceOf(TallyfyValidationError);
    expect(Object.keys(error.fieldErrors).sort()).toEqual(["owners", "title"]);
    expect(calls()).toHaveLength(0);
  });
});
