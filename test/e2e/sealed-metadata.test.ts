/**
 * A view's private_metadata comes back from Slack as the client sent it. Edited, it must not
 * make the bot change another run, redraw an unrelated message or post anywhere.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeView } from "../../sandbox/slack/types.ts";
import { SEED } from "../../sandbox/tallyfy/server.ts";
import { ACTION } from "../../src/blocks/ids.ts";
import { launchNameBlock } from "../../src/blocks/modals/launch-views.ts";
import { eventually, type Harness, startHarness } from "../support/harness.ts";

// biome-ignore lint/suspicious/noExplicitAny: views and bodies are inspected loosely.
type Json = any;

const ALICE = "U0ALICE";
const RUN = SEED.runs.active;

let h: Harness;
let evil: Server;
let evilUrl: string;
const evilPosts: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  evil = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      evilPosts.push(body);
      res.end("ok");
    });
  });
  await new Promise<void>((r) => evil.listen(0, "127.0.0.1", r));
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/steal`;
});
afterAll(async () => {
  await h?.close();
  await new Promise((r) => evil?.close(r));
});
beforeEach(() => {
  h.sandbox.reset();
  h.slack.reset();
  evilPosts.length = 0;
});

const text = (v: Json) => JSON.stringify(v?.view?.blocks ?? v?.blocks ?? v);
const puts = () => h.sandbox.requests.filter((r) => r.method === "PUT");
const launches = () =>
  h.sandbox.requests.filter((r) => r.method === "POST" && r.path.endsWith("/runs"));

function aliceView(ready: (v: FakeView) => boolean): Promise<FakeView> {
  return eventually(() => {
    const v = h.slack.openView(ALICE);
    if (!v || !ready(v)) throw new Error("view not ready");
    return v;
  });
}

/** What someone editing the metadata in their client would send: content changed, seal kept. */
function tamper(v: FakeView, change: (m: Json) => Json): void {
  const { "~": seal, ...meta } = JSON.parse(v.view.private_metadata);
  v.view.private_metadata = JSON.stringify({ ...change(meta), "~": seal });
}

async function showCard(runId: string): Promise<{ channel: string; ts: string }> {
  const before = h.slack.callsTo("chat.postMessage").length;
  await h.driver.command(`show ${runId}`);
  const post = await h.slack.waitFor(
    (c) =>
      c.method === "chat.postMessage" &&
      c.response.ok &&
      h.slack.callsTo("chat.postMessage").indexOf(c) >= before,
  );
  return { channel: post.response.channel, ts: post.response.ts };
}

async function editFormFromCard(): Promise<FakeView> {
  const card = await showCard(RUN);
  await h.driver.clickButton(card, ACTION.update);
  return aliceView((v) => v.view.submit?.text === "Save");
}

describe("edit form metadata", () => {
  it("is sealed: the bot's own metadata saves as before", async () => {
    const form = await editFormFromCard();
    expect(form.view.private_metadata.length).toBeLessThanOrEqual(3000);
    expect(JSON.parse(form.view.private_metadata)["~"]).toMatch(/^[\w-]{43}$/);
    const res = await h.driver.submitView(form.id, { run_name: { value: "Sealed and saved" } });
    expect(res.body.response_action).toBe("clear");
    expect(puts()).toHaveLength(1);
    await h.slack.waitFor((c) => c.method === "chat.update");
  });

  it("pointed at an unrelated message: refused in the ack, nothing changed or redrawn", async () => {
    const other = await showCard(SEED.runs.complete);
    const otherBefore = JSON.stringify(h.slack.message(other.channel, other.ts));
    const form = await editFormFromCard();
    tamper(form, (m) => ({ ...m, o: { c: other.channel, ts: other.ts } }));
    h.sandbox.clearRequests();

    const res = await h.driver.submitView(form.id, { run_name: { value: "Hijacked" } });
    expect(res.body.response_action).toBe("update");
    expect(text(res.body.view)).toContain("couldn't verify this form");
    expect(text(res.body.view)).toContain("Nothing was sent to Tallyfy");
    await new Promise((r) => setTimeout(r, 300));
    expect(puts()).toEqual([]);
    expect(h.slack.callsTo("chat.update")).toEqual([]);
    expect(JSON.stringify(h.slack.message(other.channel, other.ts))).toBe(otherBefore);
  });

  it("pointed at another response_url: nothing is posted there", async () => {
    const form = await editFormFromCard();
    tamper(form, (m) => ({ ...m, o: { u: evilUrl } }));
    const res = await h.driver.submitView(form.id, { run_name: { value: "Exfiltrated" } });
    expect(text(res.body.view)).toContain("couldn't verify this form");
    await new Promise((r) => setTimeout(r, 300));
    expect(evilPosts).toEqual([]);
    expect(puts()).toEqual([]);
  });

  it("pointed at another run: refused, that run is untouched", async () => {
    const form = await editFormFromCard();
    tamper(form, (m) => ({ ...m, r: SEED.runs.complete }));
    const res = await h.driver.submitView(form.id, { run_name: { value: "Wrong run" } });
    expect(text(res.body.view)).toContain("couldn't verify this form");
    expect(puts()).toEqual([]);
  });

  it("without its seal: refused", async () => {
    const form = await editFormFromCard();
    const { "~": _seal, ...meta } = JSON.parse(form.view.private_metadata);
    form.view.private_metadata = JSON.stringify(meta);
    const res = await h.driver.submitView(form.id, { run_name: { value: "Unsigned" } });
    expect(text(res.body.view)).toContain("couldn't verify this form");
    expect(puts()).toEqual([]);
  });

  it("Reload with altered metadata reads nothing and says why", async () => {
    const form = await editFormFromCard();
    const run = h.sandbox.state.runs.get(RUN)!;
    run.last_updated = new Date(Date.parse(run.last_updated) + 60_000).toISOString();
    run.summary = "Changed elsewhere";
    await h.driver.submitView(form.id, { run_summary: { value: "Mine" } });
    const warned = h.slack.openView(ALICE) as FakeView;
    tamper(warned, (m) => ({ ...m, r: SEED.runs.complete }));
    h.sandbox.clearRequests();
    await h.driver.clickButton({ viewId: warned.id }, ACTION.editReload);
    const refused = await aliceView((v) => text(v).includes("couldn't verify this form"));
    expect(refused.view.submit).toBeNull();
    expect(h.sandbox.requests).toEqual([]);
  });
});

describe("launch form metadata", () => {
  it("altered or unsigned: refused in the ack, nothing launched or posted", async () => {
    await h.driver.command("launch Employee Onboarding");
    const form = await aliceView((v) => v.view.submit?.text === "Launch");
    tamper(form, (m) => ({ ...m, c: "C0LEADERS", n: "replayed-nonce" }));
    const res = await h.driver.submitView(
      form.id,
      { [launchNameBlock(SEED.templates.onboarding)]: { value: "Forged launch" } },
      { skipClientValidation: true },
    );
    expect(res.body.response_action).toBe("update");
    expect(text(res.body.view)).toContain("couldn't verify this form");
    await new Promise((r) => setTimeout(r, 300));
    expect(launches()).toEqual([]);
    expect(h.slack.callsTo("chat.postMessage")).toEqual([]);
  });
});

describe("response_url posts", () => {
  it("go only to Slack's host, whatever an interaction carries", async () => {
    await expect(h.bot.context.responseUrls.post(evilUrl, "hello")).rejects.toThrow(
      /not on Slack's hooks host/,
    );
    expect(evilPosts).toEqual([]);
  });
});
