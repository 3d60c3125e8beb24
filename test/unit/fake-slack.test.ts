import { createHmac } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, LogLevel, verifySlackRequest, webApi } from "@slack/bolt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SlackDriver } from "../../sandbox/slack/driver.ts";
import {
  ALICE,
  type ChangeEvent,
  type FakeSlack,
  startFakeSlack,
} from "../../sandbox/slack/fake-slack.ts";
import { signSlackRequest } from "../../sandbox/slack/signing.ts";

const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });
const modal = (extra: Record<string, unknown> = {}) => ({
  type: "modal",
  callback_id: "demo",
  title: { type: "plain_text", text: "Demo" },
  submit: { type: "plain_text", text: "Save" },
  blocks: [
    {
      type: "input",
      block_id: "name",
      label: { type: "plain_text", text: "Name" },
      element: { type: "plain_text_input", action_id: "v" },
    },
  ],
  ...extra,
});

/** The WebClient error code, as the bot would read it. */
async function slackError(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as { data?: { error?: string } }).data?.error;
  }
  return undefined;
}

describe("fake Slack Web API, through @slack/web-api's WebClient", () => {
  let slack: FakeSlack;
  let client: webApi.WebClient;

  beforeAll(async () => {
    slack = await startFakeSlack();
    client = new webApi.WebClient(slack.botToken, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      logLevel: webApi.LogLevel.ERROR,
    });
  });
  afterEach(() => slack.reset());
  afterAll(() => slack.close());

  it("answers auth.test and rejects a wrong or missing token with invalid_auth/not_authed", async () => {
    const me = await client.auth.test();
    expect(me).toMatchObject({ ok: true, team_id: "T0ACME", user_id: slack.botUserId });
    const stranger = new webApi.WebClient("xoxb-wrong", { slackApiUrl: slack.apiUrl });
    expect(await slackError(stranger.auth.test())).toBe("invalid_auth");
    const res = await fetch(`${slack.apiUrl}auth.test`, { method: "POST" });
    expect(await res.json()).toEqual({ ok: false, error: "not_authed" });
  });

  it("posts a message with blocks (form-encoded JSON field) and records the call", async () => {
    const res = await client.chat.postMessage({
      channel: "C0OPS",
      text: "Run started",
      blocks: [section("*Onboard Ann*")],
    });
    expect(res.ok).toBe(true);
    expect(res.channel).toBe("C0OPS");
    expect(res.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(res.message?.blocks?.[0]).toMatchObject({ type: "section" });
    const [msg] = slack.messages("C0OPS");
    expect(msg).toMatchObject({ ts: res.ts, text: "Run started", bot: true });
    expect(msg?.blocks[0]?.text.text).toBe("*Onboard Ann*");
    const call = slack.callsTo("chat.postMessage")[0];
    expect(call?.args.blocks).toEqual([section("*Onboard Ann*")]);
    expect(call?.args.token).toBeUndefined();
    expect(call?.response.ok).toBe(true);
  });

  it("accepts JSON bodies with a bearer token too", async () => {
    const res = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        authorization: `Bearer ${slack.botToken}`,
      },
      body: JSON.stringify({ channel: "C0OPS", text: "json", blocks: [section("x")] }),
    });
    const body = (await res.json()) as { ok: boolean; ts: string };
    expect(body.ok).toBe(true);
    expect(slack.message("C0OPS", body.ts)?.blocks).toHaveLength(1);
  });

  it("needs membership: not_in_channel until conversations.join; private channels stay closed", async () => {
    expect(await slackError(client.chat.postMessage({ channel: "C0GENERAL", text: "x" }))).toBe(
      "not_in_channel",
    );
    const joined = await client.conversations.join({ channel: "C0GENERAL" });
    expect(joined.channel?.is_member).toBe(true);
    await client.chat.postMessage({ channel: "C0GENERAL", text: "now" });
    expect(slack.messages("C0GENERAL").map((m) => m.text)).toEqual(["now"]);

    expect(await slackError(client.chat.postMessage({ channel: "C0LEADERS", text: "x" }))).toBe(
      "channel_not_found",
    );
    expect(await slackError(client.conversations.join({ channel: "C0LEADERS" }))).toBe(
      "channel_not_found",
    );
    expect(await slackError(client.chat.postMessage({ channel: "", text: "x" }))).toBe(
      "channel_not_found",
    );
  });

  it("reset() restores seeded membership", async () => {
    await client.conversations.join({ channel: "C0GENERAL" });
    slack.reset();
    expect(slack.channel("C0GENERAL")?.botMember).toBe(false);
  });

  it("posts to a user id in the bot's DM with them", async () => {
    const res = await client.chat.postMessage({ channel: ALICE.id, text: "hi Alice" });
    expect(res.channel).toBe("D0ALICE");
    expect(slack.messages("D0ALICE")[0]?.text).toBe("hi Alice");
  });

  it("validates blocks like Slack: > 50 blocks, long button text, no content", async () => {
    const many = Array.from({ length: 51 }, (_, i) => section(`row ${i}`));
    expect(
      await slackError(client.chat.postMessage({ channel: "C0OPS", text: "x", blocks: many })),
    ).toBe("invalid_blocks");
    const button = {
      type: "actions",
      elements: [
        { type: "button", action_id: "a", text: { type: "plain_text", text: "x".repeat(76) } },
      ],
    };
    expect(
      await slackError(client.chat.postMessage({ channel: "C0OPS", text: "x", blocks: [button] })),
    ).toBe("invalid_blocks");
    expect(await slackError(client.chat.postMessage({ channel: "C0OPS", text: "" }))).toBe(
      "no_text",
    );
    expect(slack.messages("C0OPS")).toEqual([]);
  });

  it("answers Slack's own errors from the shared rule table, with the pointer in response_metadata", async () => {
    const failure = async (p: Promise<unknown>) => {
      try {
        await p;
      } catch (e) {
        const data = (e as { data: { error: string; response_metadata?: { messages?: string[] } } })
          .data;
        return [data.error, data.response_metadata?.messages?.[0]];
      }
      return ["ok"];
    };
    const pt = (text: string) => ({ type: "plain_text", text });
    const multi = { type: "multi_users_select", action_id: "who", placeholder: pt("Who") };
    expect(
      await failure(
        client.chat.postMessage({
          channel: "C0OPS",
          text: "x",
          blocks: [{ type: "actions", elements: [multi] }] as never,
        }),
      ),
    ).toEqual([
      "invalid_blocks",
      "[ERROR] multi_users_select is not allowed in actions blocks [json-pointer:/blocks/0/elements/0/type]",
    ]);
    const input = { type: "input", label: pt("Name"), element: { type: "plain_text_input" } };
    expect(
      await failure(client.chat.postMessage({ channel: "C0OPS", text: "x", blocks: [input] })),
    ).toEqual([
      "invalid_blocks",
      "[ERROR] input blocks are not allowed in a message [json-pointer:/blocks/0/type]",
    ]);
    const long = Array.from({ length: 5 }, () => section("y".repeat(2500)));
    expect(
      (await failure(client.chat.postMessage({ channel: "C0OPS", text: "x", blocks: long })))[0],
    ).toBe("msg_blocks_too_long");
    expect(slack.messages("C0OPS")).toEqual([]);
    const home = { type: "home", blocks: [section("hi")] };
    expect(
      await failure(client.views.open({ trigger_id: slack.triggerId(), view: home as never })),
    ).toEqual([
      "invalid_arguments",
      "[ERROR] must be a valid enum value [json-pointer:/view/type]",
    ]);
    expect(
      await failure(
        client.views.open({
          trigger_id: slack.triggerId(),
          view: modal({ submit_disabled: true }) as never,
        }),
      ),
    ).toEqual([
      "invalid_arguments",
      "[ERROR] invalid additional property: submit_disabled [json-pointer:/view]",
    ]);
  });

  it("chat.update replaces text and blocks, keeps blocks when omitted, records updatedAt", async () => {
    const posted = await client.chat.postMessage({
      channel: "C0OPS",
      text: "v1",
      blocks: [section("one")],
    });
    const ts = posted.ts as string;
    await client.chat.update({ channel: "C0OPS", ts, text: "v2", blocks: [section("two")] });
    expect(slack.message("C0OPS", ts)).toMatchObject({
      text: "v2",
      blocks: [{ text: { text: "two" } }],
    });
    expect(slack.message("C0OPS", ts)?.updatedAt).toEqual(expect.any(Number));
    await client.chat.update({ channel: "C0OPS", ts, text: "v3" });
    expect(slack.message("C0OPS", ts)).toMatchObject({
      text: "v3",
      blocks: [{ text: { text: "two" } }],
    });
    expect(
      await slackError(client.chat.update({ channel: "C0OPS", ts: "1.000001", text: "x" })),
    ).toBe("message_not_found");
  });

  it("chat.postEphemeral is seen by one user; chat.delete removes messages", async () => {
    const eph = await client.chat.postEphemeral({ channel: "C0OPS", user: "U0BOB", text: "psst" });
    expect(slack.message("C0OPS", eph.message_ts as string)?.ephemeralTo).toBe("U0BOB");
    expect(
      await slackError(client.chat.postEphemeral({ channel: "C0OPS", user: "U0DAVE", text: "x" })),
    ).toBe("user_not_in_channel");
    const posted = await client.chat.postMessage({ channel: "C0OPS", text: "bye" });
    await client.chat.delete({ channel: "C0OPS", ts: posted.ts as string });
    expect(slack.message("C0OPS", posted.ts as string)).toBeUndefined();
  });

  it("views.open needs a fresh, unused trigger id", async () => {
    const trigger = slack.triggerId({ userId: "U0BOB" });
    const res = await client.views.open({ trigger_id: trigger, view: modal() as never });
    const id = res.view?.id as string;
    expect(res.view).toMatchObject({
      callback_id: "demo",
      state: { values: {} },
      root_view_id: id,
    });
    expect(res.view?.hash).toEqual(expect.any(String));
    expect(slack.openView("U0BOB")?.id).toBe(id);
    expect(
      await slackError(client.views.open({ trigger_id: trigger, view: modal() as never })),
    ).toBe("exchanged_trigger_id");
    expect(
      await slackError(client.views.open({ trigger_id: "123.456.abc", view: modal() as never })),
    ).toBe("invalid_trigger_id");
  });

  it("views.open with an expired trigger id fails with expired_trigger_id", async () => {
    const quick = await startFakeSlack({ triggerTtlMs: 5 });
    try {
      const c = new webApi.WebClient(quick.botToken, { slackApiUrl: quick.apiUrl });
      const trigger = quick.triggerId();
      await new Promise((r) => setTimeout(r, 20));
      expect(await slackError(c.views.open({ trigger_id: trigger, view: modal() as never }))).toBe(
        "expired_trigger_id",
      );
    } finally {
      await quick.close();
    }
  });

  it("views.update: new hash each time, hash_conflict on a stale hash, external_id lookup", async () => {
    const opened = await client.views.open({
      trigger_id: slack.triggerId(),
      view: modal({ external_id: "ext-1" }) as never,
    });
    const id = opened.view?.id as string;
    const first = opened.view?.hash as string;
    const updated = await client.views.update({
      view_id: id,
      hash: first,
      view: modal({ title: { type: "plain_text", text: "Second" } }) as never,
    });
    expect(updated.view?.hash).not.toBe(first);
    expect(slack.views.get(id)?.view.title.text).toBe("Second");
    expect(
      await slackError(client.views.update({ view_id: id, hash: first, view: modal() as never })),
    ).toBe("hash_conflict");
    const byExternal = await client.views.update({
      external_id: "ext-1",
      view: modal({ external_id: "ext-1", title: { type: "plain_text", text: "Third" } }) as never,
    });
    expect(byExternal.view?.id).toBe(id);
    expect(
      await slackError(client.views.update({ view_id: "V0NOPE", view: modal() as never })),
    ).toBe("not_found");
  });

  it("rejects invalid views with invalid_arguments (> 100 blocks, long title)", async () => {
    const blocks = Array.from({ length: 101 }, () => ({ type: "divider" }));
    expect(
      await slackError(
        client.views.open({ trigger_id: slack.triggerId(), view: modal({ blocks }) as never }),
      ),
    ).toBe("invalid_arguments");
    const title = { type: "plain_text", text: "x".repeat(25) };
    expect(
      await slackError(
        client.views.open({ trigger_id: slack.triggerId(), view: modal({ title }) as never }),
      ),
    ).toBe("invalid_arguments");
  });

  it("views.push stacks views on the user's modal", async () => {
    const root = await client.views.open({ trigger_id: slack.triggerId(), view: modal() as never });
    const pushed = await client.views.push({
      trigger_id: slack.triggerId(),
      view: modal() as never,
    });
    const top = slack.openView(ALICE.id);
    expect(top?.id).toBe(pushed.view?.id);
    expect(top?.previousId).toBe(root.view?.id);
    expect(top?.stack).toEqual([root.view?.id, pushed.view?.id]);
    await client.views.push({ trigger_id: slack.triggerId(), view: modal() as never });
    expect(
      await slackError(
        client.views.push({ trigger_id: slack.triggerId(), view: modal() as never }),
      ),
    ).toBe("push_limit_reached");
  });

  it("applies view_submission response_actions: errors, update, push, clear", async () => {
    const opened = await client.views.open({
      trigger_id: slack.triggerId(),
      view: modal() as never,
    });
    const id = opened.view?.id as string;
    expect(
      slack.applyViewResponse(id, { response_action: "errors", errors: { nope: "x" } }),
    ).toMatch(/not an input block/);
    expect(
      slack.applyViewResponse(id, { response_action: "errors", errors: { name: "Too short" } }),
    ).toBeUndefined();
    expect(slack.views.get(id)?.errors).toEqual({ name: "Too short" });

    const before = slack.views.get(id)?.hash;
    const next = modal({ title: { type: "plain_text", text: "Step 2" } });
    expect(slack.applyViewResponse(id, { response_action: "update", view: next })).toBeUndefined();
    expect(slack.views.get(id)).toMatchObject({ open: true, errors: undefined });
    expect(slack.views.get(id)?.hash).not.toBe(before);
    expect(
      slack.applyViewResponse(id, { response_action: "update", view: { type: "modal" } }),
    ).toMatch(/title/);

    expect(slack.applyViewResponse(id, { response_action: "push", view: modal() })).toBeUndefined();
    const top = slack.openView(ALICE.id);
    expect(top?.previousId).toBe(id);
    expect(slack.applyViewResponse(top?.id as string, undefined)).toBeUndefined();
    expect(slack.openView(ALICE.id)?.id).toBe(id);

    slack.applyViewResponse(id, { response_action: "push", view: modal() });
    expect(slack.applyViewResponse(id, { response_action: "clear" })).toBeUndefined();
    expect(slack.openView(ALICE.id)).toBeUndefined();
    expect([...slack.views.values()].every((v) => !v.open)).toBe(true);
  });

  it("users.info and users.lookupByEmail return email and tz; unknown email -> users_not_found", async () => {
    const info = await client.users.info({ user: "U0CAROL" });
    expect(info.user).toMatchObject({
      id: "U0CAROL",
      tz: "Asia/Kolkata",
      profile: { email: "carol@acme.test" },
    });
    expect(info.user?.tz_offset).toBe(19800);
    const found = await client.users.lookupByEmail({ email: "Dave@Acme.test" });
    expect(found.user?.id).toBe("U0DAVE");
    expect(await slackError(client.users.lookupByEmail({ email: "nobody@acme.test" }))).toBe(
      "users_not_found",
    );
    expect(await slackError(client.users.info({ user: "U0NOBODY" }))).toBe("user_not_found");
  });

  it("conversations.info/list/members reflect the workspace", async () => {
    const info = await client.conversations.info({ channel: "C0OPS" });
    expect(info.channel).toMatchObject({ id: "C0OPS", name: "ops", is_member: true });
    const list = await client.conversations.list({ limit: 1 });
    expect(list.channels?.map((c) => c.id)).toEqual(["C0OPS"]);
    const next = await client.conversations.list({
      limit: 5,
      cursor: list.response_metadata?.next_cursor as string,
    });
    expect(next.channels?.map((c) => c.id)).toEqual(["C0GENERAL"]);
    const members = await client.conversations.members({ channel: "C0OPS" });
    expect(members.members).toEqual(["U0ALICE", "U0BOB", "U0CAROL", slack.botUserId]);
  });

  it("unknown methods, failNext and waitFor", async () => {
    expect(await slackError(client.apiCall("made.up"))).toBe("unknown_method");
    slack.failNext("chat.postMessage", "ratelimited");
    expect(await slackError(client.chat.postMessage({ channel: "C0OPS", text: "a" }))).toBe(
      "ratelimited",
    );
    const later = slack.waitFor((c) => c.method === "chat.postMessage" && c.response.ok === true);
    await client.chat.postMessage({ channel: "C0OPS", text: "b" });
    expect((await later).args.text).toBe("b");
    await expect(slack.waitFor((c) => c.method === "never.called", 30)).rejects.toThrow(
      /no matching/,
    );
  });

  it("emits change events for live views of the workspace", async () => {
    const seen: ChangeEvent[] = [];
    const onChange = (e: ChangeEvent) => seen.push(e);
    slack.events.on("change", onChange);
    const posted = await client.chat.postMessage({ channel: "C0OPS", text: "a" });
    await client.chat.update({ channel: "C0OPS", ts: posted.ts as string, text: "b" });
    await client.views.open({ trigger_id: slack.triggerId(), view: modal() as never });
    slack.events.off("change", onChange);
    expect(seen.map((e) => e.kind)).toEqual(["message", "message_updated", "view_opened"]);
  });
});

