/**
 * Link unfurls end to end: signed link_shared events (in a message and in the composer),
 * chat.unfurl on the fake Slack (which holds every unfurl to the strict Block Kit rules), the
 * Tallyfy sandbox read with the sharer's rights.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkUnfurls } from "../../sandbox/slack/block-kit.ts";
import type { ApiCall } from "../../sandbox/slack/types.ts";
import { SEED } from "../../sandbox/tallyfy/server.ts";
import { ACTION } from "../../src/blocks/ids.ts";
import { CONNECT_TO_PREVIEW } from "../../src/blocks/unfurl.ts";
import { connectAs } from "../support/connect.ts";
import { eventually, type Harness, startHarness } from "../support/harness.ts";

// biome-ignore lint/suspicious/noExplicitAny: unfurls are inspected loosely
type Json = any;

const OPS = "C0OPS";
const ALICE = "U0ALICE";
const BOB = "U0BOB";

let h: Harness;
let domains: string[];
beforeAll(async () => {
  h = await startHarness();
  domains = [new URL(h.sandbox.webUrl).hostname];
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.sandbox.reset();
  h.slack.reset();
});

const link = (runId: string, org: string = SEED.orgId) =>
  `${h.sandbox.webUrl}/${org}/processes/${runId}`;

/** Runs of the seeded organization, newest first. */
function acmeRuns(): { id: string; name: string }[] {
  return [...h.sandbox.state.runs.values()].filter((r) => r.orgId === SEED.orgId);
}

async function unfurlCalls(n: number): Promise<ApiCall[]> {
  return eventually(() => {
    const calls = h.slack.callsTo("chat.unfurl");
    if (calls.length < n) throw new Error(`${calls.length} chat.unfurl calls`);
    return calls;
  });
}

/** Work after the ack is done: nothing queued, nothing running. */
async function settled() {
  expect(await h.bot.context.background.idle(5_000)).toBe(true);
}

describe("link_shared in a message", () => {
  it("unfurls a process link with a compact card keyed by the exact URL", async () => {
    const run = h.sandbox.state.runs.get(SEED.runs.active)!;
    const url = `${link(run.id)}?tab=tasks`;
    const { message, shared } = await h.driver.say(`Have a look: ${url}`, {
      unfurlDomains: domains,
    });
    expect(shared?.status).toBe(200);
    const [call] = await unfurlCalls(1);
    expect(call!.response.ok).toBe(true);
    expect(call!.args).toMatchObject({ channel: OPS, ts: message.ts });
    expect(Object.keys(call!.args.unfurls)).toEqual([url]);
    const blocks = h.slack.message(OPS, message.ts)!.unfurls![url]!.blocks as Json[];
    const text = JSON.stringify(blocks);
    expect(text).toContain(run.name);
    expect(text).toContain(run.checklist_title);
    for (const word of ["Progress", "Next task", "Due"]) expect(text).toContain(word);
    const buttons = blocks.find((b) => b.type === "actions").elements;
    expect(buttons.map((b: Json) => b.text.text)).toEqual(["View", "Open"]);
    expect(buttons[0]).toMatchObject({ action_id: ACTION.view, value: run.id });
    expect(buttons[1].url).toBe(link(run.id));
    // The Tallyfy read used the sharer's connection (here the workspace one: Alice is the admin).
    const reads = h.sandbox.requests.filter((r) => r.path.endsWith(`/runs/${run.id}`));
    expect(reads).toHaveLength(1);
    expect(reads[0]!.token).toBe(h.sandbox.token);
  });

  it("unfurls the first 5 of 6 process links, once each", async () => {
    const urls = acmeRuns()
      .slice(0, 6)
      .map((r) => link(r.id));
    expect(urls).toHaveLength(6);
    await h.driver.say(urls.join(" and "), { unfurlDomains: domains });
    const [call] = await unfurlCalls(1);
    await settled();
    expect(h.slack.callsTo("chat.unfurl")).toHaveLength(1);
    expect(Object.keys(call!.args.unfurls)).toEqual(urls.slice(0, 5));
    expect(checkUnfurls(call!.args.unfurls).problems).toEqual([]);
  });

  it("leaves out links it cannot read, and says nothing in the channel about them", async () => {
    const readable = link(SEED.runs.active);
    const otherOrg = link(SEED.runs.labs, SEED.secondOrg.id);
    const missing = link("f".repeat(32));
    const notAProcess = `${h.sandbox.webUrl}/${SEED.orgId}/templates/${SEED.templates.onboarding}`;
    const { message } = await h.driver.say(`${otherOrg} ${missing} ${notAProcess} ${readable}`, {
      unfurlDomains: domains,
    });
    const [call] = await unfurlCalls(1);
    await settled();
    expect(Object.keys(call!.args.unfurls)).toEqual([readable]);
    // Nothing but Alice's own message in the channel: no error, no ephemeral.
    expect(h.slack.messages(OPS).map((m) => m.ts)).toEqual([message.ts]);
    expect(h.slack.responses).toEqual([]);
  });

  it("makes no chat.unfurl call when no link can be read", async () => {
    await h.driver.say(link("0".repeat(32)), { unfurlDomains: domains });
    await eventually(() =>
      expect(h.sandbox.requests.some((r) => r.path.includes("0".repeat(32)))).toBe(true),
    );
    await settled();
    expect(h.slack.callsTo("chat.unfurl")).toEqual([]);
    expect(h.slack.messages(OPS)).toHaveLength(1);
  });

  it("handles a retried delivery (same event_id, X-Slack-Retry-Num) once", async () => {
    const { shared } = await h.driver.say(link(SEED.runs.active), { unfurlDomains: domains });
    await unfurlCalls(1);
    const retry = await h.driver.event(shared!.envelope.event, {
      eventId: shared!.eventId,
      retryNum: 1,
      retryReason: "http_timeout",
    });
    expect(retry.status).toBe(200);
    await settled();
    expect(h.slack.callsTo("chat.unfurl")).toHaveLength(1);
    expect(h.logs.some((l) => l.includes("dropped an event already handled"))).toBe(true);
  });

  it("reads with the sharer's own connection when they have one", async () => {
    await connectAs(h, BOB, SEED.users.bob.token);
    await h.driver.say(link(SEED.runs.active), { user: BOB, unfurlDomains: domains });
    await unfurlCalls(1);
    const read = h.sandbox.requests.find((r) => r.path.endsWith(`/runs/${SEED.runs.active}`));
    expect(read?.token).toBe(SEED.users.bob.token);
  });

  it("keeps every unfurl within Slack's rules for hostile process data", async () => {
    const run = h.sandbox.state.runs.get(SEED.runs.active)!;
    run.name = `<!channel> *${"&<>".repeat(400)}* \u202e${"x".repeat(3000)}`;
    run.checklist_title = "<https://evil.test|click> ".repeat(50);
    run.status = "some_new_status_<b>" as never;
    const { message } = await h.driver.say(link(run.id), { unfurlDomains: domains });
    const [call] = await unfurlCalls(1);
    expect(call!.response.ok).toBe(true);
    expect(checkUnfurls(call!.args.unfurls).problems).toEqual([]);
    const text = JSON.stringify(h.slack.message(OPS, message.ts)!.unfurls);
    expect(text).not.toContain("<!channel>");
    expect(text).not.toContain("<https://evil.test|");
  });

  it("View on an unfurl posts the process's status card in the channel", async () => {
    const url = link(SEED.runs.active);
    const { message } = await h.driver.say(url, { unfurlDomains: domains });
    await unfurlCalls(1);
    await h.driver.clickButton({ channel: OPS, ts: message.ts, unfurl: url }, ACTION.view);
    const post = await h.slack.waitFor((c) => c.method === "chat.postMessage");
    expect(post.args.channel).toBe(OPS);
    expect(JSON.stringify(post.args.blocks)).toContain(ACTION.archive);
  });
});

