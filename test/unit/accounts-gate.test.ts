import type { RespondArguments } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import type { Identity } from "../../src/accounts/identity.ts";
import { loadConfig } from "../../src/config.ts";
import { Secrets, silentLogger } from "../../src/log.ts";
import { actorOrPrompt } from "../../src/slack/actor-gate.ts";
import { type BotContext, createBotContext } from "../../src/slack/context.ts";
import { describeFailure } from "../../src/slack/reply.ts";
import { createWorkQueue } from "../../src/slack/work-queue.ts";
import { createMemoryStore, createPendingCommands } from "../../src/store/index.ts";
import { BACKGROUND, INTERACTIVE, type Tallyfy } from "../../src/tallyfy/api.ts";
import { TallyfyAuthError } from "../../src/tallyfy/errors.ts";

const T = "T1";
const U = "U1";

function deps(shared: boolean): BotContext {
  const store = createMemoryStore();
  const config = loadConfig({
    SLACK_BOT_TOKEN: "xoxb-1",
    SLACK_SIGNING_SECRET: "s",
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
    ...(shared ? { TALLYFY_ACCESS_TOKEN: "shared-token", TALLYFY_ORG_ID: "org-shared" } : {}),
  });
  const tallyfy = {
    forConnection: (c: { orgId: string }) => ({ orgId: c.orgId }),
  } as unknown as Tallyfy;
  return createBotContext({
    config,
    logger: silentLogger,
    secrets: new Secrets(),
    tallyfy,
    store,
    pending: createPendingCommands(store),
    identity: {} as Identity,
    now: () => new Date(),
    policies: { interactive: INTERACTIVE, background: BACKGROUND },
    background: createWorkQueue(1),
  });
}

const connection = {
  teamId: T,
  userId: U,
  token: "own-token",
  orgId: "org-own",
  orgName: "Own",
  tallyfyUserId: 1,
  tallyfyEmail: "u@x.test",
  tallyfyName: "U One",
};

describe("a 401 without the actor at hand", () => {
  it("marks the person's working connection invalid and asks them to reconnect", async () => {
    const d = deps(true);
    await d.store.put(connection);
    const msg = await describeFailure(d, new TallyfyAuthError(), {
      teamId: T,
      userId: U,
      what: "list",
    });
    expect((await d.store.get(T, U))?.status).toBe("invalid");
    expect(JSON.stringify(msg.blocks)).toContain("Reconnect Tallyfy");
  });

  it("blames the workspace token when the person has no connection of their own", async () => {
    const d = deps(true);
    const msg = await describeFailure(d, new TallyfyAuthError(), {
      teamId: T,
      userId: U,
      what: "list",
    });
    expect(msg.text).toContain("workspace connection");
    expect(await d.store.get(T, U)).toBeUndefined();
  });
});

describe("the connect gate", () => {
  it("keeps the command with its response_url, so a replay answers where it was asked", async () => {
    const d = deps(false);
    const sent: RespondArguments[] = [];
    const respond = async (m: string | RespondArguments) => {
      sent.push(typeof m === "string" ? { text: m } : m);
      return new Response(null);
    };
    const actor = await actorOrPrompt(d, {
      teamId: T,
      userId: U,
      respond,
      responseUrl: "https://hooks.slack.test/commands/1",
      replay: { text: "list active", channelId: "C1" },
    });
    expect(actor).toBeUndefined();
    const button = JSON.stringify(sent[0]);
    const pendingId = /"value":"([^"]+)"/.exec(button)?.[1];
    expect(pendingId).toBeTruthy();
    expect(await d.pending.take(T, U, pendingId)).toEqual({
      text: "list active",
      channelId: "C1",
      responseUrl: "https://hooks.slack.test/commands/1",
    });
  });

  it("never falls back to the workspace token once the person's token is invalid", async () => {
    const d = deps(true);
    await d.store.put({ ...connection, status: "invalid" });
    const sent: RespondArguments[] = [];
    const actor = await actorOrPrompt(d, {
      teamId: T,
      userId: U,
      respond: async (m) => {
        sent.push(m as RespondArguments);
        return new Response(null);
      },
    });
    expect(actor).toBeUndefined();
    expect(JSON.stringify(sent[0])).toContain("Reconnect Tallyfy");
  });
});
