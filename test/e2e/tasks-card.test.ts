/**
 * The status card learns about tasks: its Next task line (title, assignees, deadline) comes
 * from the run read it already makes (and from the launch's own answer), with a Complete
 * button for that task that redraws the card in place.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeView, Json } from "../../sandbox/slack/types.ts";
import { SEED } from "../../sandbox/tallyfy/server.ts";
import { assertBlockKit } from "../support/block-limits.ts";
import { eventually, type Harness, startHarness } from "../support/harness.ts";
import { ALICE, elements, OPS, posts, tallyfyCalls, text } from "./tasks-support.ts";

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
});

type SandboxRun = (typeof h.sandbox.state.runs extends Map<string, infer R> ? R : never) & {
  tasks: {
    id: string;
    title: string;
    status: string;
    position: number;
    form_fields?: unknown;
    task_type?: string;
    users: number[];
  }[];
};

const open = (run: SandboxRun) =>
  [...run.tasks].filter((t) => t.status !== "completed").sort((a, b) => a.position - b.position);

/** An active run of Alice's whose next task is a plain task without a form. */
function runWithPlainNextTask(): SandboxRun {
  for (const run of h.sandbox.state.runs.values() as Iterable<SandboxRun>) {
    const next = open(run)[0];
    if (
      run.status === "active" &&
      run.orgId === SEED.orgId &&
      next &&
      !next.form_fields &&
      (next.task_type ?? "task") === "task" &&
      open(run).length > 1
    ) {
      return run;
    }
  }
  throw new Error("no such run");
}

async function cardIn(pred: (m: Json) => boolean = () => true) {
  return eventually(() => {
    const m = h.slack
      .messages(OPS)
      .filter((x) => !x.ephemeralTo && x.bot)
      .at(-1);
    if (!m || !pred(m)) throw new Error("no card yet");
    return m;
  });
}

function nextTaskField(blocks: Json[]): string {
  for (const b of blocks)
    for (const f of b.fields ?? []) if (f.text.startsWith("*Next task*")) return f.text;
  return "";
}

describe("the status card's next task", () => {
  it("shows the next task's title, assignees and deadline from the one run read, with a Complete button", async () => {
    const run = runWithPlainNextTask();
    const next = open(run)[0]!;
    await h.driver.command(`show ${run.id}`);
    const card = await cardIn();
    const line = nextTaskField(card.blocks);
    expect(line).toContain(next.title);
    const slackOf: Record<number, string> = { 1001: "U0ALICE", 1002: "U0BOB", 1003: "U0CAROL" };
    expect(line).toContain(`<@${slackOf[next.users[0]!]}>`);
    expect(line).toMatch(/Due <!date\^\d+\^/);
    const button = elements(card.blocks).find((e) => e.action_id === "task_complete")!;
    expect(button.text.text).toBe("Complete next task");
    expect(JSON.parse(button.value)).toMatchObject({ t: next.id, r: run.id, c: 1 });
    expect(tallyfyCalls(h)).toEqual([`GET /runs/${run.id}`]);
    assertBlockKit({ type: "message", blocks: card.blocks });
  });

  it("Complete on the card completes that task once and redraws the card with the new next task", async () => {
    const run = runWithPlainNextTask();
    const [next, after] = open(run);
    await h.driver.command(`show ${run.id}`);
    const card = await cardIn();
    const since = h.sandbox.requests.length;
    const click = () => h.driver.clickButton({ channel: OPS, ts: card.ts }, "task_complete");
    await Promise.all([click(), click()]);
    const redrawn = await cardIn((m) => m.ts === card.ts && text(m.blocks).includes("Completed *"));
    expect(text(redrawn.blocks)).toContain(`by <@${ALICE}>`);
    expect(nextTaskField(redrawn.blocks)).toContain(after!.title);
    expect(h.sandbox.completions(next!.id)).toBe(1);
    expect(posts(h, "/completed-tasks")).toHaveLength(1);
    // the completion's read and write, then the card's one run read
    expect(tallyfyCalls(h, since)).toEqual([
      `GET /tasks/${next!.id}`,
      `POST /runs/${run.id}/completed-tasks`,
      `GET /runs/${run.id}`,
    ]);
    assertBlockKit({ type: "message", blocks: redrawn.blocks });
  });

  it("a launched process's card shows its first task at once, from the launch's own answer", async () => {
    await h.driver.command("launch Weekly Team Check-in");
    const form = await eventually(() => {
      const v = h.slack.openView(ALICE) as FakeView | undefined;
      if (v?.view.submit?.text !== "Launch") throw new Error("no form yet");
      return v;
    });
    await h.driver.submitView(form.id);
    const card = await cardIn((m) => text(m.blocks).includes("Launched by"));
    expect(nextTaskField(card.blocks)).toContain("Collect updates");
    expect(elements(card.blocks).some((e) => e.action_id === "task_complete")).toBe(true);
    const runRequests = h.sandbox.requests.filter((r) => r.path.includes("/runs"));
    expect(runRequests.map((r) => r.method)).toEqual(["POST"]);
  });
});
