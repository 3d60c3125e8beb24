/**
 * The Slack-native surfaces in the playground, in a real browser: the app's Home tab (with a
 * button that acts from it), and a Tallyfy link unfurling in the composer and under the message.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED } from "../../sandbox/tallyfy/server.ts";
import { artifact, type BrowserWorld, HAVE_BROWSER, openAs, startWorld } from "./support.ts";

let w: BrowserWorld;

describe.skipIf(!HAVE_BROWSER)("playground surfaces", () => {
  beforeAll(async () => {
    w = await startWorld();
  }, 30_000);
  afterAll(async () => {
    await w?.close();
  });
  beforeEach(() => {
    w.pg.sandbox?.reset();
    w.pg.slack.reset();
  });

  it("the app's Home tab shows who you are, your tasks and processes, and Refresh redraws it", async () => {
    const { page } = w;
    await openAs(w, "U0ALICE", "D0ALICE");
    await page.getByRole("button", { name: "Home", exact: true }).click();
    const home = page.getByRole("region", { name: "Home" });
    await home.getByRole("button", { name: "Launch a process" }).waitFor();
    await expect(home.innerText()).resolves.toContain("Tasks of the workspace account");
    await expect(home.innerText()).resolves.toContain("Your processes");
    expect(
      await home.getByRole("button", { name: /Complete|Approve|Acknowledge/ }).count(),
    ).toBeGreaterThan(0);
    await page.screenshot({ path: artifact("home-tab.png") });
    expect(await page.locator("#composer").isHidden()).toBe(true);

    const before = w.pg.slack.callsTo("views.publish").length;
    await home.getByRole("button", { name: "Refresh" }).click();
    await expect.poll(() => w.pg.slack.callsTo("views.publish").length).toBeGreaterThan(before);
    // Refresh may publish more than once (its answer, then names read behind it): click the
    // redrawn Home's button once it has settled, not one about to be replaced.
    let seen = -1;
    await expect
      .poll(
        () => {
          const now = w.pg.slack.callsTo("views.publish").length;
          const settled = now === seen;
          seen = now;
          return settled;
        },
        { interval: 300 },
      )
      .toBe(true);
    await home.getByRole("button", { name: "Launch a process" }).click();
    await page.getByRole("dialog").getByText("Launch a process").first().waitFor();
    expect(w.pg.slack.callsTo("views.open")[0]?.response.ok).toBe(true);
  });

  it("a Tallyfy link unfurls as you type it and under the message once sent", async () => {
    const { page } = w;
    await openAs(w);
    const run = w.pg.sandbox!.state.runs.get(SEED.runs.active)!;
    const url = `${w.pg.sandbox!.webUrl}/${SEED.orgId}/processes/${run.id}`;
    const composer = page.getByRole("textbox", { name: "Message" });
    await composer.fill(`Status of this one? ${url}`);
    const preview = page.getByRole("region", { name: "Link previews" });
    await preview.getByText(run.name).waitFor();
    expect(w.pg.slack.callsTo("chat.unfurl")[0]?.args.source).toBe("composer");

    await composer.press("Enter");
    const sent = page.locator("article.message", { hasText: "Status of this one?" });
    await sent.locator(".unfurl").getByText(run.name).waitFor();
    await expect(preview.locator(".unfurl").count()).resolves.toBe(0);
    await page.screenshot({ path: artifact("unfurl.png") });

    // View on the unfurl posts the full status card.
    await sent.locator(".unfurl").getByRole("button", { name: "View" }).click();
    await page
      .locator("article.message[data-ephemeral=false]")
      .filter({ has: page.locator("h3.block-header", { hasText: run.name }) })
      .waitFor();
  });
});
