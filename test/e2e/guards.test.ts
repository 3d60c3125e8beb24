/**
 * Request-level defences (issue 12 items 2, 5, 8, 10 and the payload half of 17), through
 * Bolt's real HTTP receiver with Slack-signed requests, the fake Slack and the Tallyfy sandbox.
 */
import { request } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SlackDriver } from "../../sandbox/slack/driver.ts";
import { basePayload } from "../../sandbox/slack/payloads.ts";
import { signSlackRequest } from "../../sandbox/slack/signing.ts";
import type { FakeView } from "../../sandbox/slack/types.ts";
import { SEED } from "../../sandbox/tallyfy/server.ts";
import { ACTION } from "../../src/blocks/ids.ts";
import { PICKER_BLOCK } from "../../src/blocks/modals/launch-views.ts";
import { NOT_AVAILABLE } from "../../src/guard/team-gate.ts";
import { eventually, type Harness, SIGNING_SECRET, startHarness } from "../support/harness.ts";

// biome-ignore lint/suspicious/noExplicitAny: payloads and views are inspected loosely
type Json = any;

const OPS = "C0OPS";
const ALICE = "U0ALICE";
const BOB = "U0BOB";
const RUN = SEED.runs.active;
const FORM = "application/x-www-form-urlencoded";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.sandbox.reset();
  h.slack.reset();
});

const now = () => Math.floor(Date.now() / 1000);
const text = (x: unknown) => JSON.stringify(x);
const deletes = () => h.sandbox.requests.filter((r) => r.method === "DELETE");
const runStatus = () => (h.sandbox.state.runs.get(RUN) as { status: string }).status;

function driverFor(opts: { teamId?: string; userTeamId?: string }) {
  return new SlackDriver({
    botUrl: h.driver.botUrl,
    signingSecret: SIGNING_SECRET,
    slack: h.slack,
    ...opts,
  });
}

/** A complete /tallyfy command body, as Slack would send it. */
function commandBody(words: string, user = ALICE, teamId = "T0ACME"): string {
  return new URLSearchParams({
    token: "x",
    team_id: teamId,
    channel_id: OPS,
    user_id: user,
    command: "/tallyfy",
    text: words,
    response_url: h.slack.newResponseUrl({ channelId: OPS, userId: user }),
    trigger_id: h.slack.triggerId({ userId: user }),
  }).toString();
}

function openView(user: string, ready: (v: FakeView) => boolean): Promise<FakeView> {
  return eventually(() => {
    const v = h.slack.openView(user);
    if (!v || !ready(v)) throw new Error("view not ready");
    return v;
  });
}

async function postedCard(): Promise<{ channel: string; ts: string }> {
  await h.driver.command(`show ${RUN}`, { channel: OPS });
  const post = await h.slack.waitFor((c) => c.method === "chat.postMessage" && c.response.ok);
  return { channel: OPS, ts: post.response.ts as string };
}

