/**
 * Tasks on the playground page in a real browser: a task made from a message through its
 * "More actions" menu, the task list as `/tallyfy tasks` draws it (buttons, overflow menus and
 * due dates in the reader's zone), and completing a form task and an approval.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED_TASKS } from "../../sandbox/tallyfy/seed-tasks.ts";
import { SEED } from "../../sandbox/tallyfy/server.ts";
import { rowActionsBlockId, rowBlockId } from "../../src/blocks/tasks/ids.ts";
import { renderTaskList } from "../../src/blocks/tasks/list.ts";
import { tomorrowAt } from "../../src/blocks/tasks/when.ts";
import { type Task, taskSchema } from "../../src/tallyfy/task-schemas.ts";
import {
  artifact,
  type BrowserWorld,
  cardNamed,
  fillEveryInput,
  HAVE_BROWSER,
  inputBlock,
  modal,
  openAs,
  slackApi,
  slash,
  startWorld,
} from "./support.ts";

const BROWSER_TZ = "Europe/Paris";
let w: BrowserWorld;

/** Runs a named step, so a failure says which part of the story broke (and shows it). */
async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const file = `failed-tasks-${name.replace(/\W+/g, "-")}.png`;
    await w.page.screenshot({ path: artifact(file) }).catch(() => undefined);
    throw new Error(`step "${name}" failed: ${(error as Error).message}`, { cause: error });
  }
}

/** A datetime-local value ("2026-11-23T23:00") for `date` in the browser's zone. */
function localInput(date: Date): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: BROWSER_TZ,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(date)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

