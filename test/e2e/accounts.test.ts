import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED } from "../../sandbox/tallyfy/server.ts";
import { pendingTokenId } from "../../src/accounts/pending-tokens.ts";
import { CONNECT } from "../../src/blocks/accounts.ts";
import { ACTION, VIEW } from "../../src/blocks/ids.ts";
import { replayRespond } from "../../src/features/connect/replay.ts";
import { DEFAULT_DB_FILE, openSqliteStore, StoreKeyError } from "../../src/store/index.ts";
import { assertBlockKit } from "../support/block-limits.ts";
import {
  connectAs,
  connectView,
  ephemerals,
  hasAction,
  mentions,
  nextEphemeral,
  OPS,
  openConnect,
  submitOrg,
  submitToken,
  tokensSeen,
} from "../support/connect.ts";
import { ENCRYPTION_KEY, eventually, type Harness, startHarness } from "../support/harness.ts";

const ALICE = "U0ALICE";
const BOB = "U0BOB";
const CAROL = "U0CAROL";
const DAVE = "U0DAVE";
const U = SEED.users;
const LABS = SEED.secondOrg.id;
const RUN = SEED.runs.active;

let h: Harness;

/** The checked token the store holds for `user` (taken: use only to check nothing is left). */
const heldToken = (user: string) =>
  h.store.takePending("connect-token", pendingTokenId(h.slack.teamId, user));

/** Users whose held token the bot takes from the store while `during` runs. */
async function tokenTakes(during: (taken: string[]) => Promise<void>): Promise<void> {
  const taken: string[] = [];
  const take = h.store.takePending;
  h.store.takePending = async (kind, id) => {
    const value = await take.call(h.store, kind, id);
    if (kind === "connect-token" && value !== undefined) taken.push(id.split(":")[1] ?? "");
    return value;
  };
  try {
    await during(taken);
  } finally {
    h.store.takePending = take;
  }
}

async function resetAll() {
  h.sandbox.reset();
  h.slack.reset();
  for (const user of [ALICE, BOB, CAROL, DAVE]) {
    await h.store.delete(h.slack.teamId, user);
    await h.bot.context.pending.drop(h.slack.teamId, user);
    await h.bot.context.pendingTokens.dropUser(h.slack.teamId, user);
  }
}

