import { describe, expect, it } from "vitest";
import { decodeTaskForm, fieldBlockId } from "../../src/blocks/kickoff/index.ts";
import { mapValidationError } from "../../src/blocks/modals/validation-map.ts";
import {
  commentModal,
  createTaskModal,
  createTaskPrefill,
  decodeCreateTaskMeta,
  decodeTaskListState,
  decodeTaskModalMeta,
  decodeTaskRef,
  doneRowBlocks,
  nextTaskButtons,
  nextTaskText,
  parseTaskFilter,
  readCommentState,
  readCreateTaskState,
  readRejectState,
  rejectModal,
  renderTaskCard,
  renderTaskList,
  replaceTaskRow,
  rowBlockId,
  TASK_ACTION,
  TASKS_PER_PAGE,
  type TaskListState,
  type TaskModalMeta,
  tallyfyCommentContent,
  taskErrorText,
  taskFormModal,
  tomorrowAt,
} from "../../src/blocks/tasks/index.ts";
import {
  TallyfyForbiddenError,
  TallyfyTimeoutError,
  TallyfyValidationError,
} from "../../src/tallyfy/errors.ts";
import { TallyfyTaskRefusedError } from "../../src/tallyfy/task-errors.ts";
import { type Task, taskSchema } from "../../src/tallyfy/task-schemas.ts";
import { assertBlockKit } from "../support/block-limits.ts";

// biome-ignore lint/suspicious/noExplicitAny: blocks are inspected field by field
type Json = any;

const NOW = new Date("2026-03-10T20:00:00Z");
const HOUR = 3_600_000;
const HOSTILE = "<!channel> *bold* <https://evil.example|click> & <@U999>";
let seq = 0;
const hex = (n: number) => n.toString(16).padStart(32, "0");

function task(over: Record<string, unknown> = {}): Task {
  seq++;
  return taskSchema.parse({
    id: hex(seq),
    title: `Task ${seq}`,
    task_type: "task",
    status: "not-started",
    run_id: hex(10_000 + seq),
    is_oneoff_task: false,
    deadline: new Date(NOW.getTime() + 48 * HOUR).toISOString(),
    run: { data: { id: hex(10_000 + seq), name: "Onboarding – Maria" } },
    owners: { users: [1001], guests: [], groups: [] },
    ...over,
  });
}
const at = (hoursFromNow: number) => new Date(NOW.getTime() + hoursFromNow * HOUR).toISOString();

const links = {
  taskUrl: (t: Task) => `https://go.tallyfy.test/acme/tasks/${t.id}`,
  runUrl: (id: string) => `https://go.tallyfy.test/acme/processes/${id}`,
};
const state = (over: Partial<TaskListState> = {}): TaskListState => ({
  filter: "all",
  page: 1,
  ...over,
});
const list = (
  tasks: Task[],
  over: Record<string, unknown> = {},
): { text: string; blocks: Json[] } =>
  renderTaskList(tasks, { ...links, state: state(), now: NOW, timeZone: "UTC", ...over });
const message = (r: { text: string; blocks: unknown[] }) =>
  assertBlockKit({ type: "message", text: r.text, blocks: r.blocks });
const texts = (blocks: Json[]) =>
  blocks
    .flatMap((b) => [
      b.text?.text,
      ...(b.fields ?? []).map((f: Json) => f.text),
      ...(b.elements ?? []).map((e: Json) => e.text),
    ])
    .filter((t) => typeof t === "string")
    .join("\n");
const actions = (blocks: Json[]) =>
  blocks.filter((b) => b.type === "actions").flatMap((b) => b.elements);

