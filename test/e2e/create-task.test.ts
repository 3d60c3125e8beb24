import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SlackDriver } from "../../sandbox/slack/driver.ts";
import type { FakeMessage, FakeView } from "../../sandbox/slack/types.ts";
import { SEED } from "../../sandbox/tallyfy/server.ts";
import { CREATE_BLOCK, CREATE_TASK_SHORTCUT, TASK_ACTION } from "../../src/blocks/tasks/index.ts";
import { NOT_AVAILABLE } from "../../src/guard/team-gate.ts";
import { assertBlockKit, assertModalView } from "../support/block-limits.ts";
import { eventually, type Harness, SIGNING_SECRET, startHarness } from "../support/harness.ts";

// biome-ignore lint/suspicious/noExplicitAny: views, blocks and bodies are inspected loosely.
type Json = any;

const ALICE = "U0ALICE";
const BOB = "U0BOB";
const OPS = "C0OPS";
const NOW = new Date("2026-11-22T09:30:00Z");
let clock = NOW;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ now: () => clock });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  clock = NOW;
  h.sandbox.reset();
  h.slack.reset();
  h.sandbox.latencyMs = 0;
});

const text = (v: Json) => JSON.stringify(v.blocks ?? v.view?.blocks);
const epoch = (iso: string) => Date.parse(iso) / 1000;
const creates = () =>
  h.sandbox.requests.filter(
    (r) => r.method === "POST" && /\/organizations\/[^/]+\/tasks$/.test(r.path),
  );
const block = (v: FakeView, id: string) => v.view.blocks.find((b: Json) => b.block_id === id);
const isForm = (v: FakeView) => v.view.submit?.text === "Create";

/** The modal `user` sees once `ready` holds for it. */
function viewOf(user: string, ready: (v: FakeView) => boolean, timeoutMs = 5_000) {
  return eventually(() => {
    const v = h.slack.openView(user);
    if (!v || !ready(v)) throw new Error(`view not ready: ${v ? text(v).slice(0, 300) : "none"}`);
    assertModalView(v);
    return v;
  }, timeoutMs);
}

/** `user` posts `words` in `channel` and picks "Create Tallyfy task" on it. */
async function shortcutOn(
  words: string,
  opts: { user?: string; channel?: string; message?: Json; threadTs?: string } = {},
): Promise<{ msg: FakeMessage; form: FakeView }> {
  const user = opts.user ?? ALICE;
  const msg = h.slack.postAsUser(opts.channel ?? OPS, user, words, {
    ...(opts.threadTs ? { threadTs: opts.threadTs } : {}),
  });
  const res = await h.driver.messageShortcut(msg, CREATE_TASK_SHORTCUT, {
    user,
    ...(opts.message ? { message: opts.message } : {}),
  });
  expect(res.status).toBe(200);
  expect(res.late).toBe(false);
  return { msg, form: await viewOf(user, isForm) };
}

/** Bot messages in `channel`'s thread `ts`. */
const threadReplies = (channel: string, ts: string) =>
  h.slack.messages(channel).filter((m) => m.bot && m.threadTs === ts);

function buttonIds(blocks: Json[]): string[] {
  return blocks.flatMap((b: Json) =>
    (b.elements ?? []).filter((e: Json) => e.type === "button").map((e: Json) => e.action_id),
  );
}

