/**
 * Live cards in the playground (issue 15), in a real browser: a task completed from the page's
 * Tallyfy panel (the sandbox completes it as its assignee and sends Tallyfy's webhook to the
 * bot) redraws the status card in the channel in place, and the next assignee's DM arrives,
 * all over the page's live stream, without a click on Refresh.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEED } from "../../sandbox/tallyfy/server.ts";
import type { SandboxRun } from "../../sandbox/tallyfy/types.ts";
import {
  artifact,
  type BrowserWorld,
  cardNamed,
  HAVE_BROWSER,
  openAs,
  slash,
  startWorld,
} from "./support.ts";

let w: BrowserWorld;

/**
 * A copy of a seeded active run under new ids, changed just now (so the panel lists it first),
 * every task open and plain: the first Alice's, the second Bob's, the rest Alice's.
 */
function freshRun(): SandboxRun {
  const runs = [...(w.pg.sandbox?.state.runs.values() ?? [])];
  const seed = runs.find(
    (r) => r.orgId === SEED.orgId && r.status === "active" && r.tasks.length >= 3,
  );
  if (!seed) throw new Error("no seeded active run with three tasks");
  const run: SandboxRun = structuredClone(seed);
  run.id = randomBytes(16).toString("hex");
  run.name = `Live card ${run.id.slice(0, 6)}`;
  run.last_updated = new Date().toISOString();
  run.tasks.sort((a, b) => a.position - b.position);
  for (const [n, t] of run.tasks.entries()) {
    Object.assign(t, { status: "not-started", completed_at: null, completer_id: null });
    t.id = randomBytes(16).toString("hex");
    t.task_type = "task";
    t.threads = [];
    t.groups = [];
    delete t.form_fields;
    t.users = [n === 1 ? SEED.users.bob.id : SEED.users.admin.id];
  }
  run.completed_at = null;
  w.pg.sandbox?.state.runs.set(run.id, run);
  return run;
}

describe.skipIf(!HAVE_BROWSER)("live cards in the playground", () => {
  beforeAll(async () => {
    w = await startWorld();
  }, 30_000);
  afterAll(async () => {
    await w?.close();
  });

  it("completing a task in the Tallyfy panel updates the card in place and DMs the next assignee", {
    timeout: 40_000,
  }, async () => {
    const { page } = w;
    const run = freshRun();
    const total = run.tasks.length;
    const [first, second] = run.tasks as [SandboxRun["tasks"][0], SandboxRun["tasks"][0]];
    await openAs(w);

    await slash(page, `/tallyfy show ${run.id}`);
    const card = cardNamed(page, run.name);
    await card.waitFor({ timeout: 10_000 });
    const ts = await card.getAttribute("data-ts");
    const byTs = page.locator(`article[data-ts="${ts}"]`);
    expect(await byTs.innerText()).toContain(`0 of ${total}`);

    const panel = page.getByRole("region", { name: "Tallyfy" });
    const process = panel.locator(`li[data-run="${run.id}"]`);
    await process.waitFor();
    expect(await process.innerText()).toContain(run.name);
    const task = process.locator(`li[data-task="${first.id}"]`);
    expect(await task.innerText()).toContain(first.title);
    await task.getByRole("button", { name: "Complete as Alice" }).click();

    // The same message (same data-ts) now shows the new progress and the next task.
    await expect.poll(() => byTs.innerText(), { timeout: 10_000 }).toContain(`1 of ${total}`);
    expect(await byTs.innerText()).toContain(second.title);
    expect(await page.locator(`article[data-ts="${ts}"]`).count()).toBe(1);
    expect(await cardNamed(page, run.name).count()).toBe(1);
    expect(run.tasks[0]?.status).toBe("completed");
    // The panel follows: the completed task is gone, Bob's is next.
    await expect.poll(() => task.count()).toBe(0);
    expect(await process.innerText()).toContain(`1 of ${total} tasks done`);
    await process
      .locator(`li[data-task="${second.id}"]`)
      .getByRole("button", { name: "Complete as Bob" })
      .waitFor();
    await page.screenshot({ path: artifact("live-card.png") });

    // Bob's DM with the app: "Your turn".
    await page.getByLabel("You are").selectOption("U0BOB");
    await page.waitForURL(/user=U0BOB/);
    await page.locator("#dms a").first().click();
    await page.waitForURL(/channel=D/);
    const dm = page.locator("#messages article.message");
    await expect
      .poll(() => page.locator("#messages").innerText(), { timeout: 10_000 })
      .toContain("Your turn");
    const turn = dm.filter({ hasText: "Your turn" });
    expect(await turn.count()).toBe(1);
    expect(await turn.innerText()).toContain(second.title);
    expect(await turn.innerText()).toContain(run.name);
    await page.screenshot({ path: artifact("live-dm.png") });
  });
});