describe("fake Slack response_url", () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  afterEach(() => slack.reset());
  afterAll(() => slack.close());

  const post = (url: string, body: unknown) =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("a slash command's response_url replies ephemerally by default, in_channel on request", async () => {
    const url = slack.newResponseUrl({ channelId: "C0GENERAL", userId: "U0BOB" });
    const res = await post(url, { text: "only you" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
    await post(url, { text: "everyone", response_type: "in_channel" });
    const msgs = slack.messages("C0GENERAL");
    expect(msgs.map((m) => [m.text, m.ephemeralTo])).toEqual([
      ["only you", "U0BOB"],
      ["everyone", undefined],
    ]);
    expect((await slack.waitForResponse((r) => r.body.text === "everyone")).status).toBe(200);
  });

  it("replace_original replaces the message the URL belongs to; delete_original deletes it", async () => {
    const client = new webApi.WebClient(slack.botToken, { slackApiUrl: slack.apiUrl });
    const card = await client.chat.postMessage({ channel: "C0OPS", text: "card v1" });
    const ts = card.ts as string;
    const url = slack.newResponseUrl({ channelId: "C0OPS", userId: "U0ALICE", messageTs: ts });
    await post(url, { replace_original: true, text: "card v2", blocks: [section("v2")] });
    expect(slack.message("C0OPS", ts)?.text).toBe("card v2");
    expect(slack.message("C0OPS", ts)?.ephemeralTo).toBeUndefined();
    expect(slack.messages("C0OPS")).toHaveLength(1);
    await post(url, { delete_original: true });
    expect(slack.messages("C0OPS")).toEqual([]);
  });

  it("replace_original on an ephemeral reply keeps it ephemeral", async () => {
    const url = slack.newResponseUrl({ channelId: "C0OPS", userId: "U0ALICE" });
    await post(url, { text: "Loading…" });
    await post(url, { replace_original: true, text: "Done" });
    expect(slack.messages("C0OPS").map((m) => [m.text, m.ephemeralTo])).toEqual([
      ["Done", "U0ALICE"],
    ]);
  });

  it("refuses bad bodies and more than five uses", async () => {
    const url = slack.newResponseUrl({ channelId: "C0OPS", userId: "U0ALICE" });
    const many = Array.from({ length: 51 }, () => section("x"));
    expect((await post(url, { text: "x", blocks: many })).status).toBe(400);
    for (let i = 0; i < 4; i++) expect((await post(url, { text: `n${i}` })).status).toBe(200);
    const sixth = await post(url, { text: "too many" });
    expect([sixth.status, await sixth.text()]).toEqual([404, "used_url"]);
    expect((await post(`${slack.url}/response/nope`, { text: "x" })).status).toBe(404);
  });
});

describe("signing", () => {
  it("matches an independent HMAC and Bolt's own verifier", () => {
    const body = "token=x&text=launch+Onboard";
    const ts = Math.floor(Date.now() / 1000);
    const sig = signSlackRequest("shh", ts, body);
    const expected = createHmac("sha256", "shh").update(`v0:${ts}:${body}`).digest("hex");
    expect(sig).toBe(`v0=${expected}`);
    const headers = { "x-slack-signature": sig, "x-slack-request-timestamp": ts };
    expect(() => verifySlackRequest({ signingSecret: "shh", body, headers })).not.toThrow();
    expect(() => verifySlackRequest({ signingSecret: "shh", body: `${body}x`, headers })).toThrow(
      /signature mismatch/,
    );
  });
});

describe("SlackDriver against a real Bolt app", () => {
  const SECRET = "test-signing-secret";
  let slack: FakeSlack;
  let app: App;
  let driver: SlackDriver;
  const submissions: Record<string, unknown>[] = [];
  const closed: string[] = [];
  const clicks: Record<string, unknown>[] = [];

  beforeAll(async () => {
    slack = await startFakeSlack();
    app = new App({
      token: slack.botToken,
      signingSecret: SECRET,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command("/tallyfy", async ({ command, ack, client, respond }) => {
      const [word] = command.text.split(" ");
      if (word === "echo") return ack(`you said: ${command.text.slice(5)}`);
      await ack();
      if (word === "modal") {
        await client.views.open({ trigger_id: command.trigger_id, view: demoModal() as never });
      } else if (word === "card") {
        await client.chat.postMessage({
          channel: command.channel_id,
          text: "card",
          blocks: cardBlocks(),
        });
      } else if (word === "ephemeral") {
        await respond({ text: "pick", blocks: cardBlocks() });
      }
    });
    app.action("card_btn", async ({ ack, body, respond, action }) => {
      await ack();
      clicks.push(body as never);
      await respond({
        replace_original: true,
        text: `clicked ${(action as { value: string }).value}`,
      });
    });
    app.action("pick", async ({ ack, body }) => {
      await ack();
      clicks.push(body as never);
    });
    app.view("demo", async ({ ack, view }) => {
      submissions.push(view.state.values);
      const name = view.state.values.name?.v?.value ?? "";
      if (name === "bad")
        await ack({ response_action: "errors", errors: { name: "Not that one" } });
      else await ack();
    });
    app.view({ callback_id: "demo", type: "view_closed" }, async ({ ack, view }) => {
      await ack();
      closed.push(view.id);
    });
    app.options("search", async ({ ack, options }) => {
      await ack({
        options: [{ text: { type: "plain_text", text: `Result ${options.value}` }, value: "r1" }],
      });
    });
    const server = (await app.start(0)) as Server;
    const port = (server.address() as AddressInfo).port;
    driver = new SlackDriver({
      botUrl: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: SECRET,
      slack,
    });
  });
  afterEach(() => {
    slack.reset();
    submissions.length = 0;
    closed.length = 0;
    clicks.length = 0;
  });
  afterAll(async () => {
    await app.stop();
    await slack.close();
  });

  it("sends a slash command Bolt accepts; an ack body shows as an ephemeral, text escaped like Slack", async () => {
    const res = await driver.command("echo a & <b>", { user: "U0BOB" });
    expect(res.status).toBe(200);
    expect(res.body).toBe("you said: a &amp; &lt;b&gt;");
    expect(slack.messages("C0OPS").map((m) => [m.text, m.ephemeralTo])).toEqual([
      ["you said: a &amp; &lt;b&gt;", "U0BOB"],
    ]);
  });

  it("button clicks on a channel message carry message, container and a working response_url", async () => {
    await driver.command("card");
    const posted = await slack.waitFor((c) => c.method === "chat.postMessage");
    const ts = posted.response.ts as string;
    const res = await driver.clickButton({ channel: "C0OPS", ts }, "card_btn", { value: "run-2" });
    expect(res.status).toBe(200);
    await slack.waitForResponse();
    expect(slack.message("C0OPS", ts)?.text).toBe("clicked run-2");
    expect(clicks[0]).toMatchObject({
      type: "block_actions",
      container: { type: "message", message_ts: ts, channel_id: "C0OPS", is_ephemeral: false },
      message: { ts },
      channel: { id: "C0OPS", name: "ops" },
      user: { id: "U0ALICE" },
      actions: [{ action_id: "card_btn", value: "run-2", type: "button", block_id: "card2" }],
    });
    await expect(driver.clickButton({ channel: "C0OPS", ts }, "no_such")).rejects.toThrow(
      /no button/,
    );
  });

  it("clicks on an ephemeral omit the message, and replace_original updates the ephemeral", async () => {
    await driver.command("ephemeral");
    await slack.waitForResponse();
    const eph = slack.messages("C0OPS").find((m) => m.ephemeralTo === ALICE.id);
    if (!eph) throw new Error("no ephemeral");
    await driver.clickButton({ ephemeral: eph }, "card_btn", { value: "run-1" });
    await slack.waitForResponse((r) => r.body.replace_original === true);
    expect(clicks[0]).toMatchObject({ container: { is_ephemeral: true } });
    expect(clicks[0]).not.toHaveProperty("message");
    expect(slack.message("C0OPS", eph.ts)).toMatchObject({
      text: "clicked run-1",
      ephemeralTo: ALICE.id,
    });
    await expect(
      driver.clickButton({ ephemeral: eph }, "card_btn", { user: "U0BOB" }),
    ).rejects.toThrow(/cannot see/);
  });

  it("modal round trip: client-side required check, errors keep it open, success closes it", async () => {
    await driver.command("modal");
    await slack.waitFor((c) => c.method === "views.open" && c.response.ok === true);
    const view = slack.openView(ALICE.id);
    if (!view) throw new Error("no modal");
    await expect(driver.submitView(view.id, {})).rejects.toThrow(/name\/v: required/);

    const bad = await driver.submitView(view.id, { name: { v: "bad" } });
    expect(bad.viewProblem).toBeUndefined();
    expect(slack.views.get(view.id)).toMatchObject({
      open: true,
      errors: { name: "Not that one" },
    });
    // the untouched optional input arrives with its initial value, as Slack sends it
    expect(submissions[0]).toMatchObject({
      name: { v: { type: "plain_text_input", value: "bad" } },
      when: { d: { type: "datepicker", selected_date: "2025-01-31" } },
      kind: { k: { type: "static_select", selected_option: null } },
    });

    expect(await driver.selectOption({ viewId: view.id }, "k", "b")).toBeUndefined();
    const ok = await driver.submitView(view.id, { name: { v: "Ann" } });
    expect(ok.status).toBe(200);
    expect(submissions[1]).toMatchObject({
      kind: { k: { selected_option: { value: "b", text: { text: "Option B" } } } },
    });
    expect(slack.views.get(view.id)?.open).toBe(false);
    expect(slack.openView(ALICE.id)).toBeUndefined();
  });

  it("selects in actions blocks send block_actions; external selects get suggestions", async () => {
    await driver.command("modal");
    await slack.waitFor((c) => c.method === "views.open");
    const view = slack.openView(ALICE.id);
    if (!view) throw new Error("no modal");
    const picked = await driver.selectOption({ viewId: view.id }, "pick", "x2");
    expect(picked?.status).toBe(200);
    expect(clicks[0]).toMatchObject({
      container: { type: "view", view_id: view.id },
      view: { id: view.id, callback_id: "demo" },
      actions: [{ action_id: "pick", type: "static_select", selected_option: { value: "x2" } }],
    });
    expect(await driver.suggest(view.id, "search", "find", "ab")).toBeUndefined();
    const s = await driver.suggest(view.id, "search", "find", "abc");
    expect(s?.options).toEqual([{ text: { type: "plain_text", text: "Result abc" }, value: "r1" }]);
    expect(s?.problem).toBeUndefined();
  });

  it("closing a notify_on_close modal sends view_closed", async () => {
    await driver.command("modal");
    await slack.waitFor((c) => c.method === "views.open");
    const view = slack.openView(ALICE.id);
    if (!view) throw new Error("no modal");
    const res = await driver.closeView(view.id);
    expect(res?.status).toBe(200);
    expect(closed).toEqual([view.id]);
    expect(slack.views.get(view.id)?.open).toBe(false);
  });

  it("Bolt refuses a forged signature and a stale timestamp", async () => {
    const body = "command=%2Ftallyfy&text=echo+hi";
    const forged = await driver.signedPost(body, "application/x-www-form-urlencoded", {
      signature: signSlackRequest("not-the-secret", Math.floor(Date.now() / 1000), body),
    });
    expect(forged.status).toBe(401);
    const stale = await driver.signedPost(body, "application/x-www-form-urlencoded", {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    expect(stale.status).toBe(401);
  });
});

function cardBlocks() {
  return [
    section("*Run*"),
    {
      type: "actions",
      block_id: "card",
      elements: [
        {
          type: "button",
          action_id: "card_btn",
          text: { type: "plain_text", text: "One" },
          value: "run-1",
        },
        {
          type: "button",
          action_id: "card_btn_2",
          text: { type: "plain_text", text: "Two" },
          value: "run-2",
        },
      ],
    },
    {
      type: "actions",
      block_id: "card2",
      elements: [
        {
          type: "button",
          action_id: "card_btn",
          text: { type: "plain_text", text: "Two" },
          value: "run-2",
        },
      ],
    },
  ];
}

function demoModal() {
  const option = (value: string, text: string) => ({ text: { type: "plain_text", text }, value });
  return modal({
    notify_on_close: true,
    blocks: [
      {
        type: "input",
        block_id: "name",
        label: { type: "plain_text", text: "Name" },
        element: { type: "plain_text_input", action_id: "v" },
      },
      {
        type: "input",
        block_id: "when",
        optional: true,
        label: { type: "plain_text", text: "When" },
        element: { type: "datepicker", action_id: "d", initial_date: "2025-01-31" },
      },
      {
        type: "input",
        block_id: "kind",
        optional: true,
        label: { type: "plain_text", text: "Kind" },
        element: {
          type: "static_select",
          action_id: "k",
          options: [option("a", "Option A"), option("b", "Option B")],
        },
      },
      {
        type: "actions",
        block_id: "acts",
        elements: [
          {
            type: "static_select",
            action_id: "pick",
            options: [option("x1", "X1"), option("x2", "X2")],
          },
        ],
      },
      {
        type: "input",
        block_id: "find",
        optional: true,
        label: { type: "plain_text", text: "Find" },
        element: { type: "external_select", action_id: "search" },
      },
    ],
  });
}