describe.skipIf(!HAVE_BROWSER)("playground tasks", () => {
  beforeAll(async () => {
    w = await startWorld({ timezoneId: BROWSER_TZ });
  }, 30_000);
  afterAll(async () => {
    await w?.close();
  });
  beforeEach(() => {
    w.pg.sandbox?.reset();
    w.pg.slack.reset();
  });

  it("creates a task from a message through its More actions menu", {
    timeout: 30_000,
  }, async () => {
    const { page } = w;
    await openAs(w);

    const message = await step("post a message", async () => {
      const composer = page.getByRole("textbox", { name: "Message" });
      await composer.fill("Order the new laptops\nFor the design team <by Friday>");
      await composer.press("Enter");
      const posted = page
        .locator("article.message[data-ephemeral=false]")
        .filter({ hasText: "Order the new laptops" });
      await posted.waitFor();
      expect(await posted.innerText()).toContain("For the design team <by Friday>");
      return posted;
    });

    const before = new Date();
    await step("More actions → Create Tallyfy task opens the prefilled modal", async () => {
      await message.hover();
      await message.getByRole("button", { name: "Message actions" }).click();
      const menu = message.getByRole("menu");
      expect(await menu.getByRole("menuitem").allInnerTexts()).toContain("Create Tallyfy task");
      await page.screenshot({ path: artifact("message-more-actions.png") });
      await menu.getByRole("menuitem", { name: "Create Tallyfy task" }).click();
      const title = inputBlock(page, "Title").locator("input");
      await title.waitFor();
      expect(await title.inputValue()).toBe("Order the new laptops");
      const description = await inputBlock(page, "Description").locator("textarea").inputValue();
      expect(description).toContain("For the design team <by Friday>");
      expect(description).toMatch(/From Slack: https:\/\/acme\.slack\.com\/archives\/C0OPS\/p\d+/);
      expect(await inputBlock(page, "Assign to").locator(".chip").allInnerTexts()).toEqual([
        expect.stringContaining("Alice"),
      ]);
      // Tomorrow 17:00 in Alice's Slack zone (New York), shown in the browser's (Paris).
      const deadline = await inputBlock(page, "Deadline").locator("input").inputValue();
      const expected = [before, new Date()].map((d) =>
        localInput(tomorrowAt(d, "America/New_York")),
      );
      expect(expected).toContain(deadline);
      await modal(page)
        .locator(".modal-body")
        .evaluate((el) => el.scrollTo(0, 0));
      await page.screenshot({ path: artifact("create-task-modal.png") });
    });

    await step("create an approval; its card lands in the message's thread", async () => {
      await inputBlock(page, "Type").getByLabel("Approval").check();
      await modal(page).locator("footer button[type=submit]").click();
      const card = cardNamed(page, "Order the new laptops");
      await card.waitFor({ timeout: 10_000 });
      expect(await card.innerText()).toContain("replied in a thread");
      for (const name of ["Approve", "Reject", "Open in Tallyfy"]) {
        expect(await card.getByRole("button", { name }).count()).toBe(1);
      }
      const created = w.pg.sandbox?.state.oneOffTasks.filter(
        (t) => t.title === "Order the new laptops",
      );
      expect(created).toHaveLength(1);
      expect(created?.[0]).toMatchObject({ task_type: "approval", users: [SEED.users.admin.id] });
      await modal(page).getByText("The task is in the message's thread").waitFor();
      await modal(page).locator("footer button[type=button]").click();
      await expect.poll(() => modal(page).count()).toBe(0);
      await page.screenshot({ path: artifact("task-card.png") });
    });
  });

  it("renders the task list: decision buttons, the overflow menu, due dates in the reader's zone", async () => {
    const { page } = w;
    await openAs(w);
    const hex = (n: number) => n.toString(16).padStart(32, "0");
    const due = new Date(Date.now() + 3 * 86_400_000);
    due.setUTCHours(9, 0, 0, 0);
    const task = (n: number, type: string, title: string): Task =>
      taskSchema.parse({
        id: hex(n),
        title,
        task_type: type,
        status: "not-started",
        run_id: hex(100 + n),
        is_oneoff_task: n === 3,
        deadline: due.toISOString(),
        run: { data: { id: hex(100 + n), name: "Onboarding – Maria" } },
        owners: { users: [1001], guests: [], groups: [] },
      });
    const tasks = [
      task(1, "approval", "Approve the budget"),
      task(2, "expiring", "Read the policy"),
      task(3, "task", "Call Globex"),
      { ...task(4, "task", "File the expenses"), deadline: "2020-01-01T09:00:00Z" },
    ];
    const list = renderTaskList(tasks, {
      taskUrl: (t) => `https://go.tallyfy.test/acme/tasks/${t.id}`,
      runUrl: (id) => `https://go.tallyfy.test/acme/processes/${id}`,
      state: { filter: "all", page: 1 },
      timeZone: "UTC",
    });
    await slackApi(w.pg, "chat.postMessage", { channel: "C0OPS", ...list });
    const row = (n: number) => page.locator(`[data-block-id="${rowActionsBlockId(hex(n))}"]`);
    await row(1).waitFor();
    expect(await row(1).getByRole("button").allInnerTexts()).toEqual(["Approve", "Reject", "⋯"]);
    expect(await row(2).getByRole("button").allInnerTexts()).toEqual(["Acknowledge", "⋯"]);
    expect(await row(3).getByRole("button").allInnerTexts()).toEqual(["Complete", "⋯"]);

    await row(3).getByRole("button", { name: "More actions" }).click();
    expect(await row(3).getByRole("menuitem").allInnerTexts()).toEqual([
      "Comment",
      "Open in Tallyfy",
    ]);
    await row(3).getByRole("button", { name: "More actions" }).blur();

    // Every emoji the list uses is drawn, none left as a :shortcode:.
    const whole = page.locator("article.message").filter({ has: row(1) });
    expect(await whole.innerText()).not.toMatch(/:[a-z_]+:/);

    const text = page.locator(`[data-block-id="${rowBlockId(hex(3))}"]`);
    expect(await text.innerText()).toContain("Call Globex");
    expect(await text.innerText()).toContain("One-off task");
    // The date token in Paris time (09:00 UTC is 10:00 or 11:00 there), not the UTC fallback.
    const shown = await text.locator(".slack-date").innerText();
    const paris = new Intl.DateTimeFormat("en-US", {
      timeZone: BROWSER_TZ,
      hour: "numeric",
      minute: "2-digit",
    }).format(due);
    expect(shown).toContain(paris);
    expect(shown).not.toContain("UTC");
  });

  it("completes a form task and an approval from /tallyfy tasks", {
    timeout: 40_000,
  }, async () => {
    const { page } = w;
    await openAs(w);
    const survey = SEED_TASKS.oneOff("admin", "form");
    const pto = SEED_TASKS.oneOff("admin", "today");
    const oneOff = (id: string) => w.pg.sandbox?.state.oneOffTasks.find((t) => t.id === id);

    const list = await step("/tallyfy tasks lists Alice's tasks privately", async () => {
      await slash(page, "/tallyfy tasks");
      const mine = page
        .locator("article.message[data-ephemeral=true]")
        .filter({ has: page.locator(`[data-block-id^="task_"]`) });
      await mine.waitFor({ timeout: 10_000 });
      expect(await mine.innerText()).toContain("Only visible to you");
      // The list is redrawn in place when paging: follow the message, not its words.
      return page.locator(`article[data-ts="${await mine.getAttribute("data-ts")}"]`);
    });

    /** The task's row, paging on with Next → until it shows. */
    async function rowOf(taskId: string) {
      const row = list.locator(`[data-block-id="${rowBlockId(taskId)}"]`);
      for (let pageNo = 1; pageNo <= 3 && (await row.count()) === 0; pageNo++) {
        await list.getByRole("button", { name: "Next →" }).click();
        await expect.poll(() => list.innerText()).toContain(`Page ${pageNo + 1}`);
      }
      await row.waitFor();
      return row;
    }

    await step("Approve on the approval records it and redraws the row", async () => {
      await rowOf(pto);
      await list
        .locator(`[data-block-id="${rowActionsBlockId(pto)}"]`)
        .getByRole("button", { name: "Approve" })
        .click();
      await expect
        .poll(() => list.locator(`[data-block-id="${rowBlockId(pto)}"]`).innerText())
        .toContain("Approved by");
      expect(oneOff(pto)?.status).toBe("completed");
      expect(w.pg.sandbox?.completions(pto)).toBe(1);
    });

    await step("Complete on the form task opens its form; submitting completes it", async () => {
      await rowOf(survey);
      await list
        .locator(`[data-block-id="${rowActionsBlockId(survey)}"]`)
        .getByRole("button", { name: "Complete" })
        .click();
      await inputBlock(page, "Your team").waitFor();
      await fillEveryInput(page, { "Your team": "Design", "Backup email": "alice@example.com" });
      await modal(page).locator("footer button[type=submit]").click();
      await expect.poll(() => oneOff(survey)?.status, { timeout: 10_000 }).toBe("completed");
      expect(JSON.stringify(oneOff(survey)?.taskdata)).toContain("Design");
      expect(w.pg.sandbox?.completions(survey)).toBe(1);
      // The modal may close itself or show where the task went: close it if it is still up.
      await modal(page)
        .locator("footer button[type=button]")
        .click({ timeout: 3_000 })
        .catch(() => {});
      await expect
        .poll(() => list.locator(`[data-block-id="${rowBlockId(survey)}"]`).innerText())
        .toContain("Completed by");
      await page.screenshot({ path: artifact("tasks-list.png") });
    });
  });
});
