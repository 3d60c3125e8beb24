import { Agent, get } from "node:http";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BACKGROUND_SAFETY_CAP } from "../../src/app.ts";
import { decodeListState, LIST_PAGE_ACTIONS } from "../../src/blocks/ids.ts";
import { MAX_WAITING } from "../../src/features/commands/register.ts";
import { createLogger } from "../../src/log.ts";
import { boltLogger } from "../../src/slack/bolt.ts";
import { assertBlockKit } from "../support/block-limits.ts";
import { startInstance } from "../support/bot-process.ts";
import { eventually, type Harness, startHarness } from "../support/harness.ts";

const OPS = "C0OPS";
const ALICE = "U0ALICE";

type Block = {
  type: string;
  text?: { text: string };
  elements?: Element[];
  accessory?: Element;
  fields?: { text: string }[];
};
type Element = {
  type: string;
  action_id?: string;
  value?: string;
  text?: { text: string } | string;
};

function allText(blocks: unknown): string {
  return JSON.stringify(blocks);
}

function buttons(blocks: Block[]): Element[] {
  const out: Element[] = [];
  for (const b of blocks) {
    if (b.accessory?.type === "button") out.push(b.accessory);
    for (const e of b.elements ?? []) if (e.type === "button") out.push(e);
  }
  return out;
}

function actionIds(blocks: Block[]): string[] {
  return buttons(blocks).map((b) => b.action_id ?? "");
}

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

/** A run id of the given status, taken from the sandbox's live state. */
function runWithStatus(status: string) {
  const run = [...h.sandbox.state.runs.values()].find(
    (r) => (r as { status: string }).status === status,
  ) as { id: string; name: string; status: string } | undefined;
  if (!run) throw new Error(`no seeded run with status ${status}`);
  return run;
}

type Reply = { text: string; blocks: Block[]; response_type?: string; replace_original?: boolean };

/** The first response_url post after the `seen` earlier ones. */
async function responseAfter(seen: number): Promise<Reply> {
  return eventually(() => {
    const r = h.slack.responses[seen];
    if (!r) throw new Error("no response yet");
    return r.body as Reply;
  });
}

async function lastResponse(): Promise<Reply> {
  return responseAfter(0);
}

