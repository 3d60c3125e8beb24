import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { silentLogger } from "../../src/log.ts";
import type { BotContext } from "../../src/slack/context.ts";
import { describeFailure } from "../../src/slack/reply.ts";
import { createMemoryStore } from "../../src/store/index.ts";
import { TallyfyAuthError } from "../../src/tallyfy/errors.ts";

const config = loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "secret-x" });

describe("describeFailure on a rejected personal token", () => {
  it("still prompts a reconnect when the store cannot record the invalid token", async () => {
    const store = createMemoryStore();
    await store.put({
      teamId: "T1",
      userId: "U1",
      token: "tok-123456",
      orgId: "o",
      orgName: null,
      tallyfyUserId: null,
      tallyfyEmail: null,
      tallyfyName: null,
    });
    const failing = { ...store, markInvalid: () => Promise.reject(new Error("disk full")) };
    const deps = { config, logger: silentLogger, store: failing } as unknown as BotContext;
    const msg = await describeFailure(deps, new TallyfyAuthError({ status: 401 }), {
      teamId: "T1",
      userId: "U1",
      what: "show",
    });
    expect(JSON.stringify(msg.blocks)).toContain("tallyfy_connect");
    expect(msg.text).toContain("Reconnect");
  });
});
