/**
 * Who archived a process is decided from what Tallyfy says, never from the bot's clock
 * (issue 12, item 14).
 */
import { afterEach, describe, expect, it } from "vitest";
import { eventually, type Harness, startHarness } from "../support/harness.ts";

const OPS = "C0OPS";
const ALICE = "U0ALICE";
const BOB = "U0BOB";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function activeRun(harness: Harness) {
  return [...harness.sandbox.state.runs.values()].find((r) => r.status === "active")!;
}

/** Alice posts the run's card; returns the card's message ts. */
async function postedCard(harness: Harness, runId: string): Promise<string> {
  await harness.driver.command(`show ${runId}`, { channel: OPS, user: ALICE });
  const post = await harness.slack.waitFor((c) => c.method === "chat.postMessage");
  return post.response.ts as string;
}

describe("archive attribution", () => {
  it("a process someone else archived 30 s ago is 'already archived', not 'Archived by' the clicker", async () => {
    h = await startHarness();
    const run = activeRun(h);
    const ts = await postedCard(h, run.id);
    // Archived in Tallyfy by someone else after the card was posted.
    run.previous_status = run.status;
    run.status = "archived";
    run.archived_at = new Date(Date.now() - 30_000).toISOString();
    h.sandbox.clearRequests();

    await h.driver.clickButton({ channel: OPS, ts }, "run_archive", { user: BOB });

    const update = await h.slack.waitFor((c) => c.method === "chat.update");
    const text = JSON.stringify(update.args.blocks);
    expect(text).toContain("already archived");
    expect(text).not.toContain(`Archived by <@${BOB}>`);
    // One request, the archive itself; Tallyfy keeps the earlier archive as it was.
    const runCalls = h.sandbox.requests.filter((r) => r.path.includes("/runs"));
    expect(runCalls.map((r) => r.method)).toEqual(["DELETE"]);
    expect(Date.now() - Date.parse(run.archived_at!)).toBeGreaterThanOrEqual(30_000);
  });

  it("the archive command says the same for a run archived moments ago", async () => {
    h = await startHarness();
    const run = activeRun(h);
    run.previous_status = run.status;
    run.status = "archived";
    run.archived_at = new Date(Date.now() - 30_000).toISOString();

    await h.driver.command(`archive ${run.id}`, { channel: OPS, user: BOB });

    const post = await h.slack.waitFor((c) => c.method === "chat.postMessage");
    expect(JSON.stringify(post.args.blocks)).toContain("already archived");
    expect(JSON.stringify(post.args.blocks)).not.toContain("Archived by");
  });

  it("with the bot's clock 2 minutes ahead, a fresh archive is 'Archived by' the person, at Tallyfy's time", async () => {
    h = await startHarness({ now: () => new Date(Date.now() + 120_000) });
    const run = activeRun(h);
    const ts = await postedCard(h, run.id);

    await h.driver.clickButton({ channel: OPS, ts }, "run_archive", { user: BOB });

    const update = await h.slack.waitFor((c) => c.method === "chat.update");
    const text = JSON.stringify(update.args.blocks);
    expect(text).toContain(`Archived by <@${BOB}>`);
    expect(text).not.toContain("already archived");
    const archivedAt = await eventually(() => {
      if (!run.archived_at) throw new Error("not archived");
      return run.archived_at;
    });
    expect(text).toContain(`<!date^${Math.floor(Date.parse(archivedAt) / 1000)}^`);
  });
});