describe("Create Tallyfy task: the prefilled modal", () => {
  it("takes the first line, the whole text with its permalink, the person, tomorrow 17:00 their time", async () => {
    const words =
      "Order laptops for <@U0BOB> &amp; the &lt;design&gt; team\n\nBudget: 5k, see <https://x.test/q|the quote>";
    const { msg, form } = await shortcutOn(words);
    expect(block(form, CREATE_BLOCK.title).element.initial_value).toBe(
      "Order laptops for @bob & the <design> team",
    );
    const description: string = block(form, CREATE_BLOCK.description).element.initial_value;
    expect(description).toContain("Budget: 5k, see the quote (https://x.test/q)");
    const permalink = `https://acme.slack.com/archives/${OPS}/p${msg.ts.replace(".", "")}`;
    expect(description.endsWith(`From Slack: ${permalink}`)).toBe(true);
    expect(block(form, CREATE_BLOCK.assignees).element.initial_users).toEqual([ALICE]);
    // Alice is in New York: 17:00 EST on 23 Nov is 22:00 UTC.
    expect(block(form, CREATE_BLOCK.deadline).element.initial_date_time).toBe(
      epoch("2026-11-23T22:00:00Z"),
    );
    expect(block(form, CREATE_BLOCK.type).element.initial_option.value).toBe("task");
    expect(h.slack.callsTo("chat.getPermalink")).toHaveLength(1);
    // Opened straight away with the form: no loading view, no update.
    expect(h.slack.callsTo("views.open")).toHaveLength(1);
    expect(h.slack.callsTo("views.update")).toHaveLength(0);
  });

  it("computes the default deadline in the person's own zone, across a daylight-saving change", async () => {
    // Saturday 15:00 in New York; clocks go forward on Sunday 8 March 2026.
    clock = new Date("2026-03-07T20:00:00Z");
    const ny = await shortcutOn("Renew the lease");
    expect(block(ny.form, CREATE_BLOCK.deadline).element.initial_date_time).toBe(
      epoch("2026-03-08T21:00:00Z"), // 17:00 EDT
    );
    await h.driver.closeView(ny.form.id);
    // Bob is in London, where clocks go forward on Sunday 29 March.
    clock = new Date("2026-03-28T12:00:00Z");
    const london = await shortcutOn("Renew the lease", { user: BOB });
    expect(block(london.form, CREATE_BLOCK.deadline).element.initial_date_time).toBe(
      epoch("2026-03-29T16:00:00Z"), // 17:00 BST
    );
    expect(block(london.form, CREATE_BLOCK.assignees).element.initial_users).toEqual([BOB]);
  });

  it("reads a message without text from its blocks, and one with no words at all", async () => {
    const blocks = [
      {
        type: "rich_text",
        elements: [
          {
            type: "rich_text_section",
            elements: [
              { type: "text", text: "Ship <v2> " },
              { type: "user", user_id: BOB },
              { type: "text", text: "\nsecond line" },
            ],
          },
        ],
      },
    ];
    const { form } = await shortcutOn("", { message: { text: undefined, blocks } });
    expect(block(form, CREATE_BLOCK.title).element.initial_value).toBe("Ship <v2> @bob");
    expect(block(form, CREATE_BLOCK.description).element.initial_value).toMatch(
      /^Ship <v2> @bob\nsecond line\n\nFrom Slack: https:\/\/acme\.slack\.com\//,
    );
    await h.driver.closeView(form.id);

    const empty = await shortcutOn("", { message: { text: undefined, blocks: [] } });
    expect(block(empty.form, CREATE_BLOCK.title).element.initial_value).toBeUndefined();
    expect(block(empty.form, CREATE_BLOCK.description).element.initial_value).toMatch(
      /^From Slack: https:\/\/acme\.slack\.com\//,
    );
  });

  it("opens a loading view at once when Slack is slow to say who the person is, then the form", async () => {
    h.slack.failHttp("users.info", { status: 429, retryAfterSec: 1 });
    const msg = h.slack.postAsUser(OPS, ALICE, "Call Globex back");
    const res = await h.driver.messageShortcut(msg, CREATE_TASK_SHORTCUT);
    expect(res.late).toBe(false);
    const form = await viewOf(ALICE, isForm);
    expect(text(h.slack.callsTo("views.open")[0]?.args.view)).toContain("Reading the message");
    const update = h.slack.callsTo("views.update")[0]?.args;
    expect(update?.hash).toBeTruthy();
    expect(block(form, CREATE_BLOCK.deadline).element.initial_date_time).toBe(
      epoch("2026-11-23T22:00:00Z"),
    );
  });
});

