/**
 * Live cards end to end (issue 15): the webhook URL an admin gets, Tallyfy's deliveries (sent by
 * the sandbox as Tallyfy sends them) redrawing cards in place, bursts coalesced, repeats and
 * wrong secrets doing nothing, "Your turn" DMs, and subscribed channels' cards on launch.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED } from "../../sandbox/tallyfy/server.ts";
import type { SandboxRun } from "../../sandbox/tallyfy/types.ts";
import { assertBlockKit } from "../support/block-limits.ts";
import { eventually, type Harness, startHarness } from "../support/harness.ts";

const OPS = "C0OPS";
const ALICE = "U0ALICE";
const BOB = "U0BOB";
const ORG = SEED.orgId;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    env: {
      WEBHOOK_ADMINS: ALICE,
      PUBLIC_URL: "https://tallyfy-bot.example.test/",
      RECONCILE_REQUESTS_PER_MINUTE: "0",
    },
  });
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.sandbox.reset();
  h.slack.reset();
});

type Reply = { text: string; blocks: unknown[] };

async function command(text: string, user = ALICE, channel = OPS): Promise<Reply> {
  const seen = h.slack.responses.length;
  await h.driver.command(text, { user, channel });
  return eventually(() => {
    const r = h.slack.responses[seen];
    if (!r) throw new Error("no reply yet");
    return r.body as Reply;
  });
}

/** `/tallyfy webhooks` as an admin; the sandbox is pointed at the URL (on the bot's real port). */
async function configureWebhooks(): Promise<string> {
  const reply = await command("webhooks");
  const url = /https:\/\/tallyfy-bot\.example\.test\/tallyfy\/webhooks\/([A-Za-z0-9_-]+)/.exec(
    JSON.stringify(reply.blocks),
  );
  if (!url?.[1]) throw new Error(`no webhook URL in ${reply.text}`);
  h.sandbox.webhooks.urls.push(webhookUrl(url[1]));
  return url[1];
}

const webhookUrl = (secret: string) => `http://127.0.0.1:${h.port}/tallyfy/webhooks/${secret}`;

/**
 * A copy of a seeded active run under new ids (so nothing recorded by an earlier test applies),
 * every task open: the first Alice's, the second Bob's.
 */
function freshRun(): SandboxRun {
  const seed = [...h.sandbox.state.runs.values()].find(
    (r) => r.orgId === ORG && r.status === "active" && r.tasks.length >= 3,
  );
  if (!seed) throw new Error("no seeded active run with three tasks");
  const run: SandboxRun = structuredClone(seed);
  run.id = randomBytes(16).toString("hex");
  run.tasks.sort((a, b) => a.position - b.position);
  for (const [n, t] of run.tasks.entries()) {
    Object.assign(t, { status: "not-started", completed_at: null, completer_id: null });
    t.id = randomBytes(16).toString("hex");
    t.task_type = "task";
    t.threads = [];
    delete t.form_fields;
    t.users = [n === 1 ? SEED.users.bob.id : SEED.users.admin.id];
  }
  run.completed_at = null;
  h.sandbox.state.runs.set(run.id, run);
  return run;
}

async function showCard(run: SandboxRun): Promise<{ channel: string; ts: string }> {
  await h.driver.command(`show ${run.id}`, { user: ALICE, channel: OPS });
  // Only this card: a DM from an earlier test's webhook may still be on its way.
  const posted = await h.slack.waitFor(
    (c) => c.method === "chat.postMessage" && c.args.channel === OPS && c.response.ok === true,
  );
  const res = posted.response as { channel: string; ts: string };
  await eventually(async () => {
    const cards = await h.bot.context.live.cardsForRun(run.id);
    expect(cards.map((c) => c.ts)).toContain(res.ts);
  });
  return { channel: res.channel, ts: res.ts };
}