describe("task list", () => {
  it("groups Overdue, Due today and Upcoming by deadline, whatever the status says", () => {
    const late = task({ title: "Late", deadline: at(-2), status: "in-progress" });
    const today = task({ title: "Today", deadline: at(2) });
    const later = task({ title: "Later", deadline: at(30) });
    const none = task({ title: "Whenever", deadline: null });
    const r = list([none, later, today, late]);
    message(r);
    const order = texts(r.blocks)
      .split("\n")
      .filter((l) => /Overdue\*|Due today\*|Upcoming\*|\|(Late|Today|Later|Whenever)>/.test(l));
    expect(order.map((l) => l.replace(/.*\|/, "").replace(/>\*$/, ""))).toEqual([
      ":rotating_light: *Overdue*",
      "Late",
      ":calendar: *Due today*",
      "Today",
      ":spiral_calendar_pad: *Upcoming*",
      "Later",
      "Whenever",
    ]);
    expect(r.blocks[0].text.text).toBe("*Your tasks* · 1 overdue · 1 due today · 2 upcoming");
    expect(texts(r.blocks)).toContain(":warning: overdue");
  });

  it("decides 'today' in the reader's time zone", () => {
    // 02:00 UTC tomorrow is 19:00 today in Los Angeles, tomorrow in UTC.
    const t = task({ title: "Evening", deadline: "2026-03-11T02:00:00Z" });
    const heading = (tz: string) => texts(list([t], { timeZone: tz }).blocks);
    expect(heading("America/Los_Angeles")).toContain("Due today*");
    expect(heading("UTC")).toContain("Upcoming*");
    expect(heading("Not/AZone")).toContain("Upcoming*");
  });

  it("filters overdue or today only", () => {
    const tasks = [
      task({ deadline: at(-1) }),
      task({ deadline: at(1) }),
      task({ deadline: at(50) }),
    ];
    expect(
      actions(list(tasks, { state: state({ filter: "overdue" }) }).blocks).filter(
        (e: Json) => e.action_id === TASK_ACTION.complete,
      ),
    ).toHaveLength(1);
    const today = list(tasks, { state: state({ filter: "today" }) });
    expect(today.blocks[0].text.text).toBe("*Your tasks due today* · 1 due today");
  });

  it("gives each task type its buttons, carrying task id, run id and the one-off flag", () => {
    const kinds = ["task", "email", "approval", "expiring", "expiring_email"].map((type, i) =>
      task({ task_type: type, is_oneoff_task: i === 2, deadline: at(i + 1) }),
    );
    const r = list(kinds);
    message(r);
    const rows = r.blocks.filter((b: Json) => b.type === "actions" && b.block_id);
    const labels = rows.map((b: Json) =>
      b.elements.filter((e: Json) => e.type === "button").map((e: Json) => e.text.text),
    );
    expect(labels).toEqual([
      ["Complete"],
      ["Complete"],
      ["Approve", "Reject"],
      ["Acknowledge"],
      ["Acknowledge"],
    ]);
    const approve = rows[2].elements[0];
    expect(approve.action_id).toBe(TASK_ACTION.approve);
    expect(decodeTaskRef(approve.value)).toEqual({
      id: kinds[2]!.id,
      runId: kinds[2]!.run_id,
      oneOff: true,
    });
    const more = rows[0].elements.at(-1);
    expect(more.type).toBe("overflow");
    expect(more.options.map((o: Json) => o.text.text)).toEqual(["Comment", "Open in Tallyfy"]);
    expect(decodeTaskRef(more.options[0].value.slice(1))?.id).toBe(kinds[0]!.id);
    expect(more.options[1].url).toBe(links.taskUrl(kinds[0]!));
  });

  it("shows a one-off task as such and links a process task's process", () => {
    const r = list([
      task({ is_oneoff_task: true }),
      task({ run: { data: { id: hex(5), name: "Hire <Bob>" } } }),
    ]);
    const t = texts(r.blocks);
    expect(t).toContain("One-off task");
    expect(t).toContain(`<${links.runUrl(hex(5))}|Hire &lt;Bob&gt;>`);
  });

  it("stays within Block Kit limits for 500 hostile tasks, a page at a time with Previous/Next", () => {
    const many = Array.from({ length: 500 }, (_, i) =>
      task({
        title: `${HOSTILE} ${"x".repeat(i % 7 === 0 ? 5000 : 10)}`,
        deadline: i % 3 === 0 ? at(-i) : i % 3 === 1 ? null : at(i * 30),
        task_type: ["task", "approval", "expiring", "email"][i % 4],
        run: { data: { id: hex(1), name: `${HOSTILE}${"y".repeat(3000)}` } },
      }),
    );
    const longLinks = {
      taskUrl: () => `https://go.tallyfy.test/${"z".repeat(2900)}`,
      runUrl: () => `https://go.tallyfy.test/${"w".repeat(2900)}`,
    };
    const pages = Math.ceil(500 / TASKS_PER_PAGE);
    for (const page of [1, 2, pages, pages + 10]) {
      const r = renderTaskList(many, {
        ...longLinks,
        state: state({ page }),
        now: NOW,
        truncated: true,
      });
      message(r);
      expect(r.blocks.length).toBeLessThanOrEqual(50);
      const all = JSON.stringify(r.blocks);
      expect(all).not.toContain("<!channel>");
      expect(all).not.toContain("<@U999>");
      const paging = actions(r.blocks).filter((e: Json) => /^tasks_page/.test(e.action_id));
      const names = paging.map((e: Json) => e.text.text);
      if (page === 1) expect(names).toEqual(["Next →"]);
      else if (page >= pages) expect(names).toEqual(["← Previous"]);
      else expect(names).toEqual(["← Previous", "Next →"]);
      for (const p of paging) expect(decodeTaskListState(p.value).page).toBeGreaterThan(0);
      expect(texts(r.blocks)).toContain("showing your first 100 tasks");
    }
  });

  it("says Nothing on your plate with a launch hint when empty", () => {
    const r = list([task({ status: "completed", completed_at: at(-1) })]);
    message(r);
    expect(texts(r.blocks)).toContain("Nothing on your plate");
    expect(texts(r.blocks)).toContain("/tallyfy launch");
    expect(texts(list([], { state: state({ filter: "overdue" }) }).blocks)).toContain(
      "Nothing overdue",
    );
  });

  it("reads the command's filter words", () => {
    expect(["", "all", "overdue", "TODAY", "soon"].map(parseTaskFilter)).toEqual([
      "all",
      "all",
      "overdue",
      "today",
      undefined,
    ]);
  });
});