describe("Create Tallyfy task: submitting", () => {
  it("creates one one-off task with every owner bucket and replies in the thread with its card", async () => {
    const { msg, form } = await shortcutOn("Call Globex back\nThey asked about renewal.");
    const res = await h.driver.submitView(form.id, {
      [CREATE_BLOCK.assignees]: { value: [ALICE, BOB] },
    });
    expect(res.viewProblem).toBeUndefined();
    expect(res.body.response_action).toBe("update");
    expect(text(res.body.view)).toContain("Call Globex back");

    expect(creates()).toHaveLength(1);
    const body = creates()[0]?.body as Json;
    expect(body).toEqual({
      title: "Call Globex back",
      summary: expect.stringContaining("They asked about renewal."),
      task_type: "task",
      deadline: "2026-11-23 22:00:00",
      owners: { users: [SEED.users.admin.id, SEED.users.bob.id], guests: [], groups: [] },
    });
    expect(body.summary).toContain("From Slack: https://acme.slack.com/archives/C0OPS/p");

    const [card] = await eventually(() => {
      const replies = threadReplies(OPS, msg.ts);
      if (replies.length === 0) throw new Error("no card yet");
      return replies;
    });
    assertBlockKit({ type: "message", text: card!.text, blocks: card!.blocks });
    expect(text(card)).toContain("Call Globex back");
    expect(text(card)).toContain(`<@${BOB}>`);
    expect(buttonIds(card!.blocks)).toEqual([TASK_ACTION.complete, TASK_ACTION.open]);
    await viewOf(ALICE, (v) => text(v).includes("The task is in the message's thread"));
  });

  it("makes an approval with Approve and Reject, replying in the thread the message is in", async () => {
    const root = h.slack.postAsUser(OPS, BOB, "Q3 budget");
    const { form } = await shortcutOn("Please approve the budget", { threadTs: root.ts });
    await h.driver.submitView(form.id, { [CREATE_BLOCK.type]: { value: "approval" } });
    expect((creates()[0] as Json).body.task_type).toBe("approval");
    const card = await eventually(() => {
      const c = threadReplies(OPS, root.ts)[0];
      if (!c) throw new Error("no card yet");
      return c;
    });
    expect(buttonIds(card.blocks)).toEqual([
      TASK_ACTION.approve,
      TASK_ACTION.reject,
      TASK_ACTION.open,
    ]);
  });

  it("joins a public channel it is not in; elsewhere answers through the shortcut's response_url", async () => {
    const general = await shortcutOn("Book the offsite", { channel: "C0GENERAL" });
    await h.driver.submitView(general.form.id);
    await eventually(() => expect(threadReplies("C0GENERAL", general.msg.ts)).toHaveLength(1));
    expect(h.slack.callsTo("conversations.join")).toHaveLength(1);

    const leaders = await shortcutOn("Plan the reorg", { channel: "C0LEADERS" });
    await h.driver.submitView(leaders.form.id);
    const posted = await h.slack.waitForResponse((r) => r.status === 200);
    expect(posted.body).toMatchObject({ response_type: "in_channel", thread_ts: leaders.msg.ts });
    const reply = threadReplies("C0LEADERS", leaders.msg.ts);
    expect(reply).toHaveLength(1);
    expect(reply[0]?.ephemeralTo).toBeUndefined();
    await viewOf(ALICE, (v) => text(v).includes("The task is in the message's thread"));
  });

  it("creates one task when the form is submitted twice", async () => {
    const { msg, form } = await shortcutOn("Send the contract");
    h.sandbox.latencyMs = 300;
    const [a, b] = await Promise.all([h.driver.submitView(form.id), h.driver.submitView(form.id)]);
    expect(a.body.response_action).toBe("update");
    expect(b.body.response_action).toBe("update");
    await eventually(() => expect(threadReplies(OPS, msg.ts)).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 200));
    expect(creates()).toHaveLength(1);
    expect(threadReplies(OPS, msg.ts)).toHaveLength(1);
  });

  it("puts Tallyfy's 422 under the inputs it names, keeps the values, and can be sent again", async () => {
    const { msg, form } = await shortcutOn("Renew the domain");
    h.sandbox.fault({
      method: "POST",
      path: /\/tasks$/,
      status: 422,
      body: {
        error: true,
        errors: {
          title: ["The title has already been taken."],
          deadline: ["The deadline must be a date after today."],
          "owners.users.0": ["The selected owner is invalid."],
        },
      },
    });
    const typed = {
      [CREATE_BLOCK.title]: { value: "Renew acme.test" },
      [CREATE_BLOCK.assignees]: { value: [BOB] },
    };
    const res = await h.driver.submitView(form.id, typed);
    expect(res.viewProblem).toBeUndefined();
    expect(res.body).toEqual({
      response_action: "errors",
      errors: {
        [CREATE_BLOCK.title]: "The title has already been taken.",
        [CREATE_BLOCK.deadline]: "The deadline must be a date after today.",
        [CREATE_BLOCK.assignees]: "The selected owner is invalid.",
      },
    });
    const still = h.slack.openView(ALICE) as FakeView;
    expect(still.id).toBe(form.id);
    expect(still.view.state.values[CREATE_BLOCK.title].value.value).toBe("Renew acme.test");
    expect(still.view.state.values[CREATE_BLOCK.assignees].value.selected_users).toEqual([BOB]);

    const again = await h.driver.submitView(form.id);
    expect(again.body.response_action).toBe("update");
    expect(creates()).toHaveLength(2);
    expect((creates()[1] as Json).body.title).toBe("Renew acme.test");
    await eventually(() => expect(threadReplies(OPS, msg.ts)).toHaveLength(1));
  });

  it("shows a 422 that names no input above the form, with every value kept", async () => {
    const { form } = await shortcutOn("Renew the domain");
    h.sandbox.fault({
      method: "POST",
      path: /\/tasks$/,
      status: 422,
      body: { error: true, message: "Tasks are disabled for your plan" },
    });
    const res = await h.driver.submitView(form.id, {
      [CREATE_BLOCK.title]: { value: "Renew acme.test" },
      [CREATE_BLOCK.type]: { value: "approval" },
    });
    expect(res.body.response_action).toBe("update");
    const view = h.slack.openView(ALICE) as FakeView;
    expect(text(view)).toContain("Tasks are disabled for your plan");
    expect(block(view, CREATE_BLOCK.title).element.initial_value).toBe("Renew acme.test");
    expect(block(view, CREATE_BLOCK.type).element.initial_option.value).toBe("approval");
    expect(block(view, CREATE_BLOCK.assignees).element.initial_users).toEqual([ALICE]);
    expect(block(view, CREATE_BLOCK.deadline).element.initial_date_time).toBe(
      epoch("2026-11-23T22:00:00Z"),
    );
  });

  it("refuses a form whose metadata was altered: the card can't be sent elsewhere", async () => {
    const { form } = await shortcutOn("Send the contract");
    const fv = h.slack.views.get(form.id) as FakeView;
    fv.view.private_metadata = String(fv.view.private_metadata).replace(OPS, "C0LEADERS");
    const res = await h.driver.submitView(form.id);
    expect(res.body.response_action).toBe("update");
    expect(creates()).toEqual([]);
    expect(h.slack.messages("C0LEADERS")).toEqual([]);
  });

  it("names people with no Tallyfy account under the assignees, and a deadline in the past under the deadline", async () => {
    const { form } = await shortcutOn("Water the plants");
    const res = await h.driver.submitView(form.id, {
      [CREATE_BLOCK.assignees]: { value: [BOB, "U0DAVE"] },
      [CREATE_BLOCK.deadline]: { value: epoch("2026-11-21T10:00:00Z") },
    });
    expect(res.body.response_action).toBe("errors");
    expect(Object.keys(res.body.errors)).toEqual([CREATE_BLOCK.deadline]);
    const people = await h.driver.submitView(form.id, {
      [CREATE_BLOCK.assignees]: { value: [BOB, "U0DAVE"] },
      [CREATE_BLOCK.deadline]: { value: epoch("2026-11-24T10:00:00Z") },
    });
    expect(people.body.response_action).toBe("errors");
    expect(people.body.errors[CREATE_BLOCK.assignees]).toContain("Dave Diaz (dave@acme.test)");
    expect(people.body.errors[CREATE_BLOCK.assignees]).not.toContain("Bob");
    expect(creates()).toEqual([]);
  });
});

