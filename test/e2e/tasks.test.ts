/**
 * `/tallyfy tasks` and the task buttons, end to end: signed commands and clicks, the fake
 * Slack, the Tallyfy sandbox. Exactly-once completion is checked with the sandbox's
 * completion counter (each completion Tallyfy accepts re-fires its webhooks and emails).
 */
import { tz } from "@date-fns/tz";
import { endOfDay } from "date-fns/endOfDay";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED_TASKS } from "../../sandbox/tallyfy/server.ts";
import { assertBlockKit } from "../support/block-limits.ts";
import { eventually, type Harness, startHarness } from "../support/harness.ts";
import {
  ALICE,
  BOB,
  elements,
  ephemeral,
  OPS,
  posts,
  rowButtons,
  settled,
  tallyfyCalls,
  text,
} from "./tasks-support.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.sandbox.reset();
  h.slack.reset();
  dueLaterTodayForAlice();
});

/**
 * The seeded "today" task, due later today in Alice's own time zone: the sandbox seeds it
 * within the UTC day, which is already tomorrow in New York for part of every day.
 */
function dueLaterTodayForAlice() {
  const zone = h.slack.user(ALICE)?.tz ?? "UTC";
  const now = Date.now();
  const end = endOfDay(now, { in: tz(zone) }).getTime();
  const task = h.sandbox.state.oneOffTasks.find((t) => t.id === TODAY)!;
  task.deadline = new Date(now + Math.max(1_000, Math.floor((end - now) / 2))).toISOString();
}

const OVERDUE = SEED_TASKS.oneOff("admin", "overdue");
const TODAY = SEED_TASKS.oneOff("admin", "today");
const ACK = SEED_TASKS.oneOff("admin", "ack");
const ISSUE = SEED_TASKS.oneOff("admin", "issue");

/** Puts a seeded one-off task at the top of the list (the oldest deadline). */
function first(taskId: string) {
  const task = h.sandbox.state.oneOffTasks.find((t) => t.id === taskId)!;
  task.deadline = new Date(Date.now() - 60 * 86_400_000).toISOString();
}

/** `/tallyfy tasks [words]` as Alice; the private list once it is there. */
async function list(words = "") {
  const before = new Set(h.slack.messages(OPS).map((m) => m.ts));
  await h.driver.command(`tasks ${words}`.trim());
  return ephemeral(h, (m) => !before.has(m.ts) && text(m.blocks).includes("Your"));
}

/** The row of `taskId` in the list once it reads `pred`. */
async function rowOnceItSays(taskId: string, pred: (t: string) => boolean) {
  return ephemeral(h, (m) => {
    const row = m.blocks.find((b) => b.block_id === `task_${taskId}`);
    return row !== undefined && pred(text(row));
  });
}

describe("/tallyfy tasks", () => {
  it("lists my open tasks privately, grouped by deadline, with buttons by task type, in one Tallyfy read", async () => {
    const msg = await list();
    const shown = text(msg.blocks);
    expect(shown).toContain("Overdue");
    expect(shown).toContain("Due today");
    expect(shown).toContain("Submit last month's expense report");
    // completed tasks are not on the list
    expect(shown).not.toContain("Book the team offsite venue");
    // the overdue task is a plain task: Complete, plus Comment / Open in Tallyfy
    const overdue = rowButtons(msg.blocks, OVERDUE);
    expect(overdue.map((e) => e.action_id)).toEqual(["task_complete", "task_more"]);
    const more = overdue[1]!.options.map((o: { text: { text: string } }) => o.text.text);
    expect(more).toEqual(["Comment", "Open in Tallyfy"]);
    expect(rowButtons(msg.blocks, TODAY).map((e) => e.action_id)).toEqual([
      "task_approve",
      "task_reject",
      "task_more",
    ]);
    // the deadline is a Slack date token, so each reader sees their own time zone
    expect(shown).toMatch(/<!date\^\d+\^/);
    assertBlockKit({ type: "message", blocks: msg.blocks });
    expect(tallyfyCalls(h)).toEqual(["GET /me/tasks"]);
    // Alice has more tasks than a page: Next, with the filter and page in its value
    const next = elements(msg.blocks).find((e) => e.action_id === "tasks_page");
    expect(JSON.parse(next!.value)).toEqual({ f: "all", p: 2 });
    await h.driver.clickButton({ ephemeral: msg }, "tasks_page");
    const page2 = await ephemeral(h, (m) => text(m.blocks).includes("Page 2 of"));
    expect(page2.ts).toBe(msg.ts);
  });

  it("`overdue` keeps what is past its deadline (computed from the deadline, not a status)", async () => {
    const msg = await list("overdue");
    expect(text(msg.blocks)).toContain("Your overdue tasks");
    expect(text(msg.blocks)).not.toContain("Due today");
    const q = h.sandbox.requests.find((r) => r.path.endsWith("/me/tasks"))!.query;
    expect(q.status).toBeUndefined();
  });

  it("an empty list says so with a hint to launch something", async () => {
    h.sandbox.state.oneOffTasks.length = 0;
    for (const run of h.sandbox.state.runs.values()) for (const t of run.tasks) t.users = [];
    const msg = await list();
    expect(text(msg.blocks)).toContain("Nothing on your plate");
    expect(text(msg.blocks)).toContain("/tallyfy launch");
  });

  it("an unknown filter word gets the usage, and Tallyfy is not asked", async () => {
    await h.driver.command("tasks someday");
    const msg = await ephemeral(h, (m) => text(m).includes("someday"));
    expect(text(msg)).toContain("/tallyfy tasks overdue");
    expect(h.sandbox.requests).toEqual([]);
  });
});