describe("people outside the installed workspace", () => {
  it("get a polite refusal for a command, and nothing is archived", async () => {
    const outsider = driverFor({ teamId: "T0OTHER" });
    const res = await outsider.command(`archive ${RUN}`, { channel: OPS, user: BOB });
    expect(res.status).toBe(200);
    expect(res.body.text).toContain("not available to your organization");
    await new Promise((r) => setTimeout(r, 300));
    expect(h.sandbox.requests).toEqual([]);
    expect(runStatus()).not.toBe("archived");
    expect(h.logs.join("\n")).toContain("refused a request from outside the installed workspace");
  });

  it("a Slack Connect guest's click on a card is refused with an ephemeral note", async () => {
    const card = await postedCard();
    h.sandbox.clearRequests();
    const guest = driverFor({ userTeamId: "T0GUEST" });
    const res = await guest.clickButton(card, ACTION.archive, { user: BOB });
    expect(res.status).toBe(200);
    const note = await h.slack.waitForResponse((p) => text(p.body).includes(NOT_AVAILABLE));
    expect(note.body.response_type).toBe("ephemeral");
    expect(note.body.replace_original).toBe(false);
    expect(h.sandbox.requests).toEqual([]);
    expect(runStatus()).not.toBe("archived");
  });

  it("a view submission is answered inside the ack, without launching anything", async () => {
    await h.driver.command("launch Weekly Team Check-in");
    const form = await openView(ALICE, (v) => v.view.submit?.text === "Launch");
    h.sandbox.clearRequests();
    const outsider = driverFor({ teamId: "T0OTHER" });
    const res = await outsider.submitView(form.id);
    expect(res.viewProblem).toBeUndefined();
    expect(res.body.response_action).toBe("update");
    expect(text(res.body.view)).toContain(NOT_AVAILABLE);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.sandbox.requests.filter((r) => r.method === "POST")).toEqual([]);
  });

  it("an options request gets an empty list and no Tallyfy search", async () => {
    await h.driver.command("launch");
    const picker = await openView(ALICE, (v) =>
      v.view.blocks.some((b: Json) => b.block_id === PICKER_BLOCK),
    );
    const outsider = driverFor({ teamId: "T0OTHER" });
    const res = await outsider.suggest(picker.id, ACTION.launchTemplate, PICKER_BLOCK, "onboard");
    expect(res?.problem).toBeUndefined();
    expect(res?.options).toEqual([]);
    expect(h.sandbox.requests).toEqual([]);
  });

  it("an event from another workspace is acknowledged and dropped", async () => {
    const before = h.logs.length;
    const event = {
      type: "event_callback",
      team_id: "T0OTHER",
      api_app_id: "A0TALLYFY",
      event_id: "Ev0OTHER1",
      event_time: now(),
      event: { type: "app_mention", user: BOB, text: "hi", channel: OPS, ts: "1.000001" },
    };
    const res = await h.driver.signedPost(JSON.stringify(event), "application/json");
    expect(res.status).toBe(200);
    const lines = h.logs.slice(before).join("\n");
    expect(lines).toContain("refused a request from outside the installed workspace");
    expect(lines).toContain("event_callback");
  });

  it("members of the installed workspace are still served", async () => {
    const res = await h.driver.command("help");
    expect(res.status).toBe(200);
    expect(text(res.body)).not.toContain(NOT_AVAILABLE);
  });
});