describe("Create Tallyfy task from outside the workspace", () => {
  it("tells a Slack Connect guest privately that the app is not available, and opens nothing", async () => {
    const guest = new SlackDriver({
      botUrl: h.driver.botUrl,
      signingSecret: SIGNING_SECRET,
      slack: h.slack,
      userTeamId: "T0GUEST",
    });
    const msg = h.slack.postAsUser(OPS, ALICE, "Call Globex back");
    const res = await guest.messageShortcut(msg, CREATE_TASK_SHORTCUT);
    expect(res.status).toBe(200);
    const told = await h.slack.waitForResponse();
    expect(told.body).toMatchObject({ response_type: "ephemeral", text: NOT_AVAILABLE });
    expect(h.slack.callsTo("views.open")).toHaveLength(0);
    expect(h.slack.callsTo("users.info")).toHaveLength(0);
  });
});

describe("Create Tallyfy task without a connection", () => {
  let solo: Harness;
  beforeAll(async () => {
    solo = await startHarness({ shared: false, now: () => NOW });
  });
  afterAll(async () => {
    await solo?.close();
  });

  it("asks the person to connect instead of opening the form", async () => {
    const msg = solo.slack.postAsUser(OPS, ALICE, "Call Globex back");
    const res = await solo.driver.messageShortcut(msg, CREATE_TASK_SHORTCUT);
    expect(res.status).toBe(200);
    const prompt = await solo.slack.waitForResponse();
    expect(prompt.body.response_type).toBe("ephemeral");
    expect(JSON.stringify(prompt.body)).toContain("Connect");
    expect(solo.slack.callsTo("views.open")).toHaveLength(0);
  });
});
