/**
 * What the task feature adds to the renderers: the status card's next task (assignees, the
 * Complete button), rows kept in the list as done after a click, and click values that carry
 * where the button sits.
 */
import { describe, expect, it } from "vitest";
import { nextTaskOf, renderStatusCard } from "../../src/blocks/card.ts";
import {
  decodeTaskClick,
  decodeTaskModalMeta,
  encodeTaskClick,
  encodeTaskModalMeta,
  OPTION_VALUE_MAX,
  renderTaskList,
} from "../../src/blocks/tasks/index.ts";
import { type Task, taskSchema } from "../../src/tallyfy/task-schemas.ts";
import { assertBlockKit } from "../support/block-limits.ts";
import { makeRun } from "./blocks-fixtures.ts";

// biome-ignore lint/suspicious/noExplicitAny: blocks are inspected field by field
type Json = any;

const HOSTILE = "<!channel> *bold* <https://evil.example|click> & <@U999>";
const hex = (n: number) => n.toString(16).padStart(32, "0");
const NOW = new Date("2026-03-10T20:00:00Z");
const RUN = hex(77);

function runTask(n: number, over: Record<string, unknown> = {}) {
  return {
    id: hex(n),
    title: `Step ${n}`,
    position: n,
    status: "not-started",
    deadline: "2026-03-12T17:00:00Z",
    task_type: "task",
    owners: { users: [1001], guests: [], groups: [] },
    ...over,
  };
}

const buttons = (blocks: Json[]) =>
  blocks.flatMap((b: Json) => (b.type === "actions" ? b.elements : []));
const nextField = (blocks: Json[]) =>
  blocks.flatMap((b: Json) => b.fields ?? []).find((f: Json) => f.text.startsWith("*Next task*"))
    ?.text as string;

describe("the status card's next task", () => {
  it("is the first open task by position from the run's tasks, with its type's button", () => {
    const run = makeRun({
      id: RUN,
      tasks: {
        data: [
          runTask(3, { task_type: "approval" }),
          runTask(1, { status: "completed", completed_at: "2026-03-01T00:00:00Z" }),
          runTask(2, { status: "auto-skipped" }),
        ],
      },
    });
    expect(nextTaskOf(run)?.id).toBe(hex(3));
    const card = renderStatusCard(run, { runUrl: "https://x.test/r", now: NOW });
    const approve = buttons(card.blocks).find((b: Json) => b.action_id === "task_approve");
    expect(approve.text.text).toBe("Approve next task");
    expect(decodeTaskClick(approve.value)).toEqual({
      ref: { id: hex(3), runId: RUN, oneOff: false },
      origin: { card: true },
    });
  });

  it("escapes hostile titles and names, shows five people and '+N more', and fits Block Kit", () => {
    const owners = Array.from({ length: 40 }, (_, i) => 2000 + i);
    const run = makeRun({
      id: RUN,
      tasks: [runTask(1, { title: HOSTILE.repeat(40), owners: { users: owners } })],
    });
    const people = owners.map(() => ({ name: HOSTILE }));
    const card = renderStatusCard(run, {
      runUrl: "https://x.test/r",
      now: NOW,
      nextTaskAssignees: people,
    });
    const line = nextField(card.blocks);
    expect(line).not.toContain("<!channel>");
    expect(line).not.toContain("<@U999>");
    expect(line).toContain("+35 more");
    assertBlockKit({ type: "message", blocks: card.blocks });
  });

  it("has no button for a finished or archived process, or a task id Tallyfy never makes", () => {
    for (const raw of [
      { id: RUN, status: "archived", tasks: [runTask(1)] },
      { id: RUN, status: "completed", tasks: [runTask(1)] },
      { id: RUN, tasks: [runTask(1, { id: "k1" })] },
    ]) {
      const card = renderStatusCard(makeRun(raw), { runUrl: "https://x.test/r", now: NOW });
      expect(buttons(card.blocks).map((b: Json) => b.action_id)).not.toContain("task_complete");
    }
  });

  it("says all tasks are done when the run's tasks are all completed", () => {
    const run = makeRun({
      id: RUN,
      tasks: [runTask(1, { status: "completed", completed_at: "2026-03-01T00:00:00Z" })],
    });
    expect(nextField(renderStatusCard(run, { runUrl: "", now: NOW }).blocks)).toContain(
      "All tasks done",
    );
  });
});

describe("the private list after a click", () => {
  const task = (n: number, over: Record<string, unknown> = {}): Task =>
    taskSchema.parse({
      id: hex(n),
      title: `Task ${n}`,
      task_type: "task",
      status: "not-started",
      run_id: hex(900 + n),
      deadline: "2026-03-09T12:00:00Z",
      ...over,
    });
  const links = { taskUrl: () => "https://x.test/t", runUrl: () => "https://x.test/r" };

  it("keeps the done row in place without buttons and leaves it out of the counts", () => {
    const done = task(1, { status: "completed", completed_at: "2026-03-10T19:00:00Z" });
    const r = renderTaskList([done, task(2)], {
      ...links,
      state: { filter: "all", page: 1 },
      now: NOW,
      done: new Map([
        [done.id, { outcome: "completed", by: { slackUserId: "U0ALICE" }, at: done.completed_at }],
      ]),
    });
    const shown = JSON.stringify(r.blocks);
    expect(shown).toContain("Completed by <@U0ALICE>");
    expect(r.text).toContain("1 overdue");
    expect(r.blocks.some((b: Json) => b.block_id === `task_${done.id}_actions`)).toBe(false);
    // the remaining row's buttons remember the list they are on
    const row = r.blocks.find((b: Json) => b.block_id === `task_${hex(2)}_actions`) as Json;
    expect(decodeTaskClick(row.elements[0].value)?.origin).toEqual({
      list: { filter: "all", page: 1 },
    });
    assertBlockKit({ type: "message", blocks: r.blocks });
  });
});

describe("click values and modal metadata", () => {
  it("round-trip the origin and stay under Slack's option value limit", () => {
    const ref = { id: hex(5), runId: hex(6), oneOff: true };
    for (const origin of [{}, { card: true }, { list: { filter: "today" as const, page: 10 } }]) {
      const value = encodeTaskClick(ref, origin);
      expect(value.length + 1).toBeLessThanOrEqual(OPTION_VALUE_MAX);
      expect(decodeTaskClick(value)).toEqual({ ref, origin });
    }
    const meta = {
      ref,
      decision: "approve" as const,
      responseUrl: "https://hooks.slack.test/x",
      origin: { list: { filter: "overdue" as const, page: 2 } },
    };
    expect(decodeTaskModalMeta(encodeTaskModalMeta(meta))).toEqual(meta);
    expect(decodeTaskClick('{"t":"nothex"}')).toBeUndefined();
  });
});
