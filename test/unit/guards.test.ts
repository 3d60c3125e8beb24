import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { dedupe } from "../../src/guard/dedupe.ts";
import { checkPayload } from "../../src/guard/payload-guard.ts";
import { createMemoryReplayGuard } from "../../src/guard/replay.ts";
import { checkSlackSignature } from "../../src/guard/signature.ts";
import { isMember, originOf } from "../../src/guard/team-gate.ts";
import { createLogger } from "../../src/log.ts";
import { CardPostError, cardPostFailureText } from "../../src/slack-api/card-post-error.ts";

const logger = createLogger({ level: "error", json: true, write: () => {} });

describe("memory replay guard", () => {
  it("answers seen within the time to live, and forgets after it", () => {
    let t = 0;
    const guard = createMemoryReplayGuard({ now: () => t });
    expect(guard.seen("a", 1000)).toBe(false);
    expect(guard.seen("a", 1000)).toBe(true);
    t = 1000;
    expect(guard.seen("a", 1000)).toBe(false);
  });

  it("never holds more than maxKeys, forgetting the oldest first", () => {
    const guard = createMemoryReplayGuard({ maxKeys: 3, now: () => 0 });
    for (const k of ["a", "b", "c", "d"]) expect(guard.seen(k, 60_000)).toBe(false);
    expect(guard.seen("d", 60_000)).toBe(true);
    expect(guard.seen("a", 60_000)).toBe(false); // forgotten to make room for d
  });
});

describe("Slack signature check", () => {
  const secret = "s3cret-signing";
  const body = Buffer.from("command=%2Ftallyfy&text=help");
  const sign = (ts: number) =>
    `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}`;
  const headers = (ts: number, sig = sign(ts)) => ({
    "x-slack-signature": sig,
    "x-slack-request-timestamp": String(ts),
  });
  const nowSec = 1_800_000_000;

  it("accepts a good signature within 300 s either way", () => {
    for (const skew of [0, 299, -299]) {
      expect(checkSlackSignature(secret, headers(nowSec + skew), body, nowSec * 1000).ok).toBe(
        true,
      );
    }
  });

  it("refuses future and stale timestamps, bad signatures and missing headers", () => {
    for (const skew of [301, 3600, 315_360_000, -301]) {
      expect(checkSlackSignature(secret, headers(nowSec + skew), body, nowSec * 1000).ok).toBe(
        false,
      );
    }
    expect(checkSlackSignature(secret, headers(nowSec, "v0=00"), body, nowSec * 1000).ok).toBe(
      false,
    );
    expect(checkSlackSignature(secret, {}, body, nowSec * 1000).ok).toBe(false);
    const odd = { ...headers(nowSec), "x-slack-request-timestamp": "1e9" };
    expect(checkSlackSignature(secret, odd, body, nowSec * 1000).ok).toBe(false);
  });
});

describe("membership of the installed workspace", () => {
  const acme = { teamId: "T1" };
  const grid = { teamId: "T1", enterpriseId: "E1" };
  const action = (team: string, userTeam: string, enterprise?: string) =>
    originOf({
      type: "block_actions",
      team: { id: team },
      user: { id: "U1", team_id: userTeam },
      enterprise: enterprise ? { id: enterprise } : null,
    });

  it("admits the installed team only when every team id is it", () => {
    expect(isMember(acme, action("T1", "T1"))).toBe(true);
    expect(isMember(acme, action("T2", "T2"))).toBe(false);
    expect(isMember(acme, action("T1", "T2"))).toBe(false); // Slack Connect guest
    expect(isMember(acme, originOf({ command: "/tallyfy", team_id: "T2", user_id: "U1" }))).toBe(
      false,
    );
    expect(isMember(acme, originOf({}))).toBe(false);
  });

  it("admits other workspaces of the same Enterprise Grid org, not other orgs", () => {
    expect(isMember(grid, action("T9", "T9", "E1"))).toBe(true);
    expect(isMember(grid, action("T1", "T1", "E2"))).toBe(false);
    expect(isMember(grid, action("T9", "T9"))).toBe(false);
    expect(isMember(acme, action("T1", "T1", "E1"))).toBe(false);
  });
});

