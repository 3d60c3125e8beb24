/**
 * Live unfurls end to end (issue 15): a process link shared in a message unfurls, and when a
 * task of that process is completed in Tallyfy (the sandbox sends the webhook as Tallyfy does),
 * the unfurl is refreshed in place: `chat.unfurl` again for the same message and URL, still the
 * compact link card, with the new progress.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkUnfurls } from "../../sandbox/slack/block-kit.ts";
import { TEAM } from "../../sandbox/slack/seed.ts";
import type { ApiCall } from "../../sandbox/slack/types.ts";
import { SEED } from "../../sandbox/tallyfy/server.ts";
import type { SandboxRun } from "../../sandbox/tallyfy/types.ts";
import { ACTION } from "../../src/blocks/ids.ts";
import { eventually, type Harness, startHarness } from "../support/harness.ts";

// biome-ignore lint/suspicious/noExplicitAny: unfurls are inspected loosely
type Json = any;

const OPS = "C0OPS";
const ORG = SEED.orgId;

let h: Harness;
let domains: string[];

beforeAll(async () => {
  h = await startHarness({ env: { RECONCILE_REQUESTS_PER_MINUTE: "0" } });
  domains = [new URL(h.sandbox.webUrl).hostname];
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  h.sandbox.reset();
  h.slack.reset();
  // As an admin would after `/tallyfy webhooks`: Tallyfy (the sandbox) posts to the bot.
  const secret = randomBytes(32).toString("base64url");
  await h.bot.context.live.putWebhookSecret({ orgId: ORG, secret, teamId: TEAM.id, userId: null });
  h.sandbox.webhooks.urls.push(`http://127.0.0.1:${h.port}/tallyfy/webhooks/${secret}`);
});

/** A seeded active run copied under new ids, every task open and plain. */
function freshRun(): SandboxRun {
  const seed = [...h.sandbox.state.runs.values()].find(
    (r) => r.orgId === ORG && r.status === "active" && r.tasks.length >= 3,
  );
  if (!seed) throw new Error("no seeded active run with three tasks");
  const run: SandboxRun = structuredClone(seed);
  run.id = randomBytes(16).toString("hex");
  run.tasks.sort((a, b) => a.position - b.position);
  for (const t of run.tasks) {
    Object.assign(t, { status: "not-started", completed_at: null, completer_id: null });
    t.id = randomBytes(16).toString("hex");
    t.task_type = "task";
    t.threads = [];
    delete t.form_fields;
  }
  run.completed_at = null;
  h.sandbox.state.runs.set(run.id, run);
  return run;
}

const link = (runId: string) => `${h.sandbox.webUrl}/${ORG}/processes/${runId}`;

async function unfurlCalls(n: number): Promise<ApiCall[]> {
  return eventually(() => {
    const calls = h.slack.callsTo("chat.unfurl");
    if (calls.length < n) throw new Error(`${calls.length} chat.unfurl calls`);
    return calls;
  }, 8_000);
}

describe("an unfurl in a posted message", () => {
  it("is refreshed in place by chat.unfurl when a task of its process is completed", async () => {
    const run = freshRun();
    const url = link(run.id);
    const total = run.tasks.length;
    const { message } = await h.driver.say(`Status: ${url}`, { unfurlDomains: domains });
    const [first] = await unfurlCalls(1);
    expect(JSON.stringify(first!.args.unfurls[url].blocks)).toContain(`0 of ${total}`);
    await eventually(async () => {
      const cards = await h.bot.context.live.cardsForRun(run.id);
      expect(cards.map((c) => [c.kind, c.ts, c.url])).toEqual([["unfurl", message.ts, url]]);
    });

    expect(h.sandbox.completeTask(run.tasks[0]!.id)).toBe(true);
    const calls = await unfurlCalls(2);
    expect(calls).toHaveLength(2);
    const refresh = calls[1]!;
    expect(refresh.response.ok).toBe(true);
    expect(refresh.args).toMatchObject({ channel: OPS, ts: message.ts });
    expect(Object.keys(refresh.args.unfurls)).toEqual([url]);
    expect(checkUnfurls(refresh.args.unfurls).problems).toEqual([]);

    // The same message's unfurl now shows the new progress and the next task.
    const shown = h.slack.message(OPS, message.ts)!.unfurls![url]!.blocks as Json[];
    const text = JSON.stringify(shown);
    expect(text).toContain(`1 of ${total}`);
    expect(text).toContain(run.tasks[1]!.title);
    // Still the compact link card (View and Open), not the full status card.
    const buttons = shown.find((b) => b.type === "actions").elements;
    expect(buttons.map((b: Json) => b.text.text)).toEqual(["View", "Open"]);
    expect(buttons[0]).toMatchObject({ action_id: ACTION.view, value: run.id });
    expect(buttons[1].url).toBe(link(run.id));
    expect(h.slack.callsTo("chat.update")).toEqual([]);
    expect(h.slack.messages(OPS).map((m) => m.ts)).toEqual([message.ts]);
  });
});