describe("a row after a click", () => {
  it("replaces the row in place with who and when, leaving the rest alone", () => {
    const tasks = [task({ deadline: at(1) }), task({ deadline: at(2) })];
    const before = list(tasks).blocks;
    const done = doneRowBlocks(tasks[0]!, links, {
      outcome: "completed",
      by: { slackUserId: "U123" },
      at: NOW.toISOString(),
    });
    const after = replaceTaskRow(before, tasks[0]!.id, done);
    message({ text: "x", blocks: after });
    expect(after).toHaveLength(before.length - 1);
    const row = after.find((b: Json) => b.block_id === rowBlockId(tasks[0]!.id)) as Json;
    expect(row.text.text).toMatch(/Completed by <@U123> · <!date\^\d+\^/);
    expect(after.some((b: Json) => b.block_id === `${rowBlockId(tasks[0]!.id)}_actions`)).toBe(
      false,
    );
    expect(after.some((b: Json) => b.block_id === `${rowBlockId(tasks[1]!.id)}_actions`)).toBe(
      true,
    );
  });

  it("names someone else who completed it meanwhile", () => {
    const t = task({ title: HOSTILE });
    const [row] = doneRowBlocks(t, links, {
      outcome: "already_completed",
      by: { name: "Bob <b>" },
      at: null,
    }) as Json[];
    expect(row.text.text).toContain("Already completed by Bob &lt;b&gt;");
    expect(row.text.text).not.toContain("<!channel>");
  });
});

describe("task card", () => {
  it("shows the task with its buttons, escaped, and drops them once done", () => {
    const t = task({ title: HOSTILE, summary: `${HOSTILE}\n`.repeat(50), task_type: "approval" });
    const open = renderTaskCard(t, {
      ...links,
      assignees: [{ slackUserId: "U0AB1" }, { name: "Carol" }],
      now: NOW,
    });
    message(open);
    expect(actions(open.blocks).map((e: Json) => e.text.text)).toEqual([
      "Approve",
      "Reject",
      "Open in Tallyfy",
    ]);
    expect(JSON.stringify(open.blocks)).not.toContain("<!channel>");
    const due = (open.blocks as Json[])[1].fields[0].text;
    expect(due).toMatch(/^\*Due\*\n<!date\^\d+\^/);
    const done = renderTaskCard(t, {
      ...links,
      done: { outcome: "approved", by: { slackUserId: "U0AB1" }, at: NOW.toISOString() },
    });
    message(done);
    expect(actions(done.blocks).map((e: Json) => e.text.text)).toEqual(["Open in Tallyfy"]);
    expect(texts(done.blocks)).toContain("Approved by <@U0AB1>");
  });

  it("gives the status card a next-task line and one button", () => {
    const t = task({ title: "Order laptop", task_type: "approval", deadline: at(-1) });
    expect(nextTaskText(t, [{ slackUserId: "U0AB1" }], NOW)).toMatch(
      /^Order laptop\n<@U0AB1> · Due <!date.*overdue$/,
    );
    expect(nextTaskText(undefined, [], NOW)).toBe("—");
    expect(nextTaskButtons(t).map((b) => b.text.text)).toEqual(["Approve"]);
  });
});