describe("link_shared from the composer", () => {
  it("unfurls through unfurl_id and source", async () => {
    const url = link(SEED.runs.active);
    const { composer, shared } = await h.driver.compose(`draft ${url}`, {
      unfurlDomains: domains,
    });
    expect(shared?.envelope.event.channel).toBe("COMPOSER");
    const [call] = await unfurlCalls(1);
    expect(call!.response.ok).toBe(true);
    expect(call!.args).toMatchObject({ unfurl_id: composer!.unfurlId, source: "composer" });
    expect(call!.args.channel).toBeUndefined();
    expect(Object.keys(h.slack.composer(composer!.unfurlId)!.unfurls)).toEqual([url]);
  });
});

describe("a sharer who is not connected", () => {
  let noShared: Harness;
  beforeAll(async () => {
    noShared = await startHarness({ shared: false });
  });
  afterAll(async () => {
    await noShared?.close();
  });

  it("gets a private 'Connect Tallyfy to preview this link' prompt and no unfurl", async () => {
    const url = `${noShared.sandbox.webUrl}/${SEED.orgId}/processes/${SEED.runs.active}`;
    const { message } = await noShared.driver.say(url, {
      user: ALICE,
      unfurlDomains: [new URL(noShared.sandbox.webUrl).hostname],
    });
    const call = await noShared.slack.waitFor((c) => c.method === "chat.unfurl");
    expect(call.response.ok).toBe(true);
    expect(call.args.unfurls).toEqual({});
    expect(JSON.stringify(call.args.user_auth_blocks)).toContain(CONNECT_TO_PREVIEW);
    const prompt = await eventually(() => {
      const m = noShared.slack.messages(OPS).find((x) => x.ephemeralTo === ALICE);
      if (!m) throw new Error("no prompt yet");
      return m;
    });
    expect(JSON.stringify(prompt.blocks)).toContain(ACTION.connect);
    expect(noShared.slack.message(OPS, message.ts)?.unfurls).toBeUndefined();
    expect(noShared.sandbox.requests).toEqual([]);
    // The prompt's button opens the connect window.
    await noShared.driver.clickButton({ ephemeral: prompt }, ACTION.connect);
    const open = await noShared.slack.waitFor((c) => c.method === "views.open");
    expect(open.response.ok).toBe(true);
  });
});