describe("timestamps and replays", () => {
  it("refuses timestamps an hour or ten years ahead, and five minutes stale", async () => {
    for (const skew of [3600, 10 * 365 * 86_400, -301]) {
      const res = await h.driver.signedPost(commandBody("help"), FORM, { timestamp: now() + skew });
      expect(res.status, `skew ${skew}`).toBe(401);
    }
    const nearlyNow = await h.driver.signedPost(commandBody("help"), FORM, {
      timestamp: now() + 120,
    });
    expect(nearlyNow.status).toBe(200);
  });

  it("one signed archive sent twice archives once", async () => {
    const body = commandBody(`archive ${RUN}`);
    const timestamp = now();
    const first = await h.driver.signedPost(body, FORM, { timestamp });
    const second = await h.driver.signedPost(body, FORM, { timestamp });
    expect(first.status).toBe(200);
    expect(second.status).toBe(401);
    await eventually(() => expect(deletes()).toHaveLength(1));
    await h.slack.waitFor((c) => c.method === "chat.postMessage");
    await new Promise((r) => setTimeout(r, 300));
    expect(deletes()).toHaveLength(1);
    expect(h.logs.join("\n")).toContain("refused a replayed request");
  });

  it("guards the events endpoint however its path is spelled (dot segments resolve as Bolt resolves them)", async () => {
    const body = commandBody(`archive ${RUN}`);
    const timestamp = now();
    const signature = signSlackRequest(SIGNING_SECRET, timestamp, body);
    // Sent raw: fetch would resolve the dot segments before they reach the bot.
    const post = () =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: "127.0.0.1",
            port: h.port,
            method: "POST",
            path: "/slack/x/../events",
            headers: {
              "content-type": FORM,
              "x-slack-request-timestamp": String(timestamp),
              "x-slack-signature": signature,
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    expect(await post()).toBe(200);
    expect(await post()).toBe(401);
    await eventually(() => expect(deletes()).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 300));
    expect(deletes()).toHaveLength(1);
  });

  it("answers Slack's unsigned SSL check, and refuses one that carries a command", async () => {
    const unsigned = (body: string) =>
      fetch(`http://127.0.0.1:${h.port}/slack/events`, {
        method: "POST",
        headers: { "content-type": FORM },
        body,
      }).then((r) => r.status);
    expect(await unsigned("ssl_check=1&token=verification-token")).toBe(200);
    expect(await unsigned(`ssl_check=1&${commandBody(`archive ${RUN}`)}`)).toBe(401);
    expect(await unsigned(commandBody(`archive ${RUN}`))).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(deletes()).toHaveLength(0);
  });

  it("answers the same options request twice (typing a query again sends the same bytes)", async () => {
    await h.driver.command("launch");
    const picker = await openView(ALICE, (v) =>
      v.view.blocks.some((b: Json) => b.block_id === PICKER_BLOCK),
    );
    const user = h.slack.user(ALICE)!;
    const ctx = { slack: h.slack, teamId: "T0ACME", appId: "A0TALLYFY", user };
    const payload = {
      ...basePayload("block_suggestion", ctx),
      container: { type: "view", view_id: picker.id },
      view: picker.view,
      action_id: ACTION.launchTemplate,
      block_id: PICKER_BLOCK,
      value: "onboard",
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const timestamp = now();
    for (let i = 0; i < 2; i++) {
      const res = await h.driver.signedPost(body, FORM, { timestamp });
      expect(res.status).toBe(200);
      expect(res.body.options.length).toBeGreaterThan(0);
    }
  });

  it("drops an Events API retry (fresh signature, same event_id)", async () => {
    const before = h.logs.length;
    const event = {
      type: "event_callback",
      team_id: "T0ACME",
      api_app_id: "A0TALLYFY",
      event_id: "Ev0RETRY1",
      event_time: now(),
      event: { type: "app_mention", user: ALICE, text: "hi", channel: OPS, ts: "1.000002" },
    };
    const body = JSON.stringify(event);
    expect((await h.driver.signedPost(body, "application/json")).status).toBe(200);
    const retry = await h.driver.signedPost(body, "application/json", { timestamp: now() + 1 });
    expect(retry.status).toBe(200);
    const lines = h.logs.slice(before).join("\n");
    expect(lines.match(/dropped an event already handled/g)).toHaveLength(1);
  });
});

describe("odd but signed payloads", () => {
  it.each([
    ["payload=null", "payload=null"],
    ["payload=[]", "payload=%5B%5D"],
    ["a payload without a type", `payload=${encodeURIComponent('{"user":{"id":"U0ALICE"}}')}`],
    [
      "a command without text or response_url",
      "command=%2Ftallyfy&team_id=T0ACME&user_id=U0ALICE&channel_id=C0OPS",
    ],
  ])("%s gets a clean 400 and a log line", async (_name, body) => {
    const before = h.logs.length;
    const res = await h.driver.signedPost(body, FORM);
    expect(res.status).toBe(400);
    expect(h.logs.slice(before).join("\n")).toContain("refused a malformed Slack request");
  });

  it("a view submission whose value is a number gets a 400, and nothing is launched", async () => {
    await h.driver.command("launch Weekly Team Check-in");
    const form = await openView(ALICE, (v) => v.view.submit?.text === "Launch");
    h.sandbox.clearRequests();
    const values: Json = {};
    for (const b of form.view.blocks as Json[]) {
      if (b.type === "input")
        values[b.block_id] = { [b.element.action_id]: { type: b.element.type, value: 42 } };
    }
    const user = h.slack.user(ALICE)!;
    const payload = {
      ...basePayload("view_submission", {
        slack: h.slack,
        teamId: "T0ACME",
        appId: "A0TALLYFY",
        user,
      }),
      trigger_id: h.slack.triggerId({ userId: ALICE }),
      view: { ...form.view, state: { values } },
    };
    const res = await h.driver.signedPost(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      FORM,
    );
    expect(res.status).toBe(400);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.sandbox.requests.filter((r) => r.method === "POST")).toEqual([]);
  });
});