describe("task modals", () => {
  const meta: TaskModalMeta = {
    ref: { id: hex(1), runId: hex(2), oneOff: false },
    decision: "complete",
    channel: "C1",
    ts: "1.2",
    responseUrl: "https://hooks.slack.test/x",
  };
  const field = (json: Record<string, unknown>) => ({ label: "F", position: 1, ...json });

  it("builds the form from the task's fields, prefilled, with Complete", () => {
    const t = task({
      form_fields: {
        data: [
          field({ id: "a", field_type: "text", label: HOSTILE, required: true, field_value: "x" }),
          field({
            id: "b",
            field_type: "dropdown",
            options: [{ id: 1, text: "One" }],
            field_value: { id: 1, text: "One" },
          }),
          field({ id: "c", field_type: "table", columns: [{ id: 1, label: "A" }] }),
        ],
      },
    });
    const view = taskFormModal({
      task: t,
      fields: t.form_fields!,
      answers: decodeTaskForm(t.form_fields!),
      meta,
      taskUrl: links.taskUrl(t),
    });
    assertBlockKit(view as Json);
    expect((view.submit as Json).text).toBe("Complete");
    const inputs = view.blocks.filter((b: Json) => b.type === "input") as Json[];
    expect(inputs.map((b) => b.block_id)).toEqual([fieldBlockId("a"), fieldBlockId("b")]);
    expect(inputs[1].element.initial_option.value).toBe("1");
    expect(decodeTaskModalMeta(view.private_metadata)).toEqual(meta);
  });

  it("says which required fields Slack cannot fill, links to Tallyfy, and offers no submit", () => {
    const t = task({
      form_fields: [
        field({ id: "f", field_type: "file", label: "Signed NDA", required: true }),
        field({ id: "g", field_type: "table", label: "Returns", required: true, columns: [] }),
      ],
    });
    const view = taskFormModal({
      task: t,
      fields: t.form_fields!,
      answers: {},
      meta,
      taskUrl: links.taskUrl(t),
    });
    assertBlockKit(view as Json);
    expect(view.submit).toBeUndefined();
    const all = JSON.stringify(view.blocks);
    expect(all).toContain("*Signed NDA*, *Returns*");
    expect(all).toContain(links.taskUrl(t));
  });

  it("refuses a form too big for a modal instead of leaving fields out", () => {
    const fields = Array.from({ length: 120 }, (_, i) =>
      field({ id: `f${i}`, field_type: "text", position: i }),
    );
    const t = task({ form_fields: fields });
    const view = taskFormModal({
      task: t,
      fields: t.form_fields!,
      answers: {},
      meta,
      taskUrl: links.taskUrl(t),
    });
    expect(view.submit).toBeUndefined();
    expect(JSON.stringify(view.blocks)).toContain("120 fields");
  });

  it("comment and reject modals fit and read back what was typed", () => {
    const t = task({ title: HOSTILE.repeat(100) });
    for (const view of [
      commentModal(t, meta, "x".repeat(5000)),
      rejectModal(t, { ...meta, decision: "reject" }),
    ]) {
      assertBlockKit(view as Json);
    }
    const values = {
      task_comment: { value: { type: "plain_text_input", value: "  Looks good  " } },
      task_comment_notify: {
        value: { type: "multi_users_select", selected_users: ["U1", "U1", "U2"] },
      },
    };
    expect(readCommentState(values)).toEqual({
      text: "Looks good",
      notify: ["U1", "U2"],
      errors: {},
    });
    expect(readCommentState({}).errors.task_comment).toBe("Write a comment.");
    expect(readRejectState({}).errors.task_reject_reason).toMatch(/Say why/);
  });

  it("puts Tallyfy's taskdata errors on their input", () => {
    const t = task({ form_fields: [field({ id: hex(9), field_type: "text", label: "Team" })] });
    const mapped = mapValidationError(
      new TallyfyValidationError({
        fieldErrors: { [`taskdata.${hex(9)}`]: ["Invalid dropdown choice selected."] },
      }),
      { name: "n", summary: "s", owner: "o", tags: "t", fields: t.form_fields!, fieldBlockId },
    );
    expect(mapped.errors).toEqual({ [fieldBlockId(hex(9))]: "Invalid dropdown choice selected." });
  });
});