describe("Complete, Approve, Acknowledge on the list", () => {
  it("completes a one-off task once (org-scoped endpoint) and redraws the row as done", async () => {
    const msg = await list();
    const since = h.sandbox.requests.length;
    await h.driver.clickButton({ ephemeral: msg }, "task_complete", {
      blockId: `task_${OVERDUE}_actions`,
    });
    const redrawn = await rowOnceItSays(OVERDUE, (t) => t.includes("Completed by"));
    expect(text(redrawn.blocks)).toContain(`Completed by <@${ALICE}>`);
    expect(redrawn.ts).toBe(msg.ts);
    expect(rowButtons(redrawn.blocks, OVERDUE)).toEqual([]);
    expect(h.sandbox.completions(OVERDUE)).toBe(1);
    const post = posts(h, "/completed-tasks")[0]!;
    expect(post.path).toBe(`/organizations/${h.sandbox.orgId}/completed-tasks`);
    expect(post.body).toEqual({ task_id: OVERDUE });
    // one write; the read that guards against repeats; the list read that redraws it
    expect(tallyfyCalls(h, since)).toEqual([
      `GET /tasks/${OVERDUE}`,
      "POST /completed-tasks",
      "GET /me/tasks",
    ]);
    assertBlockKit({ type: "message", blocks: redrawn.blocks });
  });

  it("a double click completes once", async () => {
    const msg = await list();
    const click = () =>
      h.driver.clickButton({ ephemeral: msg }, "task_complete", {
        blockId: `task_${OVERDUE}_actions`,
      });
    await Promise.all([click(), click()]);
    await rowOnceItSays(OVERDUE, (t) => t.includes("Completed by"));
    await settled(h);
    expect(h.sandbox.completions(OVERDUE)).toBe(1);
    expect(posts(h, "/completed-tasks")).toHaveLength(1);
  });

  it("a click on a task completed since sends nothing and says who completed it and when", async () => {
    const msg = await list();
    // Bob completes it in Tallyfy meanwhile
    const task = h.sandbox.state.oneOffTasks.find((t) => t.id === OVERDUE)!;
    task.status = "completed";
    task.completed_at = new Date().toISOString();
    task.completer_id = 1002;
    await h.driver.clickButton({ ephemeral: msg }, "task_complete", {
      blockId: `task_${OVERDUE}_actions`,
    });
    const redrawn = await rowOnceItSays(OVERDUE, (t) => t.includes("Already completed"));
    expect(text(redrawn.blocks)).toContain(`Already completed by <@${BOB}>`);
    expect(posts(h, "/completed-tasks")).toHaveLength(0);
    expect(h.sandbox.completions(OVERDUE)).toBe(0);
  });

  it("clicking Complete again on the old list after completing sends nothing", async () => {
    const msg = await list();
    const blockId = `task_${OVERDUE}_actions`;
    const value = rowButtons(msg.blocks, OVERDUE)[0]!.value;
    await h.driver.clickButton({ ephemeral: msg }, "task_complete", { blockId });
    await rowOnceItSays(OVERDUE, (t) => t.includes("Completed by"));
    await settled(h);
    // the same button again (a stale copy of the list, or Slack delivering it twice)
    await h.driver.command("tasks");
    const fresh = await ephemeral(h, (m) => m.ts !== msg.ts && text(m.blocks).includes("Your"));
    fresh.blocks.push({
      type: "actions",
      block_id: blockId,
      elements: [
        {
          type: "button",
          action_id: "task_complete",
          text: { type: "plain_text", text: "Complete" },
          value,
        },
      ],
    });
    await h.driver.clickButton({ ephemeral: fresh }, "task_complete", { blockId });
    await rowOnceItSays(OVERDUE, (t) => t.includes("Already completed"));
    expect(h.sandbox.completions(OVERDUE)).toBe(1);
  });

  it("Approve sends is_approved: true; Acknowledge never sends is_approved", async () => {
    const msg = await list();
    await h.driver.clickButton({ ephemeral: msg }, "task_approve", {
      blockId: `task_${TODAY}_actions`,
    });
    await rowOnceItSays(TODAY, (t) => t.includes("Approved by"));
    expect(posts(h, "/completed-tasks")[0]!.body).toEqual({ task_id: TODAY, is_approved: true });

    first(ACK);
    const again = await list();
    await h.driver.clickButton({ ephemeral: again }, "task_acknowledge", {
      blockId: `task_${ACK}_actions`,
    });
    await rowOnceItSays(ACK, (t) => t.includes("Acknowledged by"));
    const ack = posts(h, "/completed-tasks").find(
      (r) => (r.body as { task_id: string }).task_id === ACK,
    )!;
    expect(ack.body).toEqual({ task_id: ACK });
    const record = h.sandbox.state.completionLog.find((c) => c.taskId === ACK)!;
    expect(record.is_approved).toBeNull();
  });

  it("a process task completes through its process's endpoint", async () => {
    const run = [...h.sandbox.state.runs.values()].find((r) =>
      r.tasks.some(
        (t) =>
          t.users.includes(1001) &&
          t.status !== "completed" &&
          !t.form_fields &&
          (t.task_type ?? "task") === "task",
      ),
    )!;
    const task = run.tasks.find(
      (t) => t.status !== "completed" && !t.form_fields && (t.task_type ?? "task") === "task",
    )!;
    task.deadline = new Date(Date.now() - 86_400_000 * 30).toISOString(); // first row on the list
    const msg = await list();
    await h.driver.clickButton({ ephemeral: msg }, "task_complete", {
      blockId: `task_${task.id}_actions`,
    });
    await rowOnceItSays(task.id, (t) => t.includes("Completed by"));
    const post = posts(h, "/completed-tasks")[0]!;
    expect(post.path).toBe(`/organizations/${h.sandbox.orgId}/runs/${run.id}/completed-tasks`);
    expect(post.body).toEqual({ task_id: task.id });
  });
});

