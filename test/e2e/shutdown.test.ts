/**
 * Stopping with work in hand (issue 12, item 7): every acknowledged command ends in its result
 * or in one reply through its response_url, and a change already sent to Tallyfy is never
 * reported as "nothing was changed". A burst is paced by the organization's Tallyfy budget
 * (issue 18): what still waits for the budget at shutdown has sent nothing and is told to run
 * it again, which is a clean stop.
 */
import { afterEach, describe, expect, it } from "vitest";
import { SlackDriver } from "../../sandbox/slack/driver.ts";
import type { FakeSlack } from "../../sandbox/slack/fake-slack.ts";
import type { TallyfySandbox } from "../../sandbox/tallyfy/server.ts";
import { WorkStopped } from "../../src/slack/work-queue.ts";
import { startInstance } from "../support/bot-process.ts";
import {
  BOT_TOKEN,
  eventually,
  type Harness,
  SIGNING_SECRET,
  startHarness,
  TEST_BACKGROUND,
} from "../support/harness.ts";

const OPS = "C0OPS";
const ALICE = "U0ALICE";
const RUN_AGAIN = "nothing was changed. Please run it again";
const MAY_HAVE = "it may have been applied";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** `count` active runs with names of their own, so each card tells which command it answers. */
function distinctRuns(sandbox: TallyfySandbox, count: number): { id: string; name: string }[] {
  const seed = [...sandbox.state.runs.values()].find((r) => r.status === "active")!;
  return Array.from({ length: count }, (_, n) => {
    const id = `${(0xd0000000 + n).toString(16)}${seed.id.slice(8)}`;
    const name = `Shutdown check ${String(n).padStart(3, "0")}`;
    sandbox.state.runs.set(id, { ...structuredClone(seed), id, name });
    return { id, name };
  });
}

/** Per command: how many cards name its run, and how many posts its response_url got. */
function answersPerCommand(
  slack: FakeSlack,
  sent: { name: string; responseUrl: string }[],
): { cards: number; notes: string[] }[] {
  const cards = slack.callsTo("chat.postMessage").map((c) => JSON.stringify(c.args));
  return sent.map(({ name, responseUrl }) => {
    const id = responseUrl.split("/").pop();
    return {
      cards: cards.filter((card) => card.includes(name)).length,
      notes: slack.responses.filter((r) => r.id === id).map((r) => JSON.stringify(r.body)),
    };
  });
}

/**
 * A budget the burst outruns: the first requests go out, the rest wait for a window that does
 * not reset before the stop.
 */
const RATE_LIMIT = { requests: 40, windowMs: 60_000 };

/** One show, answered, so the burst's requests are its run reads (user and tag lists cached). */
async function warmUp(driver: SlackDriver, slack: FakeSlack, sandbox: TallyfySandbox) {
  const seed = [...sandbox.state.runs.values()].find((r) => r.status === "active")!;
  await driver.command(`show ${seed.id}`, { channel: OPS, user: ALICE });
  await slack.waitFor((c) => c.method === "chat.postMessage", 10_000);
  slack.reset();
}

function expectOneAnswerEach(answers: { cards: number; notes: string[] }[]): void {
  for (const [n, a] of answers.entries()) {
    expect(a.cards + a.notes.length, `command ${n}: ${a.notes.join(" / ")}`).toBe(1);
    for (const note of a.notes) expect(note).toContain(RUN_AGAIN);
  }
  expect(answers.some((a) => a.cards === 1)).toBe(true);
  expect(answers.some((a) => a.notes.length === 1)).toBe(true);
}