describe("Slack Web API failures", () => {
  it("a 503 on chat.postMessage ends in a reply after a few tries, not half an hour of retries", async () => {
    h.slack.failHttp("chat.postMessage", { status: 503, times: 20 });
    await h.driver.command(`show ${RUN}`, { channel: OPS });
    const reply = await h.slack.waitForResponse(
      (p) => text(p.body).includes("couldn't post the card"),
      15_000,
    );
    expect(reply.body.response_type).toBe("ephemeral");
    expect(text(reply.body)).toContain("Slack said HTTP 503");
    expect(text(reply.body)).toContain("nothing else changed");
    expect(h.slack.callsTo("chat.postMessage").length).toBeLessThanOrEqual(3);
  }, 30_000);

  it("a 429 on one channel's post does not hold another person's views.open", async () => {
    h.slack.failHttp("chat.postMessage", { status: 429, retryAfterSec: 30 });
    await h.driver.command(`show ${RUN}`, { channel: OPS });
    await h.slack.waitFor((c) => c.method === "chat.postMessage");
    await h.driver.command("launch", { user: BOB });
    const open = await h.slack.waitFor((c) => c.method === "views.open");
    expect(open.response.ok).toBe(true);
    const reply = await h.slack.waitForResponse((p) => text(p.body).includes("couldn't post"));
    expect(text(reply.body)).toContain("too many messages");
  });

  it("a short Retry-After is waited out for that one post", async () => {
    h.slack.failHttp("chat.postMessage", { status: 429, retryAfterSec: 1 });
    await h.driver.command(`show ${RUN}`, { channel: OPS });
    const posted = await h.slack.waitFor((c) => c.method === "chat.postMessage" && c.response.ok);
    expect(posted.args.channel).toBe(OPS);
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(2);
  });
});

describe("a half-open request", () => {
  /** A raw connection that sends headers and 2 of 100,000 body bytes, then waits. */
  async function halfOpen(port: number) {
    const socket = connect(port, "127.0.0.1");
    const closed = new Promise<void>((r) => socket.once("close", () => r()));
    socket.on("error", () => {});
    await new Promise<void>((r) => socket.once("connect", () => r()));
    socket.write(
      "POST /slack/events HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n" +
        'Content-Length: 100000\r\n\r\n{"',
    );
    // Give the server time to take the request in (this is not a speed assertion).
    await new Promise((r) => setTimeout(r, 200));
    return { socket, closed };
  }

  it("holds nothing up: commands are answered and their work is done meanwhile", async () => {
    const { socket } = await halfOpen(h.port);
    try {
      const help = await h.driver.command("help");
      expect(help.status).toBe(200);
      const posts = h.slack.callsTo("chat.postMessage").length;
      const show = await h.driver.command(`show ${RUN}`, { channel: OPS });
      expect(show.status).toBe(200);
      await eventually(() => expect(h.slack.callsTo("chat.postMessage")).toHaveLength(posts + 1));
      // Nothing left pending behind the request that never finished arriving.
      const queue = h.bot.context.background;
      await eventually(() => expect(queue.pending).toBe(0));
      expect(socket.destroyed).toBe(false);
    } finally {
      socket.destroy();
    }
  });

  it("does not stop stop() from finishing, and is closed by it", async () => {
    const own = await startHarness();
    try {
      const { socket, closed } = await halfOpen(own.port);
      await own.bot.stop();
      await closed;
      expect(socket.destroyed).toBe(true);
    } finally {
      await own.close();
    }
  }, 30_000);
});
