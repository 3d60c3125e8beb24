/**
 * The "Launch Tallyfy process" shortcuts end to end: signed shortcut and message_action
 * payloads, the launch modal, and the card posted in the source message's thread.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeView } from "../../sandbox/slack/types.ts";
import { SEED } from "../../sandbox/tallyfy/server.ts";
import { ACTION, VIEW } from "../../src/blocks/ids.ts";
import { decodeLaunchMeta } from "../../src/blocks/modals/launch-views.ts";
import { SHORTCUT } from "../../src/features/shortcuts/flow.ts";
import { eventually, type Harness, startHarness } from "../support/harness.ts";

const OPS = "C0OPS";
const ALICE = "U0ALICE";

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

function modal(user: string, ready: (v: FakeView) => boolean): Promise<FakeView> {
  return eventually(() => {
    const v = h.slack.openView(user);
    if (!v || !ready(v)) throw new Error("modal not ready");
    return v;
  });
}

async function chooseTemplate(user: string, templateId: string): Promise<FakeView> {
  const picker = await modal(user, (v) => v.view.callback_id === VIEW.launch);
  await h.driver.selectOption({ viewId: picker.id }, ACTION.launchTemplate, templateId, { user });
  return modal(user, (v) => v.view.submit?.text === "Launch");
}

describe("global shortcut", () => {
  it("opens the launch modal", async () => {
    const res = await h.driver.shortcut(SHORTCUT.launch);
    expect(res.status).toBe(200);
    const open = await h.slack.waitFor((c) => c.method === "views.open");
    expect(open.response.ok).toBe(true);
    expect(open.args.view.callback_id).toBe(VIEW.launch);
  });
});

describe("message shortcut", () => {
  it("prefills the summary with the message's text and permalink, and answers in its thread", async () => {
    const message = h.slack.postUserMessage({
      channel: OPS,
      user: "U0BOB",
      text: "The export job failed again & nobody <noticed>",
    });
    const res = await h.driver.messageShortcut(
      { channel: OPS, ts: message.ts },
      SHORTCUT.launchFromMessage,
    );
    expect(res.status).toBe(200);
    const picker = await modal(ALICE, (v) => v.view.callback_id === VIEW.launch);
    const meta = decodeLaunchMeta(picker.view.private_metadata);
    expect(meta).toMatchObject({ channelId: OPS, threadTs: message.ts });
    const form = await chooseTemplate(ALICE, SEED.templates.weeklyCheckin);
    const summary = form.view.blocks.find(
      (b: { block_id: string }) => b.block_id === "run_summary",
    );
    const prefilled: string = summary.element.initial_value;
    expect(prefilled).toContain("The export job failed again & nobody <noticed>");
    expect(prefilled).toContain(`/archives/${OPS}/p${message.ts.replace(".", "")}`);
    expect(
      form.view.blocks.find((b: { block_id: string }) => b.block_id === "run_channel").element
        .initial_conversation,
    ).toBe(OPS);

    const submitted = await h.driver.submitView(form.id);
    expect(submitted.viewProblem).toBeUndefined();
    const post = await h.slack.waitFor((c) => c.method === "chat.postMessage");
    expect(post.response.ok).toBe(true);
    expect(post.args.thread_ts).toBe(message.ts);
    expect(post.args.channel).toBe(OPS);
    const launch = h.sandbox.requests.find((r) => r.method === "POST" && r.path.endsWith("/runs"));
    expect((launch?.body as { summary?: string } | undefined)?.summary).toContain(
      "The export job failed again",
    );
  });

  it("posts to the channel itself, not the thread, when the person picks another channel", async () => {
    const message = h.slack.postUserMessage({ channel: OPS, user: ALICE, text: "hello" });
    await h.driver.messageShortcut({ channel: OPS, ts: message.ts }, SHORTCUT.launchFromMessage);
    const form = await chooseTemplate(ALICE, SEED.templates.weeklyCheckin);
    await h.driver.submitView(form.id, { run_channel: { value: "C0GENERAL" } });
    const post = await h.slack.waitFor((c) => c.method === "chat.postMessage" && c.response.ok);
    expect(post.args.channel).toBe("C0GENERAL");
    expect(post.args.thread_ts).toBeUndefined();
  });

  it("keeps a very long message within private_metadata, permalink included", async () => {
    const long = `${'&"<>\\'.repeat(2000)}`;
    const message = h.slack.postUserMessage({ channel: OPS, user: ALICE, text: long });
    await h.driver.messageShortcut({ channel: OPS, ts: message.ts }, SHORTCUT.launchFromMessage);
    const open = await h.slack.waitFor((c) => c.method === "views.open");
    expect(open.response.ok).toBe(true);
    expect(open.args.view.private_metadata.length).toBeLessThanOrEqual(3000);
    const meta = decodeLaunchMeta(open.args.view.private_metadata);
    expect(meta.threadTs).toBe(message.ts);
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

  it("gets the connect window at once from either shortcut", async () => {
    await lone.driver.shortcut(SHORTCUT.launch);
    const open = await lone.slack.waitFor((c) => c.method === "views.open");
    expect(open.response.ok).toBe(true);
    expect(open.args.view.callback_id).toBe(VIEW.connect);
  });
});
