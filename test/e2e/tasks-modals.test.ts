/**
 * The task modals end to end: a task's form (prefilled, only changed fields saved, then
 * completed, once), required fields Slack can't fill, Tallyfy's 422 on the right input, the
 * reject reason and comments with mentions.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeView, Json } from "../../sandbox/slack/types.ts";
import { SEED, SEED_TASKS } from "../../sandbox/tallyfy/server.ts";
import { assertModalView } from "../support/block-limits.ts";
import { eventually, type Harness, startHarness } from "../support/harness.ts";
import { ALICE, BOB, ephemeral, OPS, posts, settled, tallyfyCalls, text } from "./tasks-support.ts";

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

const KIT = SEED_TASKS.mariaKit;
const F = SEED_TASKS.kitFields;
const BLOCKED = SEED_TASKS.oneOff("admin", "blocked");
const TODAY = SEED_TASKS.oneOff("admin", "today");
const OVERDUE = SEED_TASKS.oneOff("admin", "overdue");
const ko = (fieldId: string) => `ko_${fieldId}`;

function sandboxTask(id: string) {
  for (const run of h.sandbox.state.runs.values()) {
    const t = run.tasks.find((x) => x.id === id);
    if (t) return t;
  }
  const t = h.sandbox.state.oneOffTasks.find((x) => x.id === id);
  if (!t) throw new Error(`no task ${id}`);
  return t;
}

/** The list with `taskId` first (the oldest deadline), and a click on one of its buttons. */
async function clickOnList(taskId: string, actionId: string) {
  sandboxTask(taskId).deadline = new Date(Date.now() - 60 * 86_400_000).toISOString();
  await h.driver.command("tasks");
  const msg = await ephemeral(h, (m) => text(m.blocks).includes(`task_${taskId}_actions`));
  await h.driver.clickButton({ ephemeral: msg }, actionId, { blockId: `task_${taskId}_actions` });
  return msg;
}

function aliceView(pred: (v: FakeView) => boolean): Promise<FakeView> {
  return eventually(() => {
    const v = h.slack.openView(ALICE);
    if (!v || !pred(v)) throw new Error("no such view yet");
    assertModalView(v);
    return v;
  });
}

function optionId(fieldId: string, optionText: string): string {
  const field = sandboxTask(KIT).form_fields?.find((f) => f.id === fieldId);
  const option = field?.options.find((o) => o.text === optionText);
  if (!option) throw new Error(`no option ${optionText}`);
  return String(option.id);
}

describe("a task with a form", () => {
  it("Complete opens the form prefilled; submit saves only the changed fields (no owners) and completes once", async () => {
    sandboxTask(KIT).taskdata = { [F.address]: "1 Main St" };
    const list = await clickOnList(KIT, "task_complete");
    const form = await aliceView((v) => v.view.callback_id === "task_form_modal");
    expect(text(form.view)).toContain("Shipping address");
    const address = form.view.blocks.find((b: Json) => b.block_id === ko(F.address));
    expect(address.element.initial_value).toBe("1 Main St");
    // nothing is completed by opening the form
    expect(posts(h, "/completed-tasks")).toHaveLength(0);

    const since = h.sandbox.requests.length;
    const res = await h.driver.submitView(form.id, {
      [ko(F.kit)]: { value: optionId(F.kit, "Developer") },
    });
    expect(res.viewProblem).toBeUndefined();
    const row = await ephemeral(
      h,
      (m) => m.ts === list.ts && text(m.blocks).includes("Completed by"),
    );
    expect(text(row.blocks)).toContain(`Completed by <@${ALICE}>`);
    const put = h.sandbox.requests.find((r) => r.method === "PUT")!;
    expect(put.path).toBe(
      `/organizations/${h.sandbox.orgId}/runs/${SEED.runs.active}/tasks/${KIT}`,
    );
    expect(put.body).toEqual({ taskdata: { [F.kit]: "Developer" } });
    expect(h.sandbox.completions(KIT)).toBe(1);
    // two writes: the PUT and the completion
    const writes = tallyfyCalls(h, since).filter((c) => !c.startsWith("GET"));
    expect(writes).toEqual([
      `PUT /runs/${SEED.runs.active}/tasks/${KIT}`,
      `POST /runs/${SEED.runs.active}/completed-tasks`,
    ]);
    expect(sandboxTask(KIT).taskdata?.[F.address]).toBe("1 Main St");
  });

  it("a submit sent twice completes once", async () => {
    await clickOnList(KIT, "task_complete");
    const form = await aliceView((v) => v.view.callback_id === "task_form_modal");
    const values = {
      [ko(F.address)]: { value: "2 High St" },
      [ko(F.kit)]: { value: optionId(F.kit, "Standard") },
    };
    await Promise.all([h.driver.submitView(form.id, values), h.driver.submitView(form.id, values)]);
    await settled(h);
    expect(h.sandbox.completions(KIT)).toBe(1);
    expect(h.sandbox.requests.filter((r) => r.method === "PUT")).toHaveLength(1);
  });

  it("Tallyfy's 422 lands under the right input, and the modal keeps every value", async () => {
    await clickOnList(KIT, "task_complete");
    const form = await aliceView((v) => v.view.callback_id === "task_form_modal");
    h.sandbox.fault({
      method: "PUT",
      path: /\/tasks\/[0-9a-f]+$/,
      status: 422,
      body: {
        message: "The given data was invalid.",
        errors: { [`taskdata.${F.address}`]: ["Address must include a postcode."] },
      },
    });
    const res = await h.driver.submitView(form.id, {
      [ko(F.address)]: { value: "Nowhere" },
      [ko(F.kit)]: { value: optionId(F.kit, "Designer") },
    });
    expect(res.body).toEqual({
      response_action: "errors",
      errors: { [ko(F.address)]: "Address must include a postcode." },
    });
    const still = h.slack.views.get(form.id)!;
    expect(still.open).toBe(true);
    expect(still.view.state.values[ko(F.address)].value.value).toBe("Nowhere");
    expect(h.sandbox.completions(KIT)).toBe(0);
  });

  it("required fields Slack cannot fill: the modal says so, links to Tallyfy, and can't be submitted", async () => {
    await clickOnList(BLOCKED, "task_complete");
    const view = await aliceView((v) => text(v.view).includes("Complete it in Tallyfy"));
    expect(text(view.view)).toContain("Signed NDA");
    expect(view.view.submit ?? undefined).toBeUndefined();
    expect(text(view.view)).toContain("http://");
    expect(posts(h, "/completed-tasks")).toHaveLength(0);
  });
});

