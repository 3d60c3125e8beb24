import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED, SEED_TASKS } from "../../sandbox/tallyfy/seed.ts";
import { startTallyfySandbox, type TallyfySandbox } from "../../sandbox/tallyfy/server.ts";

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are inspected field by field
type Json = any;

let sbx: TallyfySandbox;
const ORG = `/organizations/${SEED.orgId}`;
const U = SEED.users;
const K = SEED_TASKS.kitFields;
const MARIA = SEED.runs.active;

beforeAll(async () => {
  sbx = await startTallyfySandbox();
});
afterAll(async () => {
  await sbx?.close();
});
beforeEach(() => {
  sbx.reset();
});

async function call(path: string, opts: { method?: string; body?: unknown; token?: string } = {}) {
  const headers: Record<string, string> = {
    Accept: "application/json",
    Authorization: `Bearer ${opts.token ?? sbx.token}`,
    "X-Tallyfy-Client": "APIClient",
  };
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(sbx.url + path, {
    method: opts.method ?? "GET",
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : undefined };
}

const getTask = (id: string, w = "form_fields,run,threads") => call(`${ORG}/tasks/${id}?with=${w}`);
const completeRun = (runId: string, body: Record<string, unknown>, token?: string) =>
  call(`${ORG}/runs/${runId}/completed-tasks`, {
    method: "POST",
    body,
    ...(token ? { token } : {}),
  });
const completeOneOff = (body: Record<string, unknown>, token?: string) =>
  call(`${ORG}/completed-tasks`, { method: "POST", body, ...(token ? { token } : {}) });
const putRunTask = (taskId: string, body: unknown) =>
  call(`${ORG}/runs/${MARIA}/tasks/${taskId}`, { method: "PUT", body });

/** Fills Maria's kit form's required fields so it can be completed. */
async function fillKitRequired() {
  const res = await putRunTask(SEED_TASKS.mariaKit, {
    taskdata: { [K.address]: "1 Main St", [K.kit]: "Developer" },
  });
  expect(res.status).toBe(200);
}

describe("my tasks", () => {
  it("lists the caller's open tasks by deadline, with owners as objects", async () => {
    const res = await call(`${ORG}/me/tasks?per_page=100&with=run`);
    expect(res.status).toBe(200);
    const tasks = res.json.data as Json[];
    expect(tasks.length).toBeGreaterThan(5);
    for (const t of tasks) {
      expect(t.status).not.toBe("completed");
      expect(t.owners.users.map((u: Json) => u.id)).toContain(U.admin.id);
    }
    const deadlines = tasks.map((t) => t.deadline).filter(Boolean);
    expect(deadlines).toEqual([...deadlines].sort());
    const oneOff = tasks.find((t) => t.id === SEED_TASKS.oneOff("admin", "today"));
    expect(oneOff).toMatchObject({ is_oneoff_task: true, task_type: "approval" });
    expect(oneOff.run_id).toMatch(/^[0-9a-f]{32}$/);
    const kit = tasks.find((t) => t.id === SEED_TASKS.mariaKit);
    expect(kit.run.data).toMatchObject({ id: MARIA, name: "Onboarding – Maria Garcia" });
  });

  it("pages with per_page and filters by status and text", async () => {
    const first = await call(`${ORG}/me/tasks?per_page=3&page=1`);
    expect(first.json.data).toHaveLength(3);
    expect(first.json.meta.pagination).toMatchObject({ per_page: 3, current_page: 1 });
    const overdue = await call(`${ORG}/me/tasks?status=overdue&per_page=100`);
    expect(overdue.json.data.length).toBeGreaterThan(0);
    for (const t of overdue.json.data) expect(Date.parse(t.deadline)).toBeLessThan(Date.now());
    const done = await call(`${ORG}/me/tasks?status=completed&per_page=100`);
    expect(done.json.data.map((t: Json) => t.id)).toContain(SEED_TASKS.oneOff("admin", "done"));
    const problems = await call(`${ORG}/me/tasks?status=hasproblem`);
    expect(problems.json.data.map((t: Json) => t.id)).toEqual([
      SEED_TASKS.oneOff("admin", "issue"),
    ]);
    const q = await call(`${ORG}/me/tasks?q=security%20policy`);
    expect(q.json.data.map((t: Json) => t.title)).toEqual(["Read the updated security policy"]);
  });

  it("seeds every user a mix of types and deadlines", async () => {
    for (const key of ["admin", "bob", "carol", "erin", "frank", "grace"] as const) {
      const res = await call(`${ORG}/me/tasks?per_page=100`, { token: U[key].token });
      const tasks = res.json.data as Json[];
      const types = new Set(tasks.map((t) => t.task_type));
      for (const type of ["task", "approval", "expiring", "email"]) expect(types).toContain(type);
      const now = Date.now();
      expect(tasks.some((t) => Date.parse(t.deadline) < now)).toBe(true);
      expect(tasks.some((t) => Date.parse(t.deadline) > now + 86_400_000)).toBe(true);
      expect(tasks.some((t) => t.is_oneoff_task)).toBe(true);
    }
  });
});

describe("reading a task", () => {
  it("returns form fields with field_value, ids in single GETs, run_id for both kinds", async () => {
    await fillKitRequired();
    const res = await getTask(SEED_TASKS.mariaKit);
    expect(res.json.data).toMatchObject({ run_id: MARIA, is_oneoff_task: false });
    expect(res.json.data.owners.users).toEqual([U.admin.id]);
    const fields = res.json.data.form_fields.data as Json[];
    expect(fields.map((f) => f.field_type)).toEqual([
      "textarea",
      "radio",
      "dropdown",
      "multiselect",
      "date",
      "table",
    ]);
    expect(fields.find((f) => f.id === K.kit).field_value).toBe("Developer");
    expect(fields.find((f) => f.id === K.desk).field_value).toBeNull();
  });

  it("answers a one-off task on the run-scoped routes with 404, although it has a run_id", async () => {
    const id = SEED_TASKS.oneOff("admin", "overdue");
    const task = (await getTask(id)).json.data;
    expect(task.is_oneoff_task).toBe(true);
    expect((await completeRun(task.run_id, { task_id: id })).status).toBe(404);
    expect((await completeOneOff({ task_id: id })).status).toBe(200);
  });

  it("takes only one-off tasks on the org-scoped completion route", async () => {
    await fillKitRequired();
    expect((await completeOneOff({ task_id: SEED_TASKS.mariaKit })).status).toBe(404);
    expect(sbx.completions(SEED_TASKS.mariaKit)).toBe(0);
  });
});

describe("completion traps", () => {
  it("answers an approval without is_approved with 422 and records the decision otherwise", async () => {
    const id = SEED_TASKS.oneOff("admin", "today");
    const refused = await completeOneOff({ task_id: id });
    expect(refused.status).toBe(422);
    expect(refused.json.errors.is_approved[0]).toMatch(/is approved field is required/);
    expect(sbx.completions(id)).toBe(0);
    const rejected = await completeOneOff({ task_id: id, is_approved: false });
    expect(rejected.status).toBe(200);
    expect(rejected.json.data).toMatchObject({ status: "completed", is_approved: false });
  });

  it("accepts a repeat completion with 200 and counts it, completed_at unchanged", async () => {
    const id = SEED_TASKS.oneOff("admin", "overdue");
    const first = await completeOneOff({ task_id: id });
    const second = await completeOneOff({ task_id: id });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.json.data.completed_at).toBe(first.json.data.completed_at);
    expect(sbx.completions(id)).toBe(2);
    expect(sbx.state.completionLog.map((c) => c.repeat)).toEqual([false, true]);
  });

  it("records is_approved:false on an expiring task as expired, and omitted as acknowledged", async () => {
    const ack = SEED_TASKS.oneOff("admin", "ack");
    const expired = SEED_TASKS.oneOff("bob", "ack");
    expect((await completeOneOff({ task_id: ack })).json.data.is_approved).toBe(true);
    const res = await completeOneOff({ task_id: expired, is_approved: false }, U.bob.token);
    expect(res.status).toBe(200);
    expect(res.json.data.is_approved).toBe(false);
  });

  it("refuses completion while an issue is open, and allows it once resolved", async () => {
    const id = SEED_TASKS.oneOff("admin", "issue");
    const refused = await completeOneOff({ task_id: id });
    expect(refused.status).toBe(422);
    expect(refused.json.message).toMatch(/unresolved issue/);
    const thread = (await getTask(id)).json.data.threads.data[0];
    const resolved = await call(`${ORG}/tasks/${id}/resolved-threads`, {
      method: "POST",
      body: { thread_id: thread.id, content: "Fixed" },
    });
    expect(resolved.status).toBe(200);
    expect((await completeOneOff({ task_id: id })).status).toBe(200);
  });

  it("refuses non-assignees when only assignees may complete; admins still can", async () => {
    const id = SEED_TASKS.oneOff("bob", "form");
    const fields = SEED_TASKS.surveyFields("bob");
    sbx.state.oneOffTasks.find((t) => t.id === id)!.taskdata = {
      [fields.team]: "Ops",
      [fields.laptop]: { id: 72, text: "ThinkPad" },
    };
    const carol = await completeOneOff({ task_id: id }, U.carol.token);
    expect(carol.status).toBe(403);
    expect(carol.json.message).toMatch(/Only assignees/);
    expect((await completeOneOff({ task_id: id })).status).toBe(200);
  });

  it("refuses completion while required form fields are empty, keyed by taskdata field", async () => {
    const res = await completeRun(MARIA, { task_id: SEED_TASKS.mariaKit });
    expect(res.status).toBe(422);
    expect(Object.keys(res.json.errors)).toEqual([`taskdata.${K.address}`, `taskdata.${K.kit}`]);
    await fillKitRequired();
    const done = await completeRun(MARIA, { task_id: SEED_TASKS.mariaKit });
    expect(done.json.data).toMatchObject({ status: "completed", completer_id: U.admin.id });
  });

  it("reopens a completed task", async () => {
    const id = SEED_TASKS.oneOff("admin", "overdue");
    await completeOneOff({ task_id: id });
    const res = await call(`${ORG}/completed-tasks/${id}`, { method: "DELETE" });
    expect(res.json.data).toMatchObject({ status: "in-progress", completed_at: null });
  });
});