describe("honest errors", () => {
  async function clickOverdueExpectingError(): Promise<string> {
    const msg = await list();
    const seen = h.slack.messages(OPS).length;
    await h.driver.clickButton({ ephemeral: msg }, "task_complete", {
      blockId: `task_${OVERDUE}_actions`,
    });
    const err = await eventually(() => {
      const m = h.slack
        .messages(OPS)
        .slice(seen)
        .find((x) => x.ephemeralTo === ALICE && x.ts !== msg.ts);
      if (!m) throw new Error("no reply yet");
      return m;
    });
    return text(err);
  }

  it("an open issue: one sentence, nothing posted", async () => {
    first(ISSUE);
    const msg = await list();
    await h.driver.clickButton({ ephemeral: msg }, "task_complete", {
      blockId: `task_${ISSUE}_actions`,
    });
    const err = await ephemeral(h, (m) => text(m).includes("open issue"));
    expect(text(err)).toContain("can't be completed until the issue is resolved");
    expect(posts(h, "/completed-tasks")).toHaveLength(0);
  });

  it("only assignees may complete it", async () => {
    h.sandbox.fault({
      method: "POST",
      path: /completed-tasks$/,
      status: 403,
      body: { error: true, message: "Only assignees can complete this task." },
    });
    expect(await clickOverdueExpectingError()).toContain(
      "Only the people assigned to this task can complete it.",
    );
  });

  it("the token lacks rights", async () => {
    h.sandbox.fault({
      method: "POST",
      path: /completed-tasks$/,
      status: 403,
      body: { error: true, message: "Forbidden" },
    });
    expect(await clickOverdueExpectingError()).toContain(
      "doesn't have the rights to do that on this task",
    );
  });

  it("the task was reopened at once", async () => {
    const task = h.sandbox.state.oneOffTasks.find((t) => t.id === OVERDUE)!;
    h.sandbox.fault({
      method: "POST",
      path: /completed-tasks$/,
      status: 200,
      body: {
        data: { id: task.id, title: task.title, status: "in-progress", is_oneoff_task: true },
      },
    });
    expect(await clickOverdueExpectingError()).toContain("This task was reopened in Tallyfy");
  });

  it("Tallyfy timed out on the completion: it may have been applied", async () => {
    h.sandbox.fault({ method: "POST", path: /completed-tasks$/, drop: true });
    const said = await clickOverdueExpectingError();
    expect(said).toMatch(/the task may have been completed|can't tell whether/);
    expect(said).not.toContain("stack");
  });
});