describe("help and unknown commands", () => {
  it("answers help inside the ack, listing every subcommand", async () => {
    for (const text of ["", "help"]) {
      const res = await h.driver.command(text);
      expect(res.status).toBe(200);
      const body = res.body as { blocks: Block[]; response_type: string };
      expect(body.response_type).toBe("ephemeral");
      assertBlockKit({ type: "message", blocks: body.blocks });
      for (const sub of [
        "launch",
        "list",
        "show",
        "edit",
        "archive",
        "activate",
        "connect",
        "whoami",
      ]) {
        expect(allText(body.blocks)).toContain(sub);
      }
    }
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it("names an unknown command, suggests the close one, and shows help", async () => {
    const res = await h.driver.command("lsit active");
    const text = allText((res.body as { blocks: Block[] }).blocks);
    expect(text).toContain("Unknown command");
    expect(text).toContain("lsit");
    expect(text).toContain("Did you mean");
    expect(text).toContain("list");
    const far = await h.driver.command("frobnicate <!channel>");
    const farText = allText((far.body as { blocks: Block[] }).blocks);
    expect(farText).toContain("frobnicate");
    expect(farText).not.toContain("Did you mean");
    expect(farText).not.toContain("<!channel>");
  });
});

describe("list", () => {
  it("lists privately and pages both ways", async () => {
    await h.driver.command("list", { channel: OPS, user: ALICE });
    const first = await lastResponse();
    expect(first.response_type).toBe("ephemeral");
    assertBlockKit({ type: "message", blocks: first.blocks });
    const views = buttons(first.blocks).filter((b) => b.action_id === "run_view");
    expect(views).toHaveLength(10);
    const next = buttons(first.blocks).find((b) => b.action_id === "list_page");
    expect(next).toBeDefined();
    expect(decodeListState(next!.value!).page).toBe(2);
    expect(actionIds(first.blocks).filter((a) => a === "list_page")).toHaveLength(1);

    const ephemeral = h.slack.messages(OPS).find((m) => m.ephemeralTo === ALICE)!;
    await h.driver.clickButton({ ephemeral }, "list_page", { user: ALICE, value: next!.value! });
    const second = await eventually(() => {
      const r = h.slack.responses.at(-1)!.body as { replace_original?: boolean; blocks: Block[] };
      if (!r.replace_original) throw new Error("not yet");
      return r;
    });
    const pages = buttons(second.blocks)
      .filter((b) => LIST_PAGE_ACTIONS.test(b.action_id ?? ""))
      .map((b) => decodeListState(b.value!).page);
    expect(pages).toContain(1);
    const firstIds = views.map((b) => b.value);
    const secondIds = buttons(second.blocks)
      .filter((b) => b.action_id === "run_view")
      .map((b) => b.value);
    expect(secondIds.some((id) => firstIds.includes(id))).toBe(false);
    const listCalls = h.sandbox.requests.filter(
      (r) => r.method === "GET" && r.path.endsWith("/runs"),
    );
    expect(listCalls.map((r) => r.query.page)).toEqual(["1", "2"]);
  });

  it("View posts the row's full card to the channel", async () => {
    await h.driver.command("list", { channel: OPS, user: ALICE });
    const list = await lastResponse();
    const view = buttons(list.blocks).find((b) => b.action_id === "run_view")!;
    const ephemeral = h.slack.messages(OPS).find((m) => m.ephemeralTo === ALICE)!;
    await h.driver.clickButton({ ephemeral }, "run_view", { user: ALICE, value: view.value! });
    const post = await h.slack.waitFor((c) => c.method === "chat.postMessage");
    expect(post.args.channel).toBe(OPS);
    assertBlockKit({ type: "message", blocks: post.args.blocks as Block[] });
    expect(allText(post.args.blocks)).toContain(view.value!);
    expect(actionIds(post.args.blocks as Block[])).toContain("run_refresh");
  });

  it("filters archived runs", async () => {
    await h.driver.command("list archived", { channel: OPS });
    const res = await lastResponse();
    const ids = buttons(res.blocks)
      .filter((b) => b.action_id === "run_view")
      .map((b) => b.value!);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      expect((h.sandbox.state.runs.get(id) as { status: string }).status).toBe("archived");
    }
  });

  it("says so when nothing matches and suggests what to try", async () => {
    await h.driver.command("list active zzzz-no-such-process", { channel: OPS });
    const res = await lastResponse();
    expect(buttons(res.blocks).filter((b) => b.action_id === "run_view")).toHaveLength(0);
    expect(allText(res.blocks)).toContain("/tallyfy list archived");
  });
});

describe("show", () => {
  it("posts the card to the channel by id and by link", async () => {
    const run = runWithStatus("active");
    await h.driver.command(`show ${run.id}`, { channel: OPS });
    const post = await h.slack.waitFor((c) => c.method === "chat.postMessage");
    expect(post.args.channel).toBe(OPS);
    const blocks = post.args.blocks as Block[];
    assertBlockKit({ type: "message", blocks });
    expect(allText(blocks)).toContain(run.id);
    expect(actionIds(blocks)).toEqual(
      expect.arrayContaining(["run_update", "run_archive", "run_refresh", "run_open"]),
    );
    expect(actionIds(blocks)).not.toContain("run_activate");

    h.slack.reset();
    await h.driver.command(`show ${h.sandbox.webUrl}/${h.sandbox.orgId}/processes/${run.id}`, {
      channel: OPS,
    });
    const again = await h.slack.waitFor((c) => c.method === "chat.postMessage");
    expect(allText(again.args.blocks)).toContain(run.id);
  });

  it("shows an archived run with Activate instead of Archive", async () => {
    const run = runWithStatus("archived");
    await h.driver.command(`show ${run.id}`, { channel: OPS });
    const post = await h.slack.waitFor((c) => c.method === "chat.postMessage");
    const ids = actionIds(post.args.blocks as Block[]);
    expect(ids).toContain("run_activate");
    expect(ids).not.toContain("run_archive");
  });

  it("explains a run it cannot find, and input it cannot read", async () => {
    await h.driver.command("show 0000000000000000000000000000dead", { channel: OPS });
    expect(allText((await responseAfter(0)).blocks)).toContain("couldn't find process");

    await h.driver.command("show not a run", { channel: OPS });
    expect(allText((await responseAfter(1)).blocks)).toContain("couldn't read a process id from");
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(0);
  });

  it("joins a public channel it is not in before posting", async () => {
    const run = runWithStatus("active");
    await h.driver.command(`show ${run.id}`, { channel: "C0GENERAL" });
    await h.slack.waitFor((c) => c.method === "chat.postMessage" && c.response.ok === true);
    expect(h.slack.callsTo("conversations.join")).toHaveLength(1);
  });
});

describe("card buttons", () => {
  async function postedCard(status: string) {
    const run = runWithStatus(status);
    await h.driver.command(`show ${run.id}`, { channel: OPS, user: ALICE });
    const post = await h.slack.waitFor((c) => c.method === "chat.postMessage");
    return { run, ts: post.response.ts as string };
  }

  it("archives with one request (the DELETE) and redraws the same message", async () => {
    const { run, ts } = await postedCard("active");
    h.sandbox.clearRequests();
    await h.driver.clickButton({ channel: OPS, ts }, "run_archive", { user: "U0BOB" });
    const update = await h.slack.waitFor((c) => c.method === "chat.update");
    expect(update.args.ts).toBe(ts);
    const blocks = update.args.blocks as Block[];
    assertBlockKit({ type: "message", blocks });
    expect(actionIds(blocks)).toContain("run_activate");
    expect(allText(blocks)).toContain("Archived by <@U0BOB>");
    expect((h.sandbox.state.runs.get(run.id) as { status: string }).status).toBe("archived");
    const tallyfyRuns = h.sandbox.requests.filter((r) => r.path.includes("/runs"));
    // Tallyfy's own clock on the answer tells an earlier archive from this one (run-actions.ts).
    expect(tallyfyRuns.map((r) => r.method)).toEqual(["DELETE"]);
  });

  it("shows tag names, not ids, on a card redrawn from an archive response", async () => {
    const tagged = [...h.sandbox.state.runs.values()].find(
      (r) => r.status === "active" && r.tags.length > 0,
    )!;
    await h.driver.command(`show ${tagged.id}`, { channel: OPS, user: ALICE });
    const post = await h.slack.waitFor((c) => c.method === "chat.postMessage");
    await h.driver.clickButton({ channel: OPS, ts: post.response.ts as string }, "run_archive", {
      user: ALICE,
    });
    const update = await h.slack.waitFor((c) => c.method === "chat.update");
    const titles = tagged.tags.map((id) => h.sandbox.state.tags.find((t) => t.id === id)!.title);
    for (const title of titles) expect(allText(update.args.blocks)).toContain(title);
    for (const id of tagged.tags) expect(allText(update.args.blocks)).not.toContain(id);
  });

  it("activates an archived run and redraws it", async () => {
    const { run, ts } = await postedCard("archived");
    await h.driver.clickButton({ channel: OPS, ts }, "run_activate", { user: ALICE });
    const update = await h.slack.waitFor((c) => c.method === "chat.update");
    expect(allText(update.args.blocks)).toContain("Activated by <@U0ALICE>");
    expect(actionIds(update.args.blocks as Block[])).toContain("run_archive");
    expect((h.sandbox.state.runs.get(run.id) as { status: string }).status).not.toBe("archived");
  });

  it("explains activating a run that is not archived and shows its current state", async () => {
    // A stale card: posted while archived, then restored in Tallyfy by someone else.
    const { run, ts } = await postedCard("archived");
    const live = h.sandbox.state.runs.get(run.id) as { status: string; archived_at: string | null };
    live.status = "active";
    live.archived_at = null;
    await h.driver.clickButton({ channel: OPS, ts }, "run_activate", { user: ALICE });
    const update = await h.slack.waitFor((c) => c.method === "chat.update");
    expect(allText(update.args.blocks)).toContain("nothing to activate");
    expect(actionIds(update.args.blocks as Block[])).toContain("run_archive");
  });

  it("refreshes from Tallyfy", async () => {
    const { run, ts } = await postedCard("active");
    (h.sandbox.state.runs.get(run.id) as { name: string }).name = "Renamed in Tallyfy";
    await h.driver.clickButton({ channel: OPS, ts }, "run_refresh", { user: ALICE });
    const update = await h.slack.waitFor((c) => c.method === "chat.update");
    expect(allText(update.args.blocks)).toContain("Renamed in Tallyfy");
  });

  it("archive command on an archived run says it already was", async () => {
    const run = runWithStatus("archived");
    await h.driver.command(`archive ${run.id}`, { channel: OPS });
    const post = await h.slack.waitFor((c) => c.method === "chat.postMessage");
    expect(allText(post.args.blocks)).toContain("already archived");
  });
});

describe("Tallyfy failures become one clear sentence", () => {
  const cases: [string, object, string][] = [
    ["forbidden", { status: 403, body: { error: true, message: "Forbidden" } }, "permission"],
    [
      "rate limited",
      { status: 429, headers: { "Retry-After": "40" }, times: Infinity },
      "try again in 40 s",
    ],
    [
      "server error",
      { status: 500, body: { error: true, message: "boom" }, times: Infinity },
      "nothing was changed",
    ],
    ["connection drop", { drop: true, times: Infinity }, "nothing was changed"],
    ["malformed response", { malformed: true }, "couldn't read"],
    // Longer than the harness's 3 s attempt timeout, on every attempt.
    [
      "timeout",
      { latencyMs: 3_500, times: Infinity },
      "didn't answer in time; nothing was changed",
    ],
    [
      "authentication (workspace token)",
      { status: 401, body: { error: true, message: "Unauthenticated." } },
      "workspace connection",
    ],
  ];
  it.each(cases)("%s", async (_name, fault, expected) => {
    const run = runWithStatus("active");
    h.sandbox.fault({ method: "GET", path: new RegExp(`/runs/${run.id}$`), ...fault });
    await h.driver.command(`show ${run.id}`, { channel: OPS });
    const res = await lastResponse();
    const text = allText(res.blocks);
    expect(text).toContain(expected);
    expect(text).not.toMatch(/at .+\.ts:\d+|undefined|\{"error"/);
    expect(h.slack.callsTo("chat.postMessage")).toHaveLength(0);
  });

  it("shows Tallyfy's own validation message", async () => {
    const run = runWithStatus("active");
    h.sandbox.fault({
      method: "DELETE",
      path: new RegExp(`/runs/${run.id}$`),
      status: 422,
      body: { error: true, message: "This process is locked by an administrator." },
    });
    await h.driver.command(`archive ${run.id}`, { channel: OPS });
    expect(allText((await lastResponse()).blocks)).toContain("locked by an administrator");
  });
});

describe("request verification", () => {
  it("rejects a forged signature and a stale timestamp", async () => {
    const body = new URLSearchParams({
      command: "/tallyfy",
      text: "help",
      team_id: "T0ACME",
      user_id: ALICE,
      channel_id: OPS,
      response_url: h.slack.newResponseUrl({ channelId: OPS, userId: ALICE }),
    }).toString();
    const forged = await h.driver.signedPost(body, "application/x-www-form-urlencoded", {
      signature: "v0=deadbeef",
    });
    expect(forged.status).toBe(401);
    const stale = await h.driver.signedPost(body, "application/x-www-form-urlencoded", {
      timestamp: Math.floor(Date.now() / 1000) - 60 * 10,
    });
    expect(stale.status).toBe(401);
    const good = await h.driver.signedPost(body, "application/x-www-form-urlencoded");
    expect(good.status).toBe(200);
  });

  it("asks Slack who the bot is once, not on every request", async () => {
    for (let i = 0; i < 3; i++) await h.driver.command("help");
    const run = runWithStatus("active");
    await h.driver.command(`show ${run.id}`, { channel: OPS });
    await h.slack.waitFor((c) => c.method === "chat.postMessage");
    expect(h.slack.callsTo("auth.test").length).toBeLessThanOrEqual(1);
  });

  it("serves /healthz once ready", async () => {
    const res = await fetch(`http://127.0.0.1:${h.port}/healthz`);
    expect(res.status).toBe(200);
  });

  it("keeps an idle keep-alive connection open longer than a load balancer's 60 s idle timeout", async () => {
    // Node's default closes it after 5 s; a balancer reusing it then gets a reset (a 502).
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const healthz = () =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = get(`http://127.0.0.1:${h.port}/healthz`, { agent }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on("error", reject);
      });
    try {
      expect(await healthz()).toEqual({ status: 200, reused: false });
      await new Promise((r) => setTimeout(r, 6_000));
      expect(await healthz()).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  }, 15_000);
});

describe("secrets", () => {
  it("never logs the Tallyfy or Slack tokens", async () => {
    const run = runWithStatus("active");
    h.sandbox.fault({
      method: "GET",
      path: new RegExp(`/runs/${run.id}$`),
      status: 500,
      times: Infinity,
    });
    await h.driver.command(`show ${run.id}`, { channel: OPS });
    await lastResponse();
    const logs = h.logs.join("\n");
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(h.sandbox.token);
    expect(logs).not.toContain("xoxb-test-bot-token");
  });
});

describe("nothing leaves a person without an answer", () => {
  it("answers a command and a click even when the connection store fails", async () => {
    const run = runWithStatus("active");
    await h.driver.command(`show ${run.id}`, { channel: OPS, user: ALICE });
    const post = await h.slack.waitFor((c) => c.method === "chat.postMessage");
    const get = h.store.get;
    h.store.get = () => Promise.reject(new Error("database is locked"));
    try {
      await h.driver.command(`show ${run.id}`, { channel: OPS, user: ALICE });
      const reply = await lastResponse();
      expect(allText(reply.blocks)).toContain("Something went wrong on my side");
      expect(allText(reply.blocks)).not.toContain("database is locked");

      const ts = post.response.ts as string;
      await h.driver.clickButton({ channel: OPS, ts }, "run_refresh", { user: ALICE });
      const click = await responseAfter(1);
      expect(allText(click.blocks)).toContain("Something went wrong on my side");
    } finally {
      h.store.get = get;
    }
    expect(h.logs.join("\n")).toContain("database is locked");
  });
});

describe("a burst of commands", () => {
  it("turns a command away inside the ack once the backlog is too deep, and takes them again after", async () => {
    const own = await startHarness();
    let open = () => {};
    const gate = new Promise<void>((r) => (open = r));
    try {
      const run = [...own.sandbox.state.runs.values()].find((r) => r.status === "active")!;
      const hold = () => gate;
      const q = own.bot.context.background;
      const held = { run: hold, stopped: async () => {}, onError: () => {} };
      // The safety cap running (held), and MAX_WAITING waiting behind it.
      for (let i = 0; i < BACKGROUND_SAFETY_CAP + MAX_WAITING; i++) q.enqueue(held);
      expect(q.waiting).toBe(MAX_WAITING);

      const res = await own.driver.command(`show ${run.id}`, { channel: OPS, user: ALICE });
      const body = res.body as { blocks: Block[]; response_type: string };
      expect(body.response_type).toBe("ephemeral");
      expect(allText(body.blocks)).toContain("Nothing was changed; try again in a minute");
      assertBlockKit({ type: "message", blocks: body.blocks });
      // Help needs no queue: still answered.
      const help = await own.driver.command("help");
      expect(allText((help.body as { blocks: Block[] }).blocks)).toContain("launch");

      open();
      await eventually(() => expect(q.pending).toBe(0));
      expect(own.sandbox.requests).toHaveLength(0);
      await own.driver.command(`show ${run.id}`, { channel: OPS, user: ALICE });
      await eventually(() => expect(own.slack.callsTo("chat.postMessage")).toHaveLength(1));
    } finally {
      open();
      await own.close();
    }
  });
});

describe("shutdown", () => {
  it("lets a command already in hand finish before stop() resolves", async () => {
    const own = await startHarness({ sandboxLatencyMs: 400 });
    try {
      const run = [...own.sandbox.state.runs.values()].find((r) => r.status === "active")!;
      await own.driver.command(`show ${run.id}`, { channel: OPS, user: ALICE });
      await eventually(() => expect(own.sandbox.requests.length).toBeGreaterThan(0));
      await own.bot.stop();
      expect(own.slack.callsTo("chat.postMessage")).toHaveLength(1);
      expect(own.bot.ready).toBe(false);
    } finally {
      await own.close();
    }
  });

  it("npm start: serves /healthz, and exits cleanly on SIGTERM", async () => {
    const bot = await startInstance("bot", {
      PATH: process.env.PATH ?? "",
      SLACK_BOT_TOKEN: "xoxb-test-bot-token-0123456789",
      SLACK_SIGNING_SECRET: "test-signing-secret-abcdef",
      SLACK_API_URL: h.slack.apiUrl,
      TALLYFY_API_URL: h.sandbox.url,
      TALLYFY_ACCESS_TOKEN: h.sandbox.token,
      TALLYFY_ORG_ID: h.sandbox.orgId,
      PORT: "0",
    });
    try {
      expect((await fetch(`http://127.0.0.1:${bot.port}/healthz`)).status).toBe(200);
      expect(await bot.stop()).toBe(0);
      const logs = bot.logs.join("\n");
      expect(logs).toContain("SIGTERM received");
      expect(logs).not.toContain(h.sandbox.token);
    } finally {
      await bot.stop();
    }
  }, 30_000);
});

describe("logging", () => {
  it("never throws on circular context and keeps nested errors readable", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "debug", json: true, write: (l) => lines.push(l) });
    const circular: Record<string, unknown> = { name: "socket" };
    circular.self = circular;
    const inner = new Error("connect ECONNREFUSED");
    expect(() =>
      logger.error("failed", { request: circular, wrapped: { original: inner }, n: 10n }),
    ).not.toThrow();
    const entry = JSON.parse(lines[0]!) as {
      request: { self: string };
      wrapped: { original: { message: string } };
      n: string;
    };
    expect(entry.request.self).toBe("[circular]");
    expect(entry.wrapped.original.message).toBe("connect ECONNREFUSED");
    expect(entry.n).toBe("10");
  });

  it("routes Bolt's error objects with their message, redacted", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "debug", json: true, write: (l) => lines.push(l) });
    boltLogger(logger).error(new Error("An API error occurred: invalid_auth xoxb-123-secret"));
    const entry = JSON.parse(lines[0]!) as { msg: string; error: { stack: string } };
    expect(entry.msg).toContain("An API error occurred: invalid_auth");
    expect(entry.msg).not.toContain("xoxb-123-secret");
    expect(entry.error.stack).toContain("commands.test.ts");
  });
});