describe("with the workspace connection configured", () => {
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(resetAll);

  describe("connect", () => {
    it("explains where the token is, opens at once, and stores a one-organization account", async () => {
      const view = await openConnect(h, BOB);
      assertBlockKit({ type: "modal", ...view.view } as never);
      const shown = JSON.stringify(view.view.blocks);
      expect(shown).toContain("Settings > Integrations > REST API");
      expect(shown).toContain(h.sandbox.webUrl);
      // Nothing was asked of Tallyfy before the modal opened.
      expect(h.sandbox.requests).toHaveLength(0);

      const res = await submitToken(h, view.id, U.bob.token);
      expect(res.viewProblem).toBeUndefined();
      expect(res.body.response_action).toBe("update");
      expect(JSON.stringify(res.body.view)).toContain("Bob Brown");
      expect(JSON.stringify(res.body.view)).toContain("Acme Operations");

      const stored = await h.store.get(h.slack.teamId, BOB);
      expect(stored).toMatchObject({
        token: U.bob.token,
        orgId: SEED.orgId,
        orgName: "Acme Operations",
        tallyfyUserId: U.bob.id,
        tallyfyEmail: U.bob.email,
        tallyfyName: "Bob Brown",
        status: "ok",
      });
      const paths = h.sandbox.requests.map((r) => `${r.path} ${r.token}`);
      expect(paths).toEqual(
        expect.arrayContaining([`/me ${U.bob.token}`, `/me/organizations ${U.bob.token}`]),
      );
      // The token went to Tallyfy only: the success view holds no trace of it.
      expect(JSON.stringify(h.slack.views.get(view.id)?.view)).not.toContain(U.bob.token);
    });

    it("asks which organization when the account is in several, without putting the token in Slack", async () => {
      const view = await openConnect(h, ALICE);
      const res = await submitToken(h, view.id, U.admin.token);
      expect(res.viewProblem).toBeUndefined();
      expect(res.body.response_action).toBe("update");
      expect(await h.store.get(h.slack.teamId, ALICE)).toBeUndefined();

      const step2 = await connectView(h, ALICE);
      expect(step2.id).toBe(view.id);
      expect(JSON.stringify(step2.view)).not.toContain(U.admin.token);
      const select = (
        step2.view.blocks as { block_id: string; element?: Record<string, never> }[]
      ).find((b) => b.block_id === CONNECT.orgBlock)?.element as unknown as {
        options: { text: { text: string }; value: string }[];
        initial_option?: { value: string };
      };
      expect(select.options.map((o) => o.text.text).sort()).toEqual([
        "Acme Labs",
        "Acme Operations",
      ]);
      // The workspace's organization is pre-selected.
      expect(select.initial_option?.value).toBe(SEED.orgId);

      const done = await submitOrg(h, view.id, LABS);
      expect(done.viewProblem).toBeUndefined();
      expect(JSON.stringify(done.body.view)).toContain("Acme Labs");
      expect(await h.store.get(h.slack.teamId, ALICE)).toMatchObject({
        orgId: LABS,
        orgName: "Acme Labs",
        token: U.admin.token,
      });
      expect(await heldToken(ALICE)).toBeUndefined();

      // From now on her commands act in Acme Labs.
      const from = h.sandbox.requests.length;
      await h.driver.command("list", { user: ALICE });
      await nextEphemeral(h, ALICE, hasAction(ACTION.view));
      const listCall = h.sandbox.requests.slice(from).find((r) => r.path.endsWith("/runs"));
      expect(listCall?.path).toBe(`/organizations/${LABS}/runs`);
      expect(listCall?.token).toBe(U.admin.token);
    });

    it("forgets the checked token when the organization step is closed", async () => {
      const view = await openConnect(h, ALICE);
      await submitToken(h, view.id, U.admin.token);
      await tokenTakes(async (taken) => {
        await h.driver.closeView(view.id);
        await eventually(() => expect(taken).toContain(ALICE));
      });
      expect(await heldToken(ALICE)).toBeUndefined();
      expect(await h.store.get(h.slack.teamId, ALICE)).toBeUndefined();
    });

    it("says so, saving nothing, when the token expired or saving fails", async () => {
      // The checked token was let go (TTL) before the organization was chosen.
      const first = await openConnect(h, ALICE);
      await submitToken(h, first.id, U.admin.token);
      await h.bot.context.pendingTokens.dropUser(h.slack.teamId, ALICE);
      const expired = await submitOrg(h, first.id, LABS);
      expect(expired.viewProblem).toBeUndefined();
      expect(JSON.stringify(expired.body.view)).toContain("took too long");

      const put = h.store.put;
      h.store.put = () => Promise.reject(new Error("disk full"));
      try {
        const step1 = await openConnect(h, BOB);
        const failed = await submitToken(h, step1.id, U.bob.token);
        expect(failed.viewProblem).toBeUndefined();
        expect(failed.body.errors[CONNECT.tokenBlock]).toMatch(/nothing was saved/);

        const multi = await openConnect(h, ALICE);
        await submitToken(h, multi.id, U.admin.token);
        const failedOrg = await submitOrg(h, multi.id, LABS);
        expect(failedOrg.viewProblem).toBeUndefined();
        expect(JSON.stringify(failedOrg.body.view)).toContain("nothing was saved");
      } finally {
        h.store.put = put;
      }
      expect(await h.store.count()).toBe(0);
      expect(h.logs.some((l) => l.includes("connect failed"))).toBe(true);
    });

    it("shows an error on the input for a wrong token and stores nothing", async () => {
      const wrong = "sandbox-pat-bob-not-a-real-token-000000";
      const view = await openConnect(h, BOB);
      const res = await submitToken(h, view.id, wrong);
      expect(res.viewProblem).toBeUndefined();
      expect(res.body.response_action).toBe("errors");
      expect(res.body.errors[CONNECT.tokenBlock]).toMatch(/didn't accept/);
      expect(JSON.stringify(res.body)).not.toContain(wrong);
      expect(h.sandbox.requests.some((r) => r.path === "/me" && r.token === wrong)).toBe(true);
      expect(await h.store.count()).toBe(0);
    });

    it("rejects a pasted token with spaces without asking Tallyfy", async () => {
      const view = await openConnect(h, BOB);
      const res = await submitToken(h, view.id, "my token is here");
      expect(res.body.response_action).toBe("errors");
      expect(res.body.errors[CONNECT.tokenBlock]).toMatch(/doesn't look like/);
      expect(h.sandbox.requests).toHaveLength(0);
    });

    it("says Tallyfy couldn't be asked when it fails, and stores nothing", async () => {
      h.sandbox.fault({ path: "/me", status: 500, times: Infinity });
      const view = await openConnect(h, BOB);
      const res = await submitToken(h, view.id, U.bob.token);
      expect(res.late).toBe(false);
      expect(res.body.response_action).toBe("errors");
      expect(res.body.errors[CONNECT.tokenBlock]).toMatch(/couldn't check the token/);
      expect(await h.store.count()).toBe(0);
    });
  });

  describe("disconnect and whoami", () => {
    it("whoami shows your own account; disconnect deletes it and falls back to the workspace", async () => {
      await connectAs(h, BOB, U.bob.token);
      await h.driver.command("whoami", { user: BOB });
      const own = await nextEphemeral(h, BOB, mentions("You act in Tallyfy as"));
      expect(JSON.stringify(own.blocks)).toContain("Bob Brown");
      expect(JSON.stringify(own.blocks)).toContain("Acme Operations");

      const n = ephemerals(h, BOB).length;
      await h.driver.command("disconnect", { user: BOB });
      const bye = await nextEphemeral(h, BOB, mentions("Disconnected"), n);
      expect(JSON.stringify(bye.blocks)).toContain("workspace's shared Tallyfy connection");
      expect(await h.store.get(h.slack.teamId, BOB)).toBeUndefined();

      const m = ephemerals(h, BOB).length;
      await h.driver.command("disconnect", { user: BOB });
      await nextEphemeral(h, BOB, mentions("nothing to delete"), m);
    });

    it("whoami without your own account names the workspace connection and offers Connect", async () => {
      await h.driver.command("whoami", { user: DAVE, channel: "C0GENERAL" });
      const msg = await nextEphemeral(h, DAVE, mentions("workspace connection"), 0, "C0GENERAL");
      const text = JSON.stringify(msg.blocks);
      // The shared token is the admin's: whoami asked Tallyfy who that is.
      expect(text).toContain("Alice Anders");
      expect(text).toContain("Acme Operations");
      expect(hasAction(ACTION.connect)(msg)).toBe(true);
      expect(h.sandbox.requests.map((r) => r.path)).toContain("/me");
    });

    it("whoami says so when the saved token stopped working", async () => {
      await connectAs(h, BOB, U.bob.token);
      await h.store.markInvalid(h.slack.teamId, BOB, U.bob.token);
      await h.driver.command("whoami", { user: BOB });
      const msg = await nextEphemeral(h, BOB, mentions("no longer works"));
      expect(hasAction(ACTION.connect)(msg)).toBe(true);
    });
  });

  describe("acting as yourself", () => {
    it("sends each person's own token, for commands and for clicks on someone else's card", async () => {
      await connectAs(h, BOB, U.bob.token);
      await connectAs(h, CAROL, U.carol.token);
      const from = h.sandbox.requests.length;

      await h.driver.command(`show ${RUN}`, { user: BOB });
      const card = await eventually(() => {
        const posted = h.slack
          .messages(OPS)
          .find((m) => !m.ephemeralTo && hasAction(ACTION.archive)(m));
        if (!posted) throw new Error("no card yet");
        return posted;
      });
      const shows = h.sandbox.requests.slice(from).filter((r) => r.path.endsWith(`/runs/${RUN}`));
      expect(shows.length).toBeGreaterThan(0);
      expect(new Set(shows.map((r) => r.token))).toEqual(new Set([U.bob.token]));

      // Carol clicks Archive on the card Bob posted: it acts as Carol.
      const beforeClick = h.sandbox.requests.length;
      await h.driver.clickButton({ channel: OPS, ts: card.ts }, ACTION.archive, { user: CAROL });
      const archive = await eventually(() => {
        const r = h.sandbox.requests.slice(beforeClick).find((x) => x.method === "DELETE");
        if (!r) throw new Error("no archive yet");
        return r;
      });
      expect(archive.token).toBe(U.carol.token);

      // And a command of Carol's goes with her token too.
      const beforeActivate = h.sandbox.requests.length;
      await h.driver.command(`activate ${RUN}`, { user: CAROL });
      await eventually(() =>
        expect(
          h.sandbox.requests.slice(beforeActivate).some((r) => r.path.endsWith("/activate")),
        ).toBe(true),
      );
      expect(new Set(tokensSeen(h, beforeActivate))).toEqual(new Set([U.carol.token]));
      expect(tokensSeen(h, from)).not.toContain(h.sandbox.token);
    });

    it("uses the workspace connection for someone who never connected", async () => {
      await h.driver.command("list", { user: DAVE, channel: "C0GENERAL" });
      await nextEphemeral(h, DAVE, hasAction(ACTION.view), 0, "C0GENERAL");
      expect(new Set(tokensSeen(h))).toEqual(new Set([h.sandbox.token]));
    });

    it("on a 401 marks the token invalid, asks to reconnect, and never falls back to the workspace token", async () => {
      await connectAs(h, BOB, U.bob.token);
      const from = h.sandbox.requests.length;
      h.sandbox.fault({ path: /\/runs/, status: 401, times: Infinity });
      await h.driver.command(`show ${RUN}`, { user: BOB });
      const prompt = await nextEphemeral(h, BOB, hasAction(ACTION.connect));
      expect(JSON.stringify(prompt.blocks)).toContain("Reconnect Tallyfy");
      expect((await h.store.get(h.slack.teamId, BOB))?.status).toBe("invalid");
      expect(h.sandbox.requests.length).toBeGreaterThan(from);
      expect(new Set(tokensSeen(h, from))).toEqual(new Set([U.bob.token]));

      // The next command doesn't reach Tallyfy at all, with any token: reconnect first.
      h.sandbox.clearFaults();
      const quiet = h.sandbox.requests.length;
      const n = ephemerals(h, BOB).length;
      await h.driver.command("list", { user: BOB });
      const again = await nextEphemeral(h, BOB, hasAction(ACTION.connect), n);
      expect(h.sandbox.requests.length).toBe(quiet);

      // Reconnecting from that prompt carries the list out with Bob's token.
      await h.driver.clickButton({ ephemeral: again }, ACTION.connect, { user: BOB });
      const view = await connectView(h, BOB);
      await submitToken(h, view.id, U.bob.token);
      expect((await h.store.get(h.slack.teamId, BOB))?.status).toBe("ok");
      await nextEphemeral(h, BOB, hasAction(ACTION.view), n);
      expect(tokensSeen(h, quiet)).not.toContain(h.sandbox.token);
    });
  });

  it("answers a replayed command through its response_url, or ephemerally without one", async () => {
    const client = h.bot.app.client;
    const responseUrl = h.slack.newResponseUrl({ channelId: OPS, userId: CAROL });
    const viaUrl = replayRespond(h.bot.context, client, {
      userId: CAROL,
      channelId: OPS,
      responseUrl,
    });
    await viaUrl({ response_type: "ephemeral", text: "via the url" });
    const posted = await h.slack.waitForResponse((r) => r.body.text === "via the url");
    expect(responseUrl.endsWith(posted.id)).toBe(true);

    const direct = replayRespond(h.bot.context, client, { userId: CAROL, channelId: OPS });
    await direct({ response_type: "ephemeral", text: "posted ephemerally" });
    const call = await h.slack.waitFor((c) => c.method === "chat.postEphemeral");
    expect(call.args).toMatchObject({ channel: OPS, user: CAROL, text: "posted ephemerally" });

    // A used-up or dead response_url falls back to chat.postEphemeral.
    const dead = replayRespond(h.bot.context, client, {
      userId: CAROL,
      channelId: OPS,
      responseUrl: `${h.slack.url}/response/doesnotexist`,
    });
    await dead({ text: "fallback" });
    await h.slack.waitFor((c) => c.method === "chat.postEphemeral" && c.args.text === "fallback");
  });
});

describe("without the workspace connection", () => {
  let hs: Harness;
  beforeAll(async () => {
    hs = await startHarness({ shared: false });
    h = hs;
  });
  afterAll(async () => {
    await hs?.close();
  });
  beforeEach(async () => {
    h = hs;
    await resetAll();
  });

  it("prompts to connect instead of calling Tallyfy", async () => {
    await h.driver.command("list", { user: DAVE, channel: "C0GENERAL" });
    const prompt = await nextEphemeral(h, DAVE, hasAction(ACTION.connect), 0, "C0GENERAL");
    expect(JSON.stringify(prompt.blocks)).toContain("Connect Tallyfy");
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it("carries out the command after connecting from the prompt", async () => {
    await h.driver.command("list", { user: CAROL });
    const prompt = await nextEphemeral(h, CAROL, hasAction(ACTION.connect));
    expect(h.sandbox.requests).toHaveLength(0);
    const n = ephemerals(h, CAROL).length;

    await h.driver.clickButton({ ephemeral: prompt }, ACTION.connect, { user: CAROL });
    const view = await connectView(h, CAROL);
    const res = await submitToken(h, view.id, U.carol.token);
    expect(JSON.stringify(res.body.view)).toContain("/tallyfy list");

    const list = await nextEphemeral(h, CAROL, hasAction(ACTION.view), n);
    expect(list.blocks.length).toBeGreaterThan(1);
    const listCall = h.sandbox.requests.find((r) => r.path.endsWith("/runs"));
    expect(listCall?.token).toBe(U.carol.token);

    // Carried out once: connecting again has nothing left to replay.
    const calls = h.sandbox.requests.length;
    const again = await openConnect(h, CAROL);
    const second = await submitToken(h, again.id, U.carol.token);
    expect(JSON.stringify(second.body.view)).not.toContain("/tallyfy list");
    await new Promise((r) => setTimeout(r, 200));
    expect(h.sandbox.requests.slice(calls).some((r) => r.path.endsWith("/runs"))).toBe(false);
  });

  it("turns the connect modal into the launch form when /tallyfy launch was waiting", async () => {
    await h.driver.command("launch", { user: CAROL });
    const prompt = await nextEphemeral(h, CAROL, hasAction(ACTION.connect));
    await h.driver.clickButton({ ephemeral: prompt }, ACTION.connect, { user: CAROL });
    const view = await connectView(h, CAROL);
    await submitToken(h, view.id, U.carol.token);
    const launch = await eventually(() => {
      const open = h.slack.openView(CAROL);
      if (open?.view.callback_id !== VIEW.launch) throw new Error("launch form not shown yet");
      return open;
    });
    // Replaced in place: views.open can't reliably follow a submission.
    expect(launch.id).toBe(view.id);
    expect(h.slack.callsTo("views.open")).toHaveLength(1);
  });

  it("replays the latest waiting command after a typed /tallyfy connect", async () => {
    await h.driver.command(`show ${RUN}`, { user: BOB });
    await nextEphemeral(h, BOB, hasAction(ACTION.connect));
    await connectAs(h, BOB, U.bob.token);
    await eventually(() => {
      const card = h.slack
        .messages(OPS)
        .find((m) => !m.ephemeralTo && hasAction(ACTION.archive)(m));
      if (!card) throw new Error("no card yet");
    });
    expect(new Set(tokensSeen(h))).toEqual(new Set([U.bob.token]));
  });

  it("whoami and disconnect say you're not connected and there is no fallback", async () => {
    await h.driver.command("whoami", { user: DAVE, channel: "C0GENERAL" });
    const who = await nextEphemeral(h, DAVE, mentions("not connected"), 0, "C0GENERAL");
    expect(hasAction(ACTION.connect)(who)).toBe(true);

    await connectAs(h, BOB, U.bob.token);
    await h.driver.command("disconnect", { user: BOB });
    const bye = await nextEphemeral(h, BOB, mentions("Disconnected"));
    expect(JSON.stringify(bye.blocks)).toContain("ask you to connect");
  });
});

describe("configuration", () => {
  let hc: Harness | undefined;
  afterEach(async () => {
    await hc?.close();
    hc = undefined;
  });

  it("TALLYFY_ALLOW_SHARED=false keeps the workspace token unused", async () => {
    hc = await startHarness({ env: { TALLYFY_ALLOW_SHARED: "false" } });
    h = hc;
    await h.driver.command("list", { user: DAVE, channel: "C0GENERAL" });
    await nextEphemeral(h, DAVE, hasAction(ACTION.connect), 0, "C0GENERAL");
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it("without TOKEN_ENCRYPTION_KEY, connect explains the workspace uses the shared connection", async () => {
    hc = await startHarness({ env: { TOKEN_ENCRYPTION_KEY: undefined } });
    h = hc;
    await h.driver.command("connect", { user: BOB });
    const msg = await nextEphemeral(h, BOB, mentions("shared Tallyfy connection"));
    expect(msg.blocks.length).toBeGreaterThan(0);
    expect(h.slack.callsTo("views.open")).toHaveLength(0);
  });
});

describe("persistence and keys", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tallyfy-accounts-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps connections across a restart", async () => {
    const first = await startHarness({ dataDir: dir, shared: false });
    h = first;
    try {
      await connectAs(h, BOB, U.bob.token);
    } finally {
      await first.close();
    }
    // The token is not stored in the clear.
    expect(readdirSync(dir)).toContain(DEFAULT_DB_FILE);
    for (const file of readdirSync(dir)) {
      expect(readFileSync(join(dir, file)).includes(Buffer.from(U.bob.token))).toBe(false);
    }

    const second = await startHarness({ dataDir: dir, shared: false });
    h = second;
    try {
      await h.driver.command("whoami", { user: BOB });
      await nextEphemeral(h, BOB, mentions("Bob Brown"));
      await h.driver.command(`show ${RUN}`, { user: BOB });
      await eventually(() =>
        expect(h.sandbox.requests.some((r) => r.path.endsWith(RUN))).toBe(true),
      );
      expect(new Set(tokensSeen(h))).toEqual(new Set([U.bob.token]));
    } finally {
      await second.close();
    }
  });

  it("refuses to open the store with another key, and the app exits with a clear message", async () => {
    const store = await openSqliteStore({
      dataDir: dir,
      key: Buffer.from(ENCRYPTION_KEY, "base64"),
    });
    await store.put({
      teamId: "T0ACME",
      userId: BOB,
      token: U.bob.token,
      orgId: SEED.orgId,
      orgName: null,
      tallyfyUserId: null,
      tallyfyEmail: null,
      tallyfyName: null,
    });
    await store.close();
    const otherKey = Buffer.alloc(32, 7);
    await expect(openSqliteStore({ dataDir: dir, key: otherKey })).rejects.toBeInstanceOf(
      StoreKeyError,
    );

    const run = startApp({ TOKEN_ENCRYPTION_KEY: otherKey.toString("base64"), DATA_DIR: dir });
    const { code, stderr } = await run;
    expect(code).toBe(1);
    expect(stderr).toContain("can't be decrypted with TOKEN_ENCRYPTION_KEY");
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toContain(U.bob.token);
  });

  it("the app exits with a clear message when no key and no workspace connection are set", async () => {
    const { code, stderr } = await startApp({ DATA_DIR: dir });
    expect(code).toBe(1);
    expect(stderr).toContain("TOKEN_ENCRYPTION_KEY is required");
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

/** Runs `node src/index.ts` with a minimal environment until it exits (or 15 s pass). */
function startApp(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["src/index.ts"], {
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      env: {
        PATH: process.env.PATH ?? "",
        SLACK_BOT_TOKEN: "xoxb-test-bot-token-0123456789",
        SLACK_SIGNING_SECRET: "test-signing-secret-abcdef",
        SLACK_API_URL: "http://127.0.0.1:9/api/",
        PORT: "0",
        ...env,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}