describe("payload shapes", () => {
  const form = { "content-type": "application/x-www-form-urlencoded" };
  const payload = (p: unknown) => Buffer.from(`payload=${encodeURIComponent(JSON.stringify(p))}`);
  const user = { id: "U1", team_id: "T1" };

  it("passes what Slack sends and rejects odd shapes", () => {
    const suggestion = {
      type: "block_suggestion",
      user,
      action_id: "a",
      block_id: "b",
      value: "x",
    };
    expect(checkPayload(form, payload(suggestion)).kind).toBe("pass");
    expect(checkPayload(form, payload({ ...suggestion, value: 3 })).kind).toBe("reject");
    expect(checkPayload(form, Buffer.from("payload=null")).kind).toBe("reject");
    expect(checkPayload(form, Buffer.from("payload=a&payload=b")).kind).toBe("reject");
    expect(checkPayload({ "content-type": "application/json" }, Buffer.from("{")).kind).toBe(
      "reject",
    );
    expect(checkPayload(form, payload({ type: "interactive_message", user })).kind).toBe("ignore");
  });

  it("passes shortcuts with a callback and trigger, and message shortcuts with their message", () => {
    const global = { type: "shortcut", user, callback_id: "launch_process", trigger_id: "t" };
    expect(checkPayload(form, payload(global)).kind).toBe("pass");
    expect(checkPayload(form, payload({ ...global, trigger_id: undefined })).kind).toBe("reject");
    const onMessage = {
      ...global,
      type: "message_action",
      channel: { id: "C1" },
      message: { ts: "1.2", text: "hi" },
    };
    expect(checkPayload(form, payload(onMessage)).kind).toBe("pass");
    expect(checkPayload(form, payload({ ...onMessage, message: { text: 1 } })).kind).toBe("reject");
  });

  it("passes a message shortcut, with or without the message's text, and rejects odd ones", () => {
    const shortcut = {
      type: "message_action",
      user,
      team: { id: "T1" },
      callback_id: "create_task",
      trigger_id: "1.2.abc",
      response_url: "https://hooks.slack.test/app/1",
      channel: { id: "C1", name: "ops" },
      message: { type: "message", ts: "1.2", text: "hi" },
    };
    expect(checkPayload(form, payload(shortcut)).kind).toBe("pass");
    const blocksOnly = { ...shortcut, message: { type: "message", ts: "1.2", blocks: [] } };
    expect(checkPayload(form, payload(blocksOnly)).kind).toBe("pass");
    const { channel: _c, ...noChannel } = shortcut;
    expect(checkPayload(form, payload(noChannel)).kind).toBe("reject");
    const textNumber = { ...shortcut, message: { ts: "1.2", text: 3 } };
    expect(checkPayload(form, payload(textNumber)).kind).toBe("reject");
  });
});

describe("event and envelope de-duplication", () => {
  async function run(body: object, context: Record<string, unknown> = {}) {
    const guard = createMemoryReplayGuard();
    const mw = dedupe({ replay: guard, logger });
    const passed: string[] = [];
    for (let i = 0; i < 2; i++) {
      let next = false;
      let acked = false;
      await mw({
        body,
        context,
        ack: async () => {
          acked = true;
        },
        next: async () => {
          next = true;
        },
      } as never);
      passed.push(next ? "next" : acked ? "acked" : "dropped");
    }
    return passed;
  }

  it("lets an event through once per event_id", async () => {
    expect(await run({ type: "event_callback", event_id: "Ev1" })).toEqual(["next", "dropped"]);
  });

  it("lets a Socket Mode envelope through once, acknowledging the repeat", async () => {
    expect(await run({ type: "block_actions" }, { envelopeId: "env-1" })).toEqual([
      "next",
      "acked",
    ]);
  });

  it("lets interactions without an envelope id through every time", async () => {
    expect(await run({ type: "block_actions" })).toEqual(["next", "next"]);
  });
});

describe("card post failures", () => {
  it("say what Slack answered and whether anything changed", () => {
    const http = new CardPostError(Object.assign(new Error("x"), { statusCode: 503 }));
    expect(cardPostFailureText(http, "show")).toBe(
      "I couldn't post the card in this channel (Slack said HTTP 503); nothing else changed.",
    );
    const code = new CardPostError(
      Object.assign(new Error("x"), { data: { error: "is_archived" } }),
    );
    expect(code.data?.error).toBe("is_archived");
    expect(cardPostFailureText(code, "archive")).toBe(
      "The process was archived, but I couldn't post the card in this channel (Slack said `is_archived`).",
    );
  });
});