describe("Reject", () => {
  it("asks for a reason, rejects once with is_approved: false and posts the reason as a comment", async () => {
    const list = await clickOnList(TODAY, "task_reject");
    const modal = await aliceView((v) => v.view.callback_id === "task_reject_modal");
    expect(posts(h, "/completed-tasks")).toHaveLength(0);
    const empty = await h.driver.submitView(modal.id, {}, { skipClientValidation: true });
    expect(empty.body.response_action).toBe("errors");
    await h.driver.submitView(modal.id, {
      task_reject_reason: { value: "Dates overlap the launch." },
    });
    await ephemeral(h, (m) => m.ts === list.ts && text(m.blocks).includes("Rejected by"));
    expect(posts(h, "/completed-tasks").map((r) => r.body)).toEqual([
      { task_id: TODAY, is_approved: false },
    ]);
    const comment = posts(h, `/tasks/${TODAY}/comment`)[0]!;
    expect(comment.body).toEqual({ content: "Dates overlap the launch." });
  });
});

describe("Comment", () => {
  it("posts the comment; Slack mentions of people mapped by email become @[user_id]", async () => {
    sandboxTask(OVERDUE).deadline = new Date(Date.now() - 60 * 86_400_000).toISOString();
    await h.driver.command("tasks");
    const msg = await ephemeral(h, (m) => text(m.blocks).includes(`task_${OVERDUE}_actions`));
    const more = msg.blocks.find((b) => b.block_id === `task_${OVERDUE}_actions`)!.elements[1];
    await h.driver.selectOption({ ephemeral: msg }, "task_more", more.options[0].value, {
      blockId: `task_${OVERDUE}_actions`,
    });
    const modal = await aliceView((v) => v.view.callback_id === "task_comment_modal");
    expect(text(modal.view)).toContain("Submit last month");
    const since = h.sandbox.requests.length;
    await h.driver.submitView(modal.id, {
      task_comment: { value: `Can <@${BOB}> check the receipts?` },
      task_comment_notify: { value: ["U0CAROL"] },
    });
    await eventually(() => {
      if (!posts(h, "/comment").length) throw new Error("no comment yet");
    });
    const body = posts(h, `/tasks/${OVERDUE}/comment`)[0]!.body as { content: string };
    expect(body.content).toBe("Can @[1002] check the receipts?\n\ncc @[1003]");
    expect(tallyfyCalls(h, since).filter((c) => !c.startsWith("GET"))).toEqual([
      `POST /tasks/${OVERDUE}/comment`,
    ]);
    const thread = sandboxTask(OVERDUE).threads?.at(-1);
    expect(thread?.mentions).toEqual([1002, 1003]);
    expect(h.sandbox.completions(OVERDUE)).toBe(0);
    void OPS;
  });
});