describe("create task", () => {
  it("prefills from the message: first line, whole text with permalink, the person, tomorrow 17:00 local", () => {
    const text = `Please *review* the &lt;contract&gt; for <@U2|bob> ${"a".repeat(700)}\nsecond line <https://x.test|link>`;
    const p = createTaskPrefill({
      text,
      permalink: "https://acme.slack.test/archives/C1/p1",
      personSlackId: "U1",
      // 15:00 in New York on the day before clocks go forward.
      now: new Date("2026-03-07T20:00:00Z"),
      timeZone: "America/New_York",
    });
    expect(p.title.startsWith("Please *review* the <contract> for @bob")).toBe(true);
    expect(p.title.length).toBeLessThanOrEqual(600);
    expect(p.description).toContain("second line link (https://x.test)");
    expect(p.description.endsWith("From Slack: https://acme.slack.test/archives/C1/p1")).toBe(true);
    expect(p.assignees).toEqual(["U1"]);
    expect(p.deadline.toISOString()).toBe("2026-03-08T21:00:00.000Z"); // 17:00 EDT
    const view = createTaskModal(p, { channel: "C1", threadTs: "1.2" });
    assertBlockKit(view as Json);
    expect(decodeCreateTaskMeta(view.private_metadata)).toEqual({ channel: "C1", threadTs: "1.2" });
  });

  it("keeps a huge message within the inputs' limits", () => {
    const p = createTaskPrefill({
      text: "é".repeat(10_000),
      personSlackId: "U1",
      now: NOW,
      permalink: "https://x.test/p",
    });
    const view = createTaskModal(p, { channel: "C1", threadTs: "1" });
    assertBlockKit(view as Json);
    expect(p.description.length).toBeLessThanOrEqual(3000);
  });

  it("reads the submission, refusing what Tallyfy would refuse", () => {
    const values = (over: Record<string, unknown> = {}) => ({
      task_title: { value: { value: " Call Globex " } },
      task_description: { value: { value: "" } },
      task_assignees: { value: { selected_users: ["U1"] } },
      task_deadline: { value: { selected_date_time: Math.floor(NOW.getTime() / 1000) + 3600 } },
      task_type: { value: { selected_option: { value: "approval" } } },
      ...over,
    });
    const ok = readCreateTaskState(values(), NOW);
    expect(ok).toMatchObject({
      title: "Call Globex",
      assignees: ["U1"],
      type: "approval",
      errors: {},
    });
    const bad = readCreateTaskState(
      values({
        task_title: { value: { value: " " } },
        task_assignees: { value: { selected_users: [] } },
        task_deadline: { value: { selected_date_time: 1 } },
      }),
      NOW,
    );
    expect(Object.keys(bad.errors).sort()).toEqual([
      "task_assignees",
      "task_deadline",
      "task_title",
    ]);
  });

  it("finds tomorrow 17:00 across time zones", () => {
    expect(tomorrowAt(NOW, "Asia/Kolkata").toISOString()).toBe("2026-03-12T11:30:00.000Z");
    expect(tomorrowAt(NOW, undefined).toISOString()).toBe("2026-03-11T17:00:00.000Z");
  });
});

describe("mentions and errors", () => {
  it("turns Slack mentions of mapped people into @[id], others into names", () => {
    const map = {
      tallyfyIdFor: (id: string) => ({ U1: 1001, U2: 1002 })[id],
      names: { U3: "Dave" },
    };
    expect(tallyfyCommentContent("Hi <@U1> and <@U3>, a &amp; b", map, ["U2", "U1", "U9"])).toBe(
      "Hi @[1001] and @Dave, a &amp; b\n\ncc @[1002]",
    );
  });

  it("has one sentence for each way a task action fails", () => {
    expect(taskErrorText(new TallyfyTaskRefusedError("open_issue"), "complete")).toMatch(
      /open issue/,
    );
    expect(taskErrorText(new TallyfyTaskRefusedError("not_assignee"), "approve")).toMatch(
      /Only the people assigned/,
    );
    expect(taskErrorText(new TallyfyTaskRefusedError("reopened"), "complete")).toMatch(/reopened/);
    expect(taskErrorText(new TallyfyForbiddenError({ status: 403 }), "complete")).toMatch(
      /doesn't have the rights/,
    );
    expect(taskErrorText(new TallyfyTimeoutError({ mayHaveApplied: true }), "complete")).toBe(
      "Tallyfy didn't answer in time, so the task may have been completed. Refresh to check before trying again.",
    );
    expect(taskErrorText(new TallyfyTimeoutError({ mayHaveApplied: true }), "create")).toMatch(
      /may have been created\. Check in Tallyfy/,
    );
    expect(taskErrorText(new TallyfyTimeoutError({ mayHaveApplied: false }), "comment")).toMatch(
      /nothing was changed/,
    );
    expect(taskErrorText(new Error("boom at /secret/path"), "save")).not.toMatch(/boom|secret/);
  });
});