const runReads = (runId: string) =>
  h.sandbox.requests.filter(
    (r) => r.method === "GET" && r.path === `/organizations/${ORG}/runs/${runId}`,
  ).length;
const updatesOf = (ts: string) =>
  h.slack.callsTo("chat.update").filter((c) => (c.args as { ts?: string }).ts === ts);
const progressText = (ts: string) => {
  const msg = h.slack.messages(OPS).find((m) => m.ts === ts);
  return JSON.stringify(msg?.blocks ?? []);
};

async function postWebhook(secret: string, body: unknown, raw?: string) {
  return fetch(webhookUrl(secret), {
    method: "POST",
    headers: { "content-type": "application/json", "X-Tallyfy-orgID": ORG },
    body: raw ?? JSON.stringify(body),
  });
}

describe("the webhook URL", () => {
  it("shows admins a URL built from PUBLIC_URL with the steps, and whether anything arrived", async () => {
    const reply = await command("webhooks");
    const text = JSON.stringify(reply.blocks);
    expect(text).toContain("https://tallyfy-bot.example.test/tallyfy/webhooks/");
    expect(text).toContain("Webhook URL");
    expect(text).toContain("Nothing has arrived");
    assertBlockKit({ type: "message", blocks: reply.blocks as unknown[] });
    // Asking again shows the same URL; rotate makes a new one and the old stops working.
    const again = await command("webhooks");
    expect(JSON.stringify(again.blocks)).toBe(text);
    const old = /webhooks\/([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? "";
    const rotated = await command("webhooks rotate");
    const fresh = /webhooks\/([A-Za-z0-9_-]+)/.exec(JSON.stringify(rotated.blocks))?.[1] ?? "";
    expect(fresh).not.toBe(old);
    expect((await postWebhook(old, { id: "a".repeat(32), status: "active" })).status).toBe(404);
    expect((await postWebhook(fresh, { id: "a".repeat(32), status: "active" })).status).toBe(200);
    const seen = await command("webhooks");
    expect(JSON.stringify(seen.blocks)).toContain("Last delivery arrived");
  });

  it("refuses people who are not workspace admins", async () => {
    const reply = await command("webhooks", BOB);
    expect(reply.text).toContain("Only Slack workspace admins");
    expect(reply.text).not.toContain("/tallyfy/webhooks/");
  });
});

describe("Tallyfy's deliveries", () => {
  it("redraws the card in place (same ts) with the new progress when a task is completed", async () => {
    const secret = await configureWebhooks();
    const run = freshRun();
    const card = await showCard(run);
    expect(progressText(card.ts)).toContain(`0 of ${run.tasks.length} tasks`);
    const first = run.tasks[0]!;
    expect(h.sandbox.completeTask(first.id)).toBe(true);
    await eventually(() => expect(updatesOf(card.ts)).toHaveLength(1), 8_000);
    expect(progressText(card.ts)).toContain(`1 of ${run.tasks.length} tasks`);
    const update = updatesOf(card.ts)[0]!.args as { channel: string; ts: string; text: string };
    expect(update).toMatchObject({ channel: card.channel, ts: card.ts });
    expect(update.text).toContain(run.name);
    // The card keeps its buttons.
    expect(progressText(card.ts)).toContain("run_refresh");
    assertBlockKit({
      type: "message",
      blocks: h.slack.messages(OPS).find((m) => m.ts === card.ts)!.blocks as unknown[],
    });
    expect(h.sandbox.webhooks.sent.every((s) => s.status === 200)).toBe(true);
    void secret;
  });

  it("makes at most 2 run reads and 2 updates per card for 30 events for one run in a second", async () => {
    const secret = await configureWebhooks();
    const run = freshRun();
    const cardA = await showCard(run);
    h.slack.reset();
    const cardB = await showCard(run);
    h.sandbox.clearRequests();
    run.tasks[0]!.status = "completed";
    run.tasks[0]!.completed_at = new Date().toISOString();
    const sent = await Promise.all(
      Array.from({ length: 30 }, (_, n) =>
        postWebhook(secret, {
          this_task: {
            id: n.toString(16).padStart(32, "0"),
            completed_at: new Date(Date.now() + n).toISOString(),
          },
          process: { id: run.id, organization_id: ORG, status: "active" },
          next_task: [],
        }),
      ),
    );
    expect(sent.map((r) => r.status)).toEqual(Array(30).fill(200));
    await eventually(() => expect(updatesOf(cardB.ts).length).toBeGreaterThan(0), 8_000);
    await h.bot.live.deliveries.flush();
    const reads = runReads(run.id);
    const perCard = [updatesOf(cardA.ts).length, updatesOf(cardB.ts).length];
    console.log(`30 webhooks for one run: ${reads} run reads, chat.update per card ${perCard}`);
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(2);
    for (const n of perCard) expect(n).toBeLessThanOrEqual(2);
    expect(updatesOf(cardA.ts).length).toBeGreaterThanOrEqual(1);
  });

  it("does nothing for a wrong secret, and nothing twice for the same delivery twice", async () => {
    const secret = await configureWebhooks();
    const run = freshRun();
    await showCard(run);
    h.sandbox.clearRequests();
    const body = {
      this_task: { id: run.tasks[0]!.id, completed_at: "2026-01-05T10:00:00Z" },
      process: { id: run.id, organization_id: ORG },
      next_task: {},
    };
    const wrong = await postWebhook(`${secret.slice(0, -2)}xx`, body);
    expect(wrong.status).toBe(404);
    expect((await postWebhook(secret, body)).status).toBe(200);
    // The same delivery again, the date in the organization's other format.
    const again = {
      ...body,
      this_task: { ...body.this_task, completed_at: "5/1/2026 10:00 AM UTC" },
    };
    expect((await postWebhook(secret, again)).status).toBe(200);
    await eventually(() => expect(runReads(run.id)).toBe(1), 8_000);
    await h.bot.live.deliveries.flush();
    expect(runReads(run.id)).toBe(1);
    expect(h.logs.some((l) => l.includes("ignored a repeated Tallyfy webhook"))).toBe(true);

    // The sandbox's own duplicate: one completion, delivered twice.
    h.sandbox.clearRequests();
    h.sandbox.webhooks.duplicateNext();
    h.sandbox.completeTask(run.tasks[0]!.id);
    await h.sandbox.webhooks.settle();
    await eventually(() => expect(runReads(run.id)).toBe(1), 8_000);
    await h.bot.live.deliveries.flush();
    expect(runReads(run.id)).toBe(1);
    expect(h.sandbox.webhooks.sent.filter((s) => "this_task" in s.body)).toHaveLength(2);
  });

  it("answers 400 with a log line for a body that is not JSON or not a shape Tallyfy sends", async () => {
    const secret = await configureWebhooks();
    h.sandbox.clearRequests();
    expect((await postWebhook(secret, undefined, "{not json")).status).toBe(400);
    expect((await postWebhook(secret, { hello: "world" })).status).toBe(400);
    expect((await postWebhook(secret, { this_task: { id: "../../etc" } })).status).toBe(400);
    expect(h.logs.filter((l) => l.includes("refused a Tallyfy webhook")).length).toBe(3);
    const big = JSON.stringify({ id: "a".repeat(32), pad: "x".repeat(1024 * 1024) });
    expect((await postWebhook(secret, undefined, big)).status).toBe(413);
    expect(h.sandbox.requests).toHaveLength(0);
  });
});

describe("Your turn", () => {
  it("DMs the next task's assignee with its buttons and a link to the card; nobody twice", async () => {
    await configureWebhooks();
    const run = freshRun();
    await showCard(run);
    expect(h.sandbox.completeTask(run.tasks[0]!.id)).toBe(true);
    const dm = await h.slack.waitFor(
      (c) => c.method === "chat.postMessage" && (c.args as { channel?: string }).channel === BOB,
      8_000,
    );
    const args = dm.args as { text: string; blocks: unknown[] };
    expect(args.text).toContain(`Your turn: ${run.tasks[1]!.title} in ${run.name}`);
    const blocks = JSON.stringify(args.blocks);
    expect(blocks).toContain("task_complete");
    expect(blocks).toContain("Open in Tallyfy");
    expect(blocks).toContain("See the process card");
    expect(blocks).toContain("Due <!date");
    assertBlockKit({ type: "message", blocks: args.blocks as unknown[] });
    // A repeat of the same completion sends no second DM.
    h.sandbox.completeTask(run.tasks[0]!.id);
    await h.sandbox.webhooks.settle();
    await h.bot.live.deliveries.flush();
    const dms = h.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === BOB);
    expect(dms).toHaveLength(1);
  });

  it("sends nothing to someone who turned notifications off, and DMs the launcher when done", async () => {
    await configureWebhooks();
    const off = await command("notifications off", BOB);
    expect(off.text).toContain("off");
    const run = freshRun();
    run.started_by = SEED.users.admin.id;
    await showCard(run);
    for (const t of run.tasks) h.sandbox.completeTask(t.id);
    const done = await h.slack.waitFor(
      (c) =>
        c.method === "chat.postMessage" &&
        (c.args as { text?: string }).text?.startsWith("Done:") === true,
      8_000,
    );
    expect(done.args.channel).toBe(ALICE);
    expect(String(done.args.text)).toContain(run.name);
    await h.bot.live.deliveries.flush();
    const toBob = h.slack.callsTo("chat.postMessage").filter((c) => c.args.channel === BOB);
    expect(toBob).toHaveLength(0);
    await command("notifications on", BOB);
  });
});

describe("channel subscriptions", () => {
  it("posts a live card in a subscribed channel when a process of the template is launched", async () => {
    await configureWebhooks();
    const template = h.sandbox.state.templates.find(
      (t) => t.orgId === ORG && t.status === "published" && t.prerun.every((f) => !f.required),
    )!;
    const sub = await command(`subscribe ${template.title}`, ALICE, "C0GENERAL");
    expect(sub.text).toContain("Subscribed");
    expect((await command("subscriptions", ALICE, "C0GENERAL")).text).toContain("1 subscription");
    const privateReply = await command(`subscribe ${template.title}`, ALICE, "C0LEADERS");
    expect(privateReply.text).toContain("private channel");
    h.slack.reset();
    // Launched in Tallyfy: the sandbox sends the process webhook.
    const launched = await fetch(`${h.sandbox.url}/organizations/${ORG}/runs`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${h.sandbox.token}`,
        "content-type": "application/json",
        "x-tallyfy-client": "APIClient",
      },
      body: JSON.stringify({ checklist_id: template.id, name: "Launched in Tallyfy" }),
    });
    expect(launched.status).toBe(201);
    const runId = ((await launched.json()) as { data: { id: string } }).data.id;
    const card = await h.slack.waitFor(
      (c) =>
        c.method === "chat.postMessage" && c.args.channel === "C0GENERAL" && c.response.ok === true,
      8_000,
    );
    expect(String(card.args.text)).toContain("Launched in Tallyfy");
    await eventually(async () => {
      const cards = await h.bot.context.live.cardsForRun(runId);
      expect(cards.map((c) => c.channel)).toEqual(["C0GENERAL"]);
    });
    // A second delivery of the launch posts nothing more.
    await h.bot.live.deliveries.flush();
    const unsub = await command(`unsubscribe ${template.title}`, ALICE, "C0GENERAL");
    expect(unsub.text).toContain("Unsubscribed");
    const posts = h.slack
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === "C0GENERAL" && c.response.ok);
    expect(posts).toHaveLength(1);
  });
});
