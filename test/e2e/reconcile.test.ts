/**
 * The reconcile loop (issue 15): with no webhook configured, runs with live cards are re-read
 * within a fixed budget of Tallyfy requests per organization a minute, whatever the number of
 * cards; most recently active first; a changed run's card is redrawn in place. Driven by an
 * injected clock and explicit ticks, not real minutes.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED } from "../../sandbox/tallyfy/server.ts";
import type { SandboxRun } from "../../sandbox/tallyfy/types.ts";
import { BOT_TOKEN, type Harness, startHarness } from "../support/harness.ts";

const ORG = SEED.orgId;
const OPS = "C0OPS";
const CARDS = 500;
const BUDGET = 10;

let h: Harness;
let clock = Date.UTC(2026, 0, 5, 9, 0, 0);

beforeAll(async () => {
  h = await startHarness({
    now: () => new Date(clock),
    env: { RECONCILE_REQUESTS_PER_MINUTE: String(BUDGET) },
    // Only the test's own ticks: a timer tick while the 500 cards are being recorded would
    // check the newest of them early, and they would then rightly not be re-read first.
    reconcileIntervalMs: 0,
  });
});
afterAll(async () => {
  await h?.close();
});

/** Posts a bot message to stand for a card posted earlier, and returns its ts. */
async function postMessage(text: string): Promise<string> {
  const res = await fetch(`${h.slack.apiUrl}chat.postMessage`, {
    method: "POST",
    headers: { authorization: `Bearer ${BOT_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ channel: OPS, text }),
  });
  const body = (await res.json()) as { ts: string };
  return body.ts;
}

describe("the reconcile loop", () => {
  it("keeps to its per-organization budget with 500 live cards, newest activity first", async () => {
    const seed = [...h.sandbox.state.runs.values()].find(
      (r) => r.orgId === ORG && r.status === "active",
    )!;
    const runs: SandboxRun[] = [];
    for (let n = 0; n < CARDS; n++) {
      const run: SandboxRun = structuredClone(seed);
      run.id = randomBytes(16).toString("hex");
      run.name = `Run ${n}`;
      h.sandbox.state.runs.set(run.id, run);
      runs.push(run);
      clock += 1_000;
      await h.bot.context.live.recordCard({
        teamId: "T0ACME",
        channel: OPS,
        ts: await postMessage(`card ${n}`),
        runId: run.id,
        kind: "status",
        orgId: ORG,
        fingerprint: "drawn-before-the-change",
      });
    }
    h.sandbox.clearRequests();
    h.slack.reset();
    const perSecond: number[] = [];
    const order: string[] = [];
    for (let s = 0; s < 180; s++) {
      clock += 1_000;
      const before = h.sandbox.requests.length;
      await h.bot.live.reconcile.tick();
      const made = h.sandbox.requests.slice(before);
      perSecond.push(made.filter((r) => r.path.startsWith(`/organizations/${ORG}/`)).length);
      for (const r of made) {
        const id = /\/runs\/([0-9a-f]{32})$/.exec(r.path)?.[1];
        if (id && r.method === "GET") order.push(id);
      }
    }
    let worst = 0;
    for (let s = 0; s + 60 <= perSecond.length; s++) {
      worst = Math.max(
        worst,
        perSecond.slice(s, s + 60).reduce((a, b) => a + b, 0),
      );
    }
    const perMinute = [0, 1, 2].map((m) =>
      perSecond.slice(m * 60, m * 60 + 60).reduce((a, b) => a + b, 0),
    );
    console.log(
      `reconcile, ${CARDS} live cards, budget ${BUDGET}/min: requests per minute ${perMinute}, worst 60 s window ${worst}, runs re-read ${order.length}`,
    );
    expect(worst).toBeLessThanOrEqual(BUDGET);
    // It does use the budget: every minute re-reads runs.
    for (const n of perMinute) expect(n).toBeGreaterThanOrEqual(BUDGET - 3);
    // Most recently active first: the cards recorded last are re-read first.
    const newest = runs
      .slice(-order.length)
      .map((r) => r.id)
      .reverse();
    // The store keeps the test's clock, so each card is a second newer than the one before.
    expect(order).toEqual(newest);
    // Each card that was re-read was redrawn in place (its data changed since it was drawn).
    const updates = h.slack.callsTo("chat.update");
    expect(updates.length).toBe(order.length);
  });
});
