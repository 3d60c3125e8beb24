/**
 * The page renders whatever the bot sends: messages, mrkdwn, ephemerals, in-place updates and
 * modals with every input element, read back in the exact shapes Slack puts in state.values.
 * The bot's side is played through the fake Slack Web API (the same calls the bot makes).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type BrowserWorld,
  choose,
  HAVE_BROWSER,
  inputBlock,
  modal,
  openAs,
  slackApi,
  startWorld,
} from "./support.ts";

const TZ = "Asia/Tokyo";
const EPOCH = 1_700_000_000;

describe.skipIf(!HAVE_BROWSER)("playground rendering", () => {
  let w: BrowserWorld;
  beforeAll(async () => {
    w = await startWorld({ timezoneId: TZ });
  }, 30_000);
  afterAll(async () => {
    await w?.close();
  });
  beforeEach(() => {
    w.pg.slack.reset();
  });

  it("renders mrkdwn, fields, context and live in-place updates", async () => {
    await openAs(w);
    const text = [
      "*bold* _italic_ ~gone~ `x < y` <https://example.com/a?b=1&amp;c=2|a link>",
      `<@U0BOB> in <#C0OPS> says &lt;b&gt;hi&lt;/b&gt; &amp; more :warning:`,
      `due <!date^${EPOCH}^{date_num} {time}|14 Nov 2023, 22:13 UTC>`,
      `odd <!date^${EPOCH}^{nonsense}|the fallback>`,
      ">quoted line",
      "```const a = 1 < 2;```",
    ].join("\n");
    const posted = await slackApi(w.pg, "chat.postMessage", {
      channel: "C0OPS",
      text: "fallback",
      blocks: [
        { type: "header", text: { type: "plain_text", text: "A header" } },
        { type: "section", text: { type: "mrkdwn", text } },
        {
          type: "section",
          fields: [
            { type: "mrkdwn", text: "*Status*\nActive" },
            { type: "mrkdwn", text: "*Owner*\n<@U0CAROL>" },
          ],
          accessory: {
            type: "overflow",
            action_id: "more",
            options: [
              { text: { type: "plain_text", text: "One" }, value: "1" },
              { text: { type: "plain_text", text: "Two" }, value: "2" },
            ],
          },
        },
        { type: "divider" },
        { type: "context", elements: [{ type: "mrkdwn", text: "context _line_" }] },
        {
          type: "actions",
          elements: [
            {
              type: "button",
              action_id: "go",
              text: { type: "plain_text", text: "Go" },
              style: "primary",
            },
            {
              type: "static_select",
              action_id: "pick",
              placeholder: { type: "plain_text", text: "Pick one" },
              options: [{ text: { type: "plain_text", text: "Alpha" }, value: "a" }],
            },
          ],
        },
      ],
    });
    const message = w.page.locator(`article[data-ts="${posted.ts}"]`);
    const section = message.locator(".block-section").first();
    await section.waitFor();

    await expect.poll(() => section.locator("b").first().innerText()).toBe("bold");
    expect(await section.locator("i").first().innerText()).toBe("italic");
    expect(await section.locator("s").innerText()).toBe("gone");
    expect(await section.locator("code").innerText()).toBe("x < y");
    const link = section.getByRole("link", { name: "a link" });
    expect(await link.getAttribute("href")).toBe("https://example.com/a?b=1&c=2");
    const sectionText = await section.innerText();
    expect(sectionText).toContain("@Bob Brown in #ops says <b>hi</b> & more ⚠️");
    // The reader's time zone (Tokyo), not the server's or UTC.
    const tokyo = new Intl.DateTimeFormat("en-US", {
      timeZone: TZ,
      hour: "numeric",
      minute: "2-digit",
    }).format(new Date(EPOCH * 1000));
    expect(sectionText).toContain(`due 2023-11-15 ${tokyo}`);
    expect(sectionText).toContain("odd the fallback");
    expect(await section.locator("blockquote").innerText()).toBe("quoted line");
    expect(await section.locator("pre").innerText()).toBe("const a = 1 < 2;");

    expect(await message.locator("h3.block-header").innerText()).toBe("A header");
    expect(await message.locator(".section-fields .field").nth(1).innerText()).toBe(
      "Owner\n@Carol Chen",
    );
    expect(await message.locator("hr.block-divider").count()).toBe(1);
    expect(await message.locator(".block-context").innerText()).toBe("context line");
    expect(await message.getByRole("button", { name: "Go" }).getAttribute("class")).toContain(
      "btn-primary",
    );
    expect(await message.getByRole("button", { name: "More actions" }).count()).toBe(1);
    expect(await message.getByRole("combobox").getAttribute("placeholder")).toBe("Pick one");

    // chat.update reaches the open page by itself, in place, marked edited.
    await slackApi(w.pg, "chat.update", {
      channel: "C0OPS",
      ts: posted.ts,
      text: "changed",
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "*Updated* in place" } }],
    });
    await expect.poll(() => message.innerText()).toContain("Updated in place");
    expect(await message.innerText()).toContain("(edited)");
    expect(await w.page.locator("article.message").count()).toBe(1);
  });

  it("shows an ephemeral message only to its user, marked as such", async () => {
    await openAs(w);
    const everyone = await slackApi(w.pg, "chat.postMessage", {
      channel: "C0OPS",
      text: "for everyone",
    });
    const { message_ts } = await slackApi(w.pg, "chat.postEphemeral", {
      channel: "C0OPS",
      user: "U0ALICE",
      text: "just for *Alice*",
    });
    const mine = w.page.locator(`article[data-ts="${message_ts}"]`);
    const shared = w.page.locator(`article[data-ts="${everyone.ts}"]`);
    await expect.poll(() => mine.innerText()).toContain("Only visible to you");
    expect(await mine.innerText()).toContain("just for Alice");
    expect(await shared.innerText()).not.toContain("Only visible to you");

    await w.page.getByLabel("You are").selectOption("U0BOB");
    await w.page.waitForURL(/user=U0BOB/);
    await expect.poll(() => mine.count()).toBe(0);
    expect(await shared.innerText()).toContain("for everyone");
  });

  it("renders every input element a modal uses and submits Slack-shaped values", async () => {
    await openAs(w);
    const option = (text: string, value = text.toLowerCase()) => ({
      text: { type: "plain_text", text },
      value,
    });
    const input = (block_id: string, label: string, element: object, optional = false) => ({
      type: "input",
      block_id,
      label: { type: "plain_text", text: label },
      element: { action_id: "v", ...element },
      optional,
    });
    await slackApi(w.pg, "views.open", {
      trigger_id: w.pg.slack.triggerId({ userId: "U0ALICE" }),
      view: {
        type: "modal",
        callback_id: "every_element",
        title: { type: "plain_text", text: "Every element" },
        submit: { type: "plain_text", text: "Send" },
        close: { type: "plain_text", text: "Cancel" },
        blocks: [
          input("single", "Single line", { type: "plain_text_input", initial_value: "kept" }),
          input("multi", "Multi line", { type: "plain_text_input", multiline: true }),
          input("email", "Email", { type: "email_text_input" }),
          input("date", "Date", { type: "datepicker" }),
          input("when", "Date and time", { type: "datetimepicker" }),
          input("radio", "Radio", {
            type: "radio_buttons",
            options: [option("Office"), option("Remote")],
          }),
          input("checks", "Checks", {
            type: "checkboxes",
            options: [option("Email"), option("VPN")],
          }),
          input("static", "Static", {
            type: "static_select",
            options: [option("Sales"), option("Finance")],
          }),
          input("multistatic", "Multi static", {
            type: "multi_static_select",
            options: [option("Red"), option("Green"), option("Blue")],
          }),
          input("ext", "External", { type: "external_select", min_query_length: 1 }),
          input("multiext", "Multi external", {
            type: "multi_external_select",
            min_query_length: 0,
          }),
          input("user", "User", { type: "users_select" }),
          input("users", "Users", { type: "multi_users_select" }),
          input("conv", "Conversation", {
            type: "conversations_select",
            default_to_current_conversation: true,
          }),
          input("spare", "Spare", { type: "plain_text_input" }, true),
        ],
      },
    });
    const dialog = modal(w.page);
    await dialog.getByRole("heading", { name: "Every element" }).waitFor();

    // External selects ask the app (block_suggestion) through the playground; answered here.
    const asked: Record<string, unknown>[] = [];
    await w.page.route("**/play/suggest", async (route) => {
      const body = route.request().postDataJSON() as Record<string, unknown>;
      asked.push(body);
      await route.fulfill({
        json: {
          ok: true,
          options: [option(`Found ${String(body.value)}`, `id-${String(body.value)}`)],
        },
      });
    });
    let submitted: Record<string, unknown> | undefined;
    await w.page.route("**/play/submit", async (route) => {
      submitted = route.request().postDataJSON() as Record<string, unknown>;
      await route.fulfill({ json: { ok: true } });
    });

    // Required inputs left empty: Slack's client refuses, naming each one.
    await dialog.getByRole("button", { name: "Send" }).click();
    await expect
      .poll(() => inputBlock(w.page, "Email").locator(".input-error").innerText())
      .toBe("Please complete this required field.");
    expect(await inputBlock(w.page, "Single line").locator(".input-error").innerText()).toBe("");
    expect(await inputBlock(w.page, "Spare").locator(".input-error").innerText()).toBe("");
    expect(submitted).toBeUndefined();

    await inputBlock(w.page, "Multi line").locator("textarea").fill("line one\nline two");
    await inputBlock(w.page, "Email").locator("input").fill("not-an-email");
    await inputBlock(w.page, "Date").locator("input").fill("2030-03-14");
    await inputBlock(w.page, "Date and time").locator("input").fill("2030-03-14T09:30");
    await inputBlock(w.page, "Radio").getByLabel("Remote").check();
    await inputBlock(w.page, "Checks").getByLabel("Email").check();
    await inputBlock(w.page, "Checks").getByLabel("VPN").check();
    await choose(inputBlock(w.page, "Static"), "Finance");
    await choose(inputBlock(w.page, "Multi static"), "Red");
    await choose(inputBlock(w.page, "Multi static"), "Blue");
    const ext = inputBlock(w.page, "External");
    await ext.getByRole("combobox").click();
    await expect
      .poll(() => ext.getByRole("listbox").innerText())
      .toContain("Type at least 1 character");
    await ext.getByRole("combobox").pressSequentially("fin");
    await ext.getByRole("option", { name: "Found fin" }).click();
    await choose(inputBlock(w.page, "Multi external"), "Found");
    await choose(inputBlock(w.page, "User"), "Bob Brown");
    await choose(inputBlock(w.page, "Users"), "Carol Chen");
    await choose(inputBlock(w.page, "Users"), "Dave Diaz");

    await dialog.getByRole("button", { name: "Send" }).click();
    await expect
      .poll(() => inputBlock(w.page, "Email").locator(".input-error").innerText())
      .toBe("Please enter a valid email address.");
    expect(submitted).toBeUndefined();
    await inputBlock(w.page, "Email").locator("input").fill("grace@example.com");
    await dialog.getByRole("button", { name: "Send" }).click();
    await expect.poll(() => submitted).toBeDefined();

    expect(asked.at(-2)).toMatchObject({ blockId: "ext", actionId: "v", value: "fin" });
    const expectedEpoch = Date.parse("2030-03-14T09:30:00+09:00") / 1000;
    const sel = (text: string, value: string) => ({ text: { type: "plain_text", text }, value });
    expect(submitted?.values).toEqual({
      single: { v: { type: "plain_text_input", value: "kept" } },
      multi: { v: { type: "plain_text_input", value: "line one\nline two" } },
      email: { v: { type: "email_text_input", value: "grace@example.com" } },
      date: { v: { type: "datepicker", selected_date: "2030-03-14" } },
      when: { v: { type: "datetimepicker", selected_date_time: expectedEpoch } },
      radio: { v: { type: "radio_buttons", selected_option: sel("Remote", "remote") } },
      checks: {
        v: { type: "checkboxes", selected_options: [sel("Email", "email"), sel("VPN", "vpn")] },
      },
      static: { v: { type: "static_select", selected_option: sel("Finance", "finance") } },
      multistatic: {
        v: {
          type: "multi_static_select",
          selected_options: [sel("Red", "red"), sel("Blue", "blue")],
        },
      },
      ext: { v: { type: "external_select", selected_option: sel("Found fin", "id-fin") } },
      multiext: { v: { type: "multi_external_select", selected_options: [sel("Found ", "id-")] } },
      user: { v: { type: "users_select", selected_user: "U0BOB" } },
      users: { v: { type: "multi_users_select", selected_users: ["U0CAROL", "U0DAVE"] } },
      conv: { v: { type: "conversations_select", selected_conversation: "C0OPS" } },
      spare: { v: { type: "plain_text_input", value: null } },
    });
    await w.page.unroute("**/play/suggest");
    await w.page.unroute("**/play/submit");

    // Close sends nothing the bot must answer (no notify_on_close) and removes the overlay.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(() => modal(w.page).count()).toBe(0);
    expect(w.pg.slack.openView("U0ALICE")).toBeUndefined();
  });
});
