/**
 * The App Home end to end: signed app_home_opened events, views.publish on the fake Slack
 * (held to the strict rule table for Home), the Tallyfy sandbox, and Home's own buttons.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkView } from "../../sandbox/slack/block-kit.ts";
import type { ApiCall } from "../../sandbox/slack/types.ts";
import { SEED } from "../../sandbox/tallyfy/server.ts";
import { HOME_ACTION } from "../../src/blocks/home.ts";
import { ACTION, VIEW } from "../../src/blocks/ids.ts";
import { TASK_ACTION } from "../../src/blocks/tasks/ids.ts";
import { connectAs } from "../support/connect.ts";
import { eventually, type Harness, startHarness } from "../support/harness.ts";

// biome-ignore lint/suspicious/noExplicitAny: views are inspected loosely
type Json = any;

const ALICE = "U0ALICE";
const BOB = "U0BOB";

let clock = Date.now();
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ now: () => new Date(clock) });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.sandbox.reset();
  h.slack.reset();
  // Every test starts well past the previous test's 10-second window.
  clock += 60_000;
});

const publishes = (user: string) =>
  h.slack.callsTo("views.publish").filter((c) => c.args.user_id === user);

async function published(user: string, n = 1): Promise<ApiCall> {
  return eventually(() => {
    const calls = publishes(user);
    if (calls.length < n) throw new Error(`${calls.length} publishes for ${user}`);
    return calls[n - 1]!;
  });
}

async function settled() {
  expect(await h.bot.context.background.idle(5_000)).toBe(true);
}

const text = (v: Json) => JSON.stringify(v.blocks);
const buttonsOf = (blocks: Json[]) =>
  blocks.flatMap((b) => [
    ...(b.type === "actions" ? b.elements : []),
    ...(b.accessory?.type === "button" ? [b.accessory] : []),
  ]);

describe("opening Home", () => {
  it("first visit: publishes who you are, your tasks, your processes and Launch, without a hash", async () => {
    await connectAs(h, BOB, SEED.users.bob.token);
    const res = await h.driver.openHome({ user: BOB });
    expect(res.status).toBe(200);
    const call = await published(BOB);
    expect(call.response.ok).toBe(true);
    expect(call.args.hash).toBeUndefined();
    const view = call.args.view as Json;
    expect(checkView(view, "home").problems).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const all = text(view);
    expect(all).toContain("Bob Brown");
    expect(all).toContain("Acme Operations");
    expect(all).toContain("Your tasks");
    expect(all).toContain("Your processes");
    expect(all).toContain("/tallyfy launch");
    const buttons = buttonsOf(view.blocks);
    expect(buttons.some((b) => b.action_id === HOME_ACTION.launch)).toBe(true);
    // Task rows carry the task buttons (their listeners belong to the tasks feature).
    const taskButtons = buttons.filter((b) => Object.values(TASK_ACTION).includes(b.action_id));
    expect(taskButtons.length).toBeGreaterThan(0);
    // Bob's processes: those he owns or started, each with View.
    const bobRuns = [...h.sandbox.state.runs.values()].filter(
      (r) =>
        r.orgId === SEED.orgId &&
        (r.owner_id === SEED.users.bob.id || r.started_by === SEED.users.bob.id) &&
        !["complete", "archived"].includes(r.status),
    );
    const views = buttons.filter((b) => b.action_id === HOME_ACTION.viewRun);
    expect(views.map((b) => b.value).sort()).toEqual(
      bobRuns
        .slice(0, 10)
        .map((r) => r.id)
        .sort(),
    );
    // The fake now shows it.
    expect(h.slack.homeView(BOB)?.view.blocks.length).toBe(view.blocks.length);
  });

  it("lists overdue tasks first, at most 10", async () => {
    await h.driver.openHome({ user: ALICE });
    const view = (await published(ALICE)).args.view as Json;
    const rows = view.blocks.filter(
      (b: Json) => b.type === "section" && /^task_[0-9a-f]{32}$/.test(b.block_id ?? ""),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(10);
    const overdue = rows.map((r: Json) => r.text.text.includes("overdue"));
    // No overdue row after a row that is not overdue.
    expect(
      overdue.indexOf(false) === -1 || !overdue.slice(overdue.indexOf(false)).includes(true),
    ).toBe(true);
    expect(overdue).toContain(true);
  });

  it("return visit: within 10 s nothing is published again; later, with Slack's hash", async () => {
    await h.driver.openHome({ user: ALICE });
    const first = await published(ALICE);
    clock += 5_000;
    await h.driver.openHome({ user: ALICE });
    await settled();
    expect(publishes(ALICE)).toHaveLength(1);
    clock += 6_000;
    const res = await h.driver.openHome({ user: ALICE });
    expect(res.envelope.event.view.hash).toBe(first.response.view.hash);
    const second = await published(ALICE, 2);
    expect(second.args.hash).toBe(first.response.view.hash);
    expect(second.response.ok).toBe(true);
  });

  it("on a hash conflict reads again and publishes the fresh view", async () => {
    await h.driver.openHome({ user: ALICE });
    await published(ALICE);
    clock += 11_000;
    h.slack.failNext("views.publish", "hash_conflict");
    await h.driver.openHome({ user: ALICE });
    const retry = await published(ALICE, 3);
    expect(publishes(ALICE)[1]!.response.error).toBe("hash_conflict");
    expect(retry.args.hash).toBeUndefined();
    expect(retry.response.ok).toBe(true);
  });

  it("handles a retried app_home_opened once", async () => {
    const first = await h.driver.openHome({ user: ALICE });
    await published(ALICE);
    clock += 11_000;
    await h.driver.event(first.envelope.event, { eventId: first.eventId, retryNum: 1 });
    await settled();
    expect(publishes(ALICE)).toHaveLength(1);
  });

  it("ignores the Messages tab", async () => {
    await h.driver.openHome({ user: ALICE, tab: "messages" });
    await settled();
    expect(publishes(ALICE)).toEqual([]);
  });
});

describe("acting from Home", () => {
  it("Launch opens the launch modal; after launching, Home is refreshed", async () => {
    await h.driver.openHome({ user: ALICE });
    await published(ALICE);
    const home = h.slack.homeView(ALICE)!;
    await h.driver.clickButton({ viewId: home.id }, HOME_ACTION.launch);
    const open = await h.slack.waitFor((c) => c.method === "views.open");
    expect(open.response.ok).toBe(true);
    expect(open.args.view.callback_id).toBe(VIEW.launch);
    const modal = h.slack.openView(ALICE)!;
    await h.driver.selectOption(
      { viewId: modal.id },
      ACTION.launchTemplate,
      SEED.templates.weeklyCheckin,
    );
    const form = await eventually(() => {
      const v = h.slack.openView(ALICE)!;
      if (v.view.submit?.text !== "Launch") throw new Error("no form yet");
      return v;
    });
    const submitted = await h.driver.submitView(form.id, { run_channel: { value: "C0OPS" } });
    expect(submitted.viewProblem).toBeUndefined();
    await h.slack.waitFor((c) => c.method === "chat.postMessage" && c.args.channel === "C0OPS");
    const again = await published(ALICE, 2);
    expect(again.response.ok).toBe(true);
  });

  it("View posts the process's card in the person's DM with the app and refreshes Home", async () => {
    await connectAs(h, BOB, SEED.users.bob.token);
    await h.driver.openHome({ user: BOB });
    await published(BOB);
    const home = h.slack.homeView(BOB)!;
    const view = buttonsOf(home.view.blocks).find((b) => b.action_id === HOME_ACTION.viewRun);
    await h.driver.clickButton({ viewId: home.id }, HOME_ACTION.viewRun, { value: view.value });
    const post = await h.slack.waitFor((c) => c.method === "chat.postMessage");
    expect(post.response.ok).toBe(true);
    expect(post.response.channel).toMatch(/^D/);
    expect(JSON.stringify(post.args.blocks)).toContain(view.value);
    await published(BOB, 2);
  });

  it("Refresh publishes again at once, whatever the opening window says", async () => {
    await h.driver.openHome({ user: ALICE });
    await published(ALICE);
    await h.driver.clickButton({ viewId: h.slack.homeView(ALICE)!.id }, HOME_ACTION.refresh);
    expect((await published(ALICE, 2)).response.ok).toBe(true);
  });
});

describe("someone who is not connected", () => {
  let lone: Harness;
  beforeAll(async () => {
    lone = await startHarness({ shared: false });
  });
  afterAll(async () => {
    await lone?.close();
  });

  it("sees a Connect button and no tasks; Tallyfy is not asked", async () => {
    await lone.driver.openHome({ user: ALICE });
    const call = await lone.slack.waitFor((c) => c.method === "views.publish");
    expect(call.response.ok).toBe(true);
    const buttons = buttonsOf(call.args.view.blocks);
    expect(buttons.some((b) => b.action_id === ACTION.connect)).toBe(true);
    expect(text(call.args.view)).not.toContain("Your tasks");
    expect(lone.sandbox.requests).toEqual([]);
  });
});