describe("stop() with acknowledged work in hand", () => {
  it("answers every acknowledged command once: its card, or a note to run it again", async () => {
    h = await startHarness({
      sandboxLatencyMs: 800,
      drainMs: 4_000,
      sandboxRateLimit: RATE_LIMIT,
      // As in production, waiting for the budget does not use up the call's time.
      background: { ...TEST_BACKGROUND, paceWaitMs: 60_000 },
    });
    const runs = distinctRuns(h.sandbox, 150);
    await warmUp(h.driver, h.slack, h.sandbox);
    const sent = [];
    for (const run of runs) {
      const res = await h.driver.command(`show ${run.id}`, { channel: OPS, user: ALICE });
      expect(res.status).toBe(200);
      sent.push({ name: run.name, responseUrl: res.responseUrl });
    }
    await h.slack.waitFor((c) => c.method === "chat.postMessage", 10_000);

    const queue = h.bot.context.background;
    // Every command's work started: what is not done yet waits for Tallyfy's budget.
    expect(queue.waiting).toBe(0);
    expect(queue.pending).toBeGreaterThan(0);

    const report = await h.bot.stop();

    const answers = answersPerCommand(h.slack, sent);
    expectOneAnswerEach(answers);
    expect(report.clean).toBe(true);
    // The work that was let go never had its run read: asked for at most in a probe Tallyfy
    // refused with a 429.
    const asked = new Set(h.sandbox.requests.map((r) => r.path.split("/").pop()));
    const letGo = runs.filter((_run, n) => answers[n]!.notes.length > 0);
    const askedAnyway = letGo.filter((run) => asked.has(run.id)).length;
    expect(askedAnyway).toBeLessThanOrEqual(h.sandbox.throttled);
  }, 30_000);

  it("says a change already sent to Tallyfy may have been applied, not that nothing changed", async () => {
    h = await startHarness({ drainMs: 100 });
    const [run] = distinctRuns(h.sandbox, 1);
    h.sandbox.fault({ method: "DELETE", path: new RegExp(`/runs/${run!.id}`), latencyMs: 2_000 });
    const res = await h.driver.command(`archive ${run!.id}`, { channel: OPS, user: ALICE });
    const sandbox = h.sandbox;
    await eventually(() => expect(sandbox.requests.map((r) => r.method)).toContain("DELETE"));

    const report = await h.bot.stop();

    const [answer] = answersPerCommand(h.slack, [{ name: run!.name, ...res }]);
    expect(answer!.cards).toBe(0);
    expect(answer!.notes).toHaveLength(1);
    expect(answer!.notes[0]).toContain(MAY_HAVE);
    expect(report.clean).toBe(false);
  });

  it("never sends a change after telling cut-off work that nothing was changed", async () => {
    // Any change goes through the Tallyfy client, which asks the work's scope first: a write
    // after the "nothing was changed" note is refused without being sent, whoever wrote it.
    h = await startHarness({ drainMs: 100 });
    const harness = h;
    const [run] = distinctRuns(harness.sandbox, 1);
    harness.sandbox.fault({
      method: "GET",
      path: new RegExp(`/runs/${run!.id}`),
      latencyMs: 1_500,
    });
    const api = harness.bot.context.tallyfy.forConnection({
      token: harness.sandbox.token,
      orgId: harness.sandbox.orgId,
    });
    const told: string[] = [];
    let outcome: unknown;
    const finished = new Promise<void>((done) => {
      harness.bot.context.background.enqueue({
        run: async () => {
          try {
            await api.runs.get(run!.id);
            await api.runs.archive(run!.id);
            outcome = "archived";
          } catch (error) {
            outcome = error;
          } finally {
            done();
          }
        },
        stopped: async (why) => {
          told.push(why);
        },
        onError: () => {},
      });
    });
    const sandbox = harness.sandbox;
    await eventually(() => expect(sandbox.requests.map((r) => r.method)).toContain("GET"));

    await harness.bot.stop();
    expect(told).toEqual(["read"]);

    // The slow read comes back after the note: the archive must not follow it.
    await finished;
    expect(outcome).toBeInstanceOf(WorkStopped);
    expect(sandbox.requests.map((r) => r.method)).not.toContain("DELETE");
    expect(sandbox.state.runs.get(run!.id)!.status).toBe("active");
  });
});

describe("SIGTERM to the process (src/index.ts)", () => {
  it("answers every acknowledged command once and exits 0 after a clean drain", async () => {
    h = await startHarness({ sandboxLatencyMs: 1_500, sandboxRateLimit: RATE_LIMIT });
    const { slack, sandbox } = h;
    const runs = distinctRuns(sandbox, 100);
    const bot = await startInstance("bot", {
      PATH: process.env.PATH ?? "",
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      TALLYFY_API_URL: sandbox.url,
      TALLYFY_ACCESS_TOKEN: sandbox.token,
      TALLYFY_ORG_ID: sandbox.orgId,
      PORT: "0",
    });
    try {
      const driver = new SlackDriver({
        botUrl: `http://127.0.0.1:${bot.port}/slack/events`,
        signingSecret: SIGNING_SECRET,
        slack,
      });
      await warmUp(driver, slack, sandbox);
      const sent = [];
      for (const run of runs) {
        const res = await driver.command(`show ${run.id}`, { channel: OPS, user: ALICE });
        expect(res.status).toBe(200);
        sent.push({ name: run.name, responseUrl: res.responseUrl });
      }
      await slack.waitFor((c) => c.method === "chat.postMessage", 15_000);

      expect(await bot.stop()).toBe(0);
      expectOneAnswerEach(answersPerCommand(slack, sent));
    } finally {
      await bot.stop();
    }
  }, 60_000);
});
