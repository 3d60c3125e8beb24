/** The fake Slack's Home tab (views.publish) and unfurls (chat.unfurl), through WebClient. */
import { webApi } from "@slack/bolt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ALICE, type FakeSlack, startFakeSlack } from "../../sandbox/slack/fake-slack.ts";

const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });
const home = (text = "Hello") => ({ type: "home" as const, blocks: [section(text)] });

async function slackError(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as { data?: { error?: string } }).data?.error;
  }
  return undefined;
}

let slack: FakeSlack;
let client: webApi.WebClient;
beforeAll(async () => {
  slack = await startFakeSlack();
  client = new webApi.WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
  });
});
afterAll(async () => {
  await slack?.close();
});
beforeEach(() => slack.reset());

describe("views.publish", () => {
  it("publishes a Home tab, then replaces it only with the current hash", async () => {
    const first = await client.views.publish({ user_id: ALICE.id, view: home("one") });
    expect(first.view?.type).toBe("home");
    const hash = first.view?.hash ?? "";
    expect(slack.homeView(ALICE.id)?.hash).toBe(hash);
    expect(
      await slackError(client.views.publish({ user_id: ALICE.id, view: home("x"), hash: "stale" })),
    ).toBe("hash_conflict");
    const second = await client.views.publish({ user_id: ALICE.id, view: home("two"), hash });
    expect(second.view?.id).toBe(first.view?.id);
    expect(JSON.stringify(slack.homeView(ALICE.id)?.view.blocks)).toContain("two");
    // Without a hash, last write wins.
    await client.views.publish({ user_id: ALICE.id, view: home("three") });
    expect(JSON.stringify(slack.homeView(ALICE.id)?.view.blocks)).toContain("three");
  });

  it("holds Home to the rule table: 100 blocks, no modal parts, a real user", async () => {
    const many = { type: "home" as const, blocks: Array.from({ length: 101 }, () => section("x")) };
    expect(await slackError(client.views.publish({ user_id: ALICE.id, view: many }))).toBe(
      "invalid_arguments",
    );
    const modalish = { ...home(), title: { type: "plain_text", text: "No" } };
    expect(
      await slackError(client.views.publish({ user_id: ALICE.id, view: modalish as never })),
    ).toBe("invalid_arguments");
    const asModal = { ...home(), type: "modal" };
    expect(
      await slackError(client.views.publish({ user_id: ALICE.id, view: asModal as never })),
    ).toBe("invalid_arguments");
    expect(await slackError(client.views.publish({ user_id: "U0NOBODY", view: home() }))).toBe(
      "user_not_found",
    );
    expect(slack.homeView(ALICE.id)).toBeUndefined();
  });
});

describe("chat.unfurl", () => {
  const url = "https://go.tallyfy.test/acme/processes/abc";

  it("attaches unfurls to a person's message by exact URL; a later call replaces one", async () => {
    const msg = slack.postUserMessage({ channel: "C0OPS", user: ALICE.id, text: `see ${url}` });
    await client.chat.unfurl({
      channel: "C0OPS",
      ts: msg.ts,
      unfurls: { [url]: { blocks: [section("first")] } },
    } as never);
    await client.chat.unfurl({
      channel: "C0OPS",
      ts: msg.ts,
      unfurls: { [url]: { blocks: [section("second")] } },
    } as never);
    expect(JSON.stringify(slack.message("C0OPS", msg.ts)?.unfurls)).toContain("second");
    expect(Object.keys(slack.message("C0OPS", msg.ts)?.unfurls ?? {})).toEqual([url]);
  });

  it("refuses URLs not in the message, bot messages, bad blocks and mixed targets", async () => {
    const msg = slack.postUserMessage({ channel: "C0OPS", user: ALICE.id, text: url });
    const call = (args: Record<string, unknown>) => slackError(client.chat.unfurl(args as never));
    const ok = { channel: "C0OPS", ts: msg.ts };
    expect(await call({ ...ok, unfurls: { "https://other.test/": { blocks: [] } } })).toBe(
      "cannot_unfurl_url",
    );
    const bad = { blocks: [{ type: "section", text: { type: "mrkdwn", text: "x".repeat(3001) } }] };
    expect(await call({ ...ok, unfurls: { [url]: bad } })).toBe("invalid_blocks");
    expect(await call({ ...ok, unfurl_id: "x", source: "composer", unfurls: {} })).toBe(
      "invalid_arguments",
    );
    const bot = await client.chat.postMessage({ channel: "C0OPS", text: url });
    expect(await call({ channel: "C0OPS", ts: bot.ts, unfurls: {} })).toBe("cannot_unfurl_message");
  });

  it("unfurls composer links by unfurl_id, and shows user_auth blocks to the sharer only", async () => {
    const composer = slack.newComposer({
      userId: ALICE.id,
      channel: "C0OPS",
      text: url,
      urls: [url],
    });
    await client.chat.unfurl({
      unfurl_id: composer.unfurlId,
      source: "composer",
      unfurls: { [url]: { blocks: [section("card")] } },
    } as never);
    expect(Object.keys(slack.composer(composer.unfurlId)?.unfurls ?? {})).toEqual([url]);
    expect(
      await slackError(
        client.chat.unfurl({ unfurl_id: "nope", source: "composer", unfurls: {} } as never),
      ),
    ).toBe("invalid_unfurl_id");

    const msg = slack.postUserMessage({ channel: "C0OPS", user: ALICE.id, text: url });
    await client.chat.unfurl({
      channel: "C0OPS",
      ts: msg.ts,
      unfurls: {},
      user_auth_blocks: [section("Connect first")],
    } as never);
    const prompt = slack.messages("C0OPS").find((m) => m.ephemeralTo === ALICE.id);
    expect(JSON.stringify(prompt?.blocks)).toContain("Connect first");
  });
});
