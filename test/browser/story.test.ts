/**
 * The main story, clicked through the playground page in a real browser against the real bot
 * and the Tallyfy sandbox: launch with every kick-off field, the status card, archive (with its
 * confirm dialog), activate, rename through the edit modal, list and page.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED } from "../../sandbox/tallyfy/server.ts";
import {
  artifact,
  type BrowserWorld,
  cardNamed,
  fillEveryInput,
  HAVE_BROWSER,
  inputBlock,
  modal,
  openAs,
  slash,
  startWorld,
} from "./support.ts";

/** Runs a named step, so a failure says which part of the story broke (and shows it). */
async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const file = `failed-${name.replace(/\W+/g, "-")}.png`;
    await w.page.screenshot({ path: artifact(file) }).catch(() => undefined);
    throw new Error(`step "${name}" failed: ${(error as Error).message}`, { cause: error });
  }
}

let w: BrowserWorld;

describe.skipIf(!HAVE_BROWSER)("playground story", () => {
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

  const sandboxRuns = () =>
    [...(w.pg.sandbox?.state.runs.values() ?? [])] as unknown as {
      id: string;
      name: string;
      status: string;
      prerun: Record<string, unknown>;
    }[];

  /** `/tallyfy launch Employee Onboarding` up to the kick-off form. */
  async function openLaunchForm() {
    await slash(w.page, "/tallyfy launch Employee Onboarding");
    await inputBlock(w.page, "Process name").waitFor();
    await inputBlock(w.page, "Employee full name").waitFor();
  }

  it("launch, card, archive, activate, rename, list and page", { timeout: 40_000 }, async () => {
    const { page } = w;
    await openAs(w);

    const name = await step("launch modal with every kick-off field", async () => {
      await openLaunchForm();
      // Tags are not kick-off fields (the validation test picks one through the bot's search).
      const filled = await fillEveryInput(page, { "Employee full name": "Ada Lovelace" }, ["Tags"]);
      expect(filled["Employee full name"]).toBe("Ada Lovelace");
      expect(Object.keys(filled).length).toBeGreaterThanOrEqual(5);
      await modal(page)
        .locator(".modal-body")
        .evaluate((el) => el.scrollTo(0, 0));
      await page.screenshot({ path: artifact("launch-modal.png") });
      const value = await inputBlock(page, "Process name").locator("input").inputValue();
      expect(value).toContain("Employee Onboarding");
      await modal(page).locator("footer button[type=submit]").click();
      return value;
    });

    const card = await step("status card posted", async () => {
      const found = cardNamed(page, name);
      await found.waitFor({ timeout: 10_000 });
      const run = sandboxRuns().find((r) => r.name === name);
      expect(run, "the run launched in the sandbox").toBeDefined();
      expect(JSON.stringify(run?.prerun)).toContain("Ada Lovelace");
      // A "Launched" confirmation may stay open; Slack users close it.
      if (await modal(page).count())
        await modal(page).locator("footer button[type=button]").click();
      await expect.poll(() => modal(page).count()).toBe(0);
      const ts = await found.getAttribute("data-ts");
      const byTs = page.locator(`article[data-ts="${ts}"]`);
      expect(await byTs.innerText()).toContain("Active");
      await page.screenshot({ path: artifact("card.png") });
      return byTs;
    });

    await step("archive, after the confirm dialog", async () => {
      await card.getByRole("button", { name: "Archive" }).click();
      const confirm = page.getByRole("alertdialog");
      await confirm.getByRole("heading", { name: "Archive this process?" }).waitFor();
      await confirm.getByRole("button", { name: "Archive" }).click();
      await card.getByRole("button", { name: "Activate" }).waitFor();
      expect(await card.locator(".field").first().innerText()).toContain("Archived");
      expect(sandboxRuns().find((r) => r.name === name)?.status).toBe("archived");
    });

    await step("activate", async () => {
      await card.getByRole("button", { name: "Activate" }).click();
      await card.getByRole("button", { name: "Archive" }).waitFor();
      expect(await card.locator(".field").first().innerText()).toContain("Active");
    });

    const renamed = `Onboarding for Ada (${Date.now() % 10_000})`;
    await step("update: rename in the edit modal", async () => {
      await card.getByRole("button", { name: "Update" }).click();
      const nameInput = inputBlock(page, "Process name").locator("input");
      await nameInput.waitFor();
      expect(await nameInput.inputValue()).toBe(name);
      await nameInput.fill(renamed);
      await modal(page).locator("footer button[type=submit]").click();
      await expect
        .poll(() => card.locator("h3.block-header").innerText(), { timeout: 10_000 })
        .toBe(renamed);
      if (await modal(page).count())
        await modal(page).locator("footer button[type=button]").click();
      await expect.poll(() => modal(page).count()).toBe(0);
    });

    await step("/tallyfy list, then Next", async () => {
      await slash(page, "/tallyfy list");
      const list = page
        .locator("article.message[data-ephemeral=true]")
        .filter({ has: page.getByRole("button", { name: "Next →" }) });
      await list.waitFor();
      expect(await list.innerText()).toContain("Only visible to you");
      expect(await list.innerText()).toContain("Page 1 of");
      await list.getByRole("button", { name: "Next →" }).click();
      const ts = await list.getAttribute("data-ts");
      await expect
        .poll(() => page.locator(`article[data-ts="${ts}"]`).innerText())
        .toContain("Page 2 of");
      expect(
        await page
          .locator(`article[data-ts="${ts}"]`)
          .getByRole("button", { name: "← Previous" })
          .count(),
      ).toBe(1);
    });
  });

  it("shows validation errors under the right input and keeps what was typed", async () => {
    const { page } = w;
    await openAs(w);
    await openLaunchForm();
    const filled = await fillEveryInput(page, { "Employee full name": "Grace Hopper" });
    // The tag search is an external select: its options came from the bot (block_suggestion).
    expect(filled.Tags).toBeTruthy();
    const email = inputBlock(page, "Personal email");
    await email.locator("input").fill("");
    const submit = modal(page).locator("footer button[type=submit]");

    // Slack's own client: a required input left empty.
    await submit.click();
    await expect
      .poll(() => email.locator(".input-error").innerText())
      .toBe("Please complete this required field.");
    expect(await modal(page).locator(".has-error").count()).toBe(1);

    // The bot's check: a name of only spaces, answered with response_action "errors".
    await email.locator("input").fill("grace@example.com");
    const nameBlock = inputBlock(page, "Process name");
    await nameBlock.locator("input").fill("   ");
    await submit.click();
    await expect.poll(() => nameBlock.locator(".input-error").innerText()).not.toBe("");
    expect(await nameBlock.getAttribute("class")).toContain("has-error");
    expect(await email.locator(".input-error").innerText()).toBe("");
    expect(await modal(page).locator(".has-error").count()).toBe(1);
    expect(await inputBlock(page, "Employee full name").locator("input").inputValue()).toBe(
      "Grace Hopper",
    );
    expect(await email.locator("input").inputValue()).toBe("grace@example.com");
    expect(sandboxRuns().some((r) => JSON.stringify(r.prerun).includes("Grace Hopper"))).toBe(
      false,
    );
  });

  it("switching users shows each one's own connection and private replies", async () => {
    const { page } = w;
    await openAs(w, "U0BOB");
    await slash(page, "/tallyfy connect");
    await modal(page).getByRole("textbox").fill(SEED.users.bob.token);
    await modal(page).locator("footer button[type=submit]").click();
    await expect
      .poll(() => w.pg.slack.openView("U0BOB")?.view.title.text ?? "closed")
      .not.toBe("Connect Tallyfy");
    if (await modal(page).count()) await modal(page).locator("footer button[type=button]").click();
    await expect.poll(() => modal(page).count()).toBe(0);

    const mine = page.locator("article.message[data-ephemeral=true]");
    const before = await mine.count();
    await slash(page, "/tallyfy whoami");
    await expect.poll(() => mine.count()).toBe(before + 1);
    expect(await mine.last().innerText()).toContain("Bob Brown");

    await page.getByLabel("You are").selectOption("U0ALICE");
    await page.waitForURL(/user=U0ALICE/);
    await expect.poll(() => mine.count()).toBe(0);
    await slash(page, "/tallyfy whoami");
    await expect.poll(() => mine.count()).toBe(1);
    expect(await mine.innerText()).toContain("Alice Anders");
    expect(await mine.innerText()).not.toContain("Bob Brown");
  });
});