describe("form values and owners", () => {
  it("drops unknown taskdata keys with 200", async () => {
    const res = await putRunTask(SEED_TASKS.mariaKit, {
      taskdata: { "Shipping address": "by label", [K.address]: "1 Main St", nope: 1 },
    });
    expect(res.status).toBe(200);
    expect(sbx.state.runs.get(MARIA)!.tasks[3]!.taskdata).toEqual({ [K.address]: "1 Main St" });
  });

  it("stores a multiselect without selected:true as sent (it renders empty on Tallyfy)", async () => {
    const res = await putRunTask(SEED_TASKS.mariaKit, {
      taskdata: { [K.accessories]: [{ id: 61, text: "Monitor" }] },
    });
    expect(res.status).toBe(200);
    const stored = sbx.state.runs.get(MARIA)!.tasks[3]!.taskdata![K.accessories] as Json[];
    expect(stored).toHaveLength(1);
    expect(stored[0].selected).toBeUndefined();
  });

  it("enforces one table entry per column", async () => {
    for (const value of [[["laptop"]], [], ""]) {
      const res = await putRunTask(SEED_TASKS.mariaKit, { taskdata: { [K.serials]: value } });
      expect(res.status).toBe(422);
      expect(res.json.errors[`taskdata.${K.serials}`][0]).toMatch(/Number of columns/);
    }
    const ok = await putRunTask(SEED_TASKS.mariaKit, {
      taskdata: { [K.serials]: [["laptop"], ["SN-1"]] },
    });
    expect(ok.status).toBe(200);
  });

  it("checks dropdown values like the kick-off form, under the field's taskdata key", async () => {
    const res = await putRunTask(SEED_TASKS.mariaKit, {
      taskdata: { [K.desk]: { id: 51, text: "floor 1" } },
    });
    expect(res.status).toBe(422);
    expect(res.json.errors[`taskdata.${K.desk}`][0]).toBe("Invalid dropdown choice selected.");
  });

  it("refuses form values once the task is completed", async () => {
    await fillKitRequired();
    await completeRun(MARIA, { task_id: SEED_TASKS.mariaKit });
    const res = await putRunTask(SEED_TASKS.mariaKit, { taskdata: { [K.address]: "2 Side St" } });
    expect(res.status).toBe(422);
    expect(res.json.message).toMatch(/Completed tasks can't be updated/);
  });

  it("unassigns every owner bucket a PUT leaves out", async () => {
    const task = sbx.state.runs.get(MARIA)!.tasks[3]!;
    task.guests = ["guest@example.com"];
    task.groups = [SEED.groups.peopleOps];
    const res = await putRunTask(task.id, { owners: { users: [U.bob.id] } });
    expect(res.status).toBe(200);
    expect(res.json.data.owners).toEqual({ users: [U.bob.id], guests: [], groups: [] });
  });

  it("leaves owners alone when a PUT has no owners", async () => {
    const task = sbx.state.runs.get(MARIA)!.tasks[3]!;
    task.guests = ["guest@example.com"];
    await putRunTask(task.id, { taskdata: { [K.address]: "x" } });
    expect(task.guests).toEqual(["guest@example.com"]);
    expect(task.users).toEqual([U.admin.id]);
  });

  it("requires title, deadline and owners on every one-off task PUT", async () => {
    const id = SEED_TASKS.oneOff("admin", "form");
    const res = await call(`${ORG}/tasks/${id}`, { method: "PUT", body: { taskdata: {} } });
    expect(res.status).toBe(422);
    expect(Object.keys(res.json.errors).sort()).toEqual(["deadline", "owners", "title"]);
  });
});

describe("one-off tasks and comments", () => {
  const body = {
    title: "Follow up with Globex",
    summary: "From Slack",
    task_type: "task",
    deadline: "2030-01-02 17:00:00",
    owners: { users: [U.bob.id], guests: [], groups: [] },
  };

  it("creates a one-off task (201) with a container run and the deadline read as UTC", async () => {
    const res = await call(`${ORG}/tasks`, { method: "POST", body });
    expect(res.status).toBe(201);
    expect(res.json.data).toMatchObject({
      title: "Follow up with Globex",
      summary: "From Slack",
      is_oneoff_task: true,
      deadline: "2030-01-02T17:00:00.000Z",
      owners: { users: [{ id: U.bob.id, full_name: "Bob Brown" }], guests: [], groups: [] },
    });
    expect(res.json.data.run_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("refuses a one-off task without assignees, a title or a known type", async () => {
    const res = await call(`${ORG}/tasks`, {
      method: "POST",
      body: { ...body, owners: { users: [], guests: [], groups: [] } },
    });
    expect(res.status).toBe(422);
    expect(res.json.errors.owners).toBeDefined();
    const bad = await call(`${ORG}/tasks`, {
      method: "POST",
      body: { ...body, title: "x".repeat(601), task_type: "chore" },
    });
    expect(Object.keys(bad.json.errors).sort()).toEqual(["task_type", "title"]);
  });

  it("records comments hidden from guests by default, with @[id] mentions", async () => {
    const id = SEED_TASKS.mariaKit;
    const res = await call(`${ORG}/tasks/${id}/comment`, {
      method: "POST",
      body: { content: `Ping @[${U.bob.id}] and @[${U.bob.id}]` },
    });
    expect(res.status).toBe(201);
    expect(res.json.data).toMatchObject({ label: "comment", state: "hide-for-guests" });
    const thread = sbx.state.runs.get(MARIA)!.tasks[3]!.threads![0]!;
    expect(thread.mentions).toEqual([U.bob.id]);
    const empty = await call(`${ORG}/tasks/${id}/comment`, { method: "POST", body: {} });
    expect(empty.status).toBe(422);
  });

  it("gives launched processes' tasks their step's type and form fields", async () => {
    const res = await call(`${ORG}/runs`, {
      method: "POST",
      body: {
        checklist_id: SEED.templates.expenseApproval,
        prerun: Object.fromEntries(
          sbx.state.templates
            .find((t) => t.id === SEED.templates.expenseApproval)!
            .prerun.filter((f) => f.required)
            .map((f) => [
              f.id,
              f.options[0] ? { id: f.options[0].id, text: f.options[0].text } : "x",
            ]),
        ),
      },
    });
    expect(res.status).toBe(201);
    const tasks = await call(`${ORG}/runs/${res.json.data.id}/tasks?per_page=100`);
    expect(tasks.json.data.map((t: Json) => t.task_type)).toEqual(["approval", "task", "task"]);
  });
});
