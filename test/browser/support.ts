/**
 * Browser-test helpers: Debian's Chromium driven by playwright-core (never a downloaded
 * browser), the playground started in-process, and a few Slack-user gestures on the page.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";
import { type Playground, startPlayground } from "../../playground/server.ts";
import type { Json } from "../../sandbox/slack/fake-slack.ts";
import { silentLogger } from "../../src/log.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Without a browser the tests are skipped locally, but CI must have one. */
export const HAVE_BROWSER = existsSync(CHROMIUM) || Boolean(process.env.CI);
export const ARTIFACTS = join(import.meta.dirname, "..", "..", "test-artifacts");

export interface BrowserWorld {
  pg: Playground;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** The playground on a free port and a fresh Chromium profile, 1000 px wide. */
export async function startWorld(opts: { timezoneId?: string } = {}): Promise<BrowserWorld> {
  const pg = await startPlayground({ port: 0, logger: silentLogger, env: {} });
  const profile = mkdtempSync(join(tmpdir(), "playground-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
      viewport: { width: 1000, height: 720 },
      timezoneId: opts.timezoneId ?? "Europe/Paris",
      locale: "en-US",
    });
  } catch (error) {
    await pg.close();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(8_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return {
    pg,
    context,
    page,
    async close() {
      await context.close();
      await pg.close();
      rmSync(profile, { recursive: true, force: true });
      expect(errors, "errors thrown in the page").toEqual([]);
    },
  };
}

/** Open the page as `user` in `channel` and wait until the workspace has loaded. */
export async function openAs(w: BrowserWorld, user = "U0ALICE", channel = "C0OPS") {
  await w.page.goto(`${w.pg.url}/?user=${user}&channel=${channel}`);
  await w.page.locator("#channels a").first().waitFor();
}

/** Type a slash command into the composer and press Enter, as a user would. */
export async function slash(page: Page, text: string): Promise<void> {
  const composer = page.getByRole("textbox", { name: "Message" });
  await composer.fill(text);
  await composer.press("Enter");
}

export function modal(page: Page): Locator {
  return page.getByRole("dialog");
}

/** The non-ephemeral message whose header is `name`. */
export function cardNamed(page: Page, name: string): Locator {
  return page
    .locator("article.message[data-ephemeral=false]")
    .filter({ has: page.locator("h3.block-header", { hasText: name }) });
}

/** The input block labelled exactly `label` in the open modal. */
export function inputBlock(page: Page, label: string): Locator {
  const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}( \\(optional\\))?$`);
  return modal(page)
    .locator(".block-input")
    .filter({ has: page.locator(".input-label", { hasText: exact }) });
}

/** Open a select and choose an option: the first one, or the one named. */
export async function choose(picker: Locator, name?: string): Promise<string> {
  const input = picker.getByRole("combobox");
  await input.click();
  const menu = picker.getByRole("listbox");
  const option = name ? menu.getByRole("option", { name }) : menu.getByRole("option").first();
  await option.waitFor();
  const text = (await option.innerText()).split("\n")[0] ?? "";
  await option.click();
  await input.blur();
  return text;
}

/**
 * Fill every input block of the open modal the way a person would, with a plausible value for
 * its element type. Inputs that already hold a value (a prefilled name, a default channel) are
 * left as they are unless given in `answers`; labels in `skip` are not touched. Returns
 * label -> what was entered.
 */
export async function fillEveryInput(
  page: Page,
  answers: Record<string, string> = {},
  skip: string[] = [],
): Promise<Record<string, string>> {
  const filled: Record<string, string> = {};
  const blocks = modal(page).locator(".block-input");
  const count = await blocks.count();
  for (let i = 0; i < count; i++) {
    const block = blocks.nth(i);
    const label = (await block.locator(".input-label").innerText()).replace(" (optional)", "");
    if (skip.includes(label)) continue;
    const element = block.locator("[data-type]").first();
    const type = (await element.getAttribute("data-type")) ?? "";
    const given = answers[label];
    const text = block.locator("input, textarea").first();
    switch (type) {
      case "plain_text_input":
      case "rich_text_input": {
        if (given === undefined && (await text.inputValue()) !== "") break;
        const value = given ?? `Playground ${label.toLowerCase()}`;
        await text.fill(value);
        filled[label] = value;
        break;
      }
      case "email_text_input":
        filled[label] = given ?? "new.hire@example.com";
        await text.fill(filled[label]);
        break;
      case "url_text_input":
        filled[label] = given ?? "https://example.com/doc";
        await text.fill(filled[label]);
        break;
      case "number_input":
        filled[label] = given ?? "3";
        await text.fill(filled[label]);
        break;
      case "datepicker":
        filled[label] = given ?? "2030-03-14";
        await text.fill(filled[label]);
        break;
      case "timepicker":
        filled[label] = given ?? "09:30";
        await text.fill(filled[label]);
        break;
      case "datetimepicker":
        filled[label] = given ?? "2030-03-14T09:30";
        await text.fill(filled[label]);
        break;
      case "radio_buttons":
      case "checkboxes": {
        const option = given ? element.getByLabel(given) : element.locator("input").first();
        await option.check();
        filled[label] = given ?? (await option.getAttribute("value")) ?? "";
        break;
      }
      default: {
        // Every kind of select: leave a chosen value alone, else pick one.
        const current = await element.locator(".chip, .picker-input").first();
        const hasValue =
          (await element.locator(".chip").count()) > 0 ||
          (!type.startsWith("multi_") && (await current.inputValue()) !== "");
        if (hasValue && given === undefined) break;
        filled[label] = await choose(element, given);
      }
    }
  }
  return filled;
}

/** Call the fake Slack Web API as the bot (to put arbitrary Block Kit in front of the page). */
export async function slackApi(pg: Playground, method: string, args: Json): Promise<Json> {
  const res = await fetch(`${pg.slack.apiUrl}${method}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${pg.slack.botToken}`,
      "content-type": "application/json; charset=utf-8",
    },
    body: JSON.stringify(args),
  });
  const body = (await res.json()) as Json;
  if (!body.ok) throw new Error(`${method} failed: ${JSON.stringify(body)}`);
  return body;
}

export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
