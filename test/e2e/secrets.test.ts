/**
 * A recognisable Tallyfy token goes through every flow, failures included; it must never show
 * up in a log line or in anything the bot sends to Slack.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeMessage } from "../../sandbox/slack/types.ts";
import type { SandboxFault } from "../../sandbox/tallyfy/server.ts";
import { SEED } from "../../sandbox/tallyfy/server.ts";
import { ACTION } from "../../src/blocks/ids.ts";
import {
  connectView,
  ephemerals,
  hasAction,
  nextEphemeral,
  OPS,
  openConnect,
  submitToken,
} from "../support/connect.ts";
import { eventually, type Harness, startHarness } from "../support/harness.ts";

const SECRET = "tfy-CANARY-5ecre7-7f3e9a1b5c2d4e6f8a0b1c2d3e4f5a6b";
const BOB = "U0BOB";
const RUN = SEED.runs.active;

let h: Harness;
/** Every ack body the bot answered with (command acks, submission acks, click acks). */
const acks: unknown[] = [];

beforeAll(async () => {
  h = await startHarness();
  const bob = h.sandbox.state.users.find((u) => u.id === SEED.users.bob.id);
  if (!bob) throw new Error("no seeded bob");
  bob.token = SECRET;
});
afterAll(async () => {
  await h?.close();
});

async function command(text: string) {
  const n = ephemerals(h, BOB).length;
  const res = await h.driver.command(text, { user: BOB });
  acks.push(res.body);
  return n;
}

/** Let the work after an ack finish (replies, redraws) before the next step. */
async function settle(after: number, pred: (m: FakeMessage) => boolean = () => true) {
  await nextEphemeral(h, BOB, pred, after);
}

async function tryConnect(token: string, fault?: SandboxFault) {
  if (fault) h.sandbox.fault(fault);
  const view = await openConnect(h, BOB);
  const res = await submitToken(h, view.id, token);
  acks.push(res.body);
  h.sandbox.clearFaults();
  await new Promise((r) => setTimeout(r, 50));
  if (h.slack.views.get(view.id)?.open) await h.driver.closeView(view.id);
  return res;
}

function card() {
  return eventually(() => {
    const found = h.slack
      .messages(OPS)
      .filter((m) => !m.ephemeralTo && hasAction(ACTION.refresh)(m))
      .at(-1);
    if (!found) throw new Error("no card");
    return found;
  });
}

describe("a user's Tallyfy token", () => {
  it("goes through every flow without reaching a log or Slack", async () => {
    // Failed connects: wrong token (which contains the secret), Tallyfy down, slow, busy, garbled.
    expect((await tryConnect(`${SECRET}-wrong`)).body.response_action).toBe("errors");
    await tryConnect(SECRET, { path: "/me", status: 500, times: 5 });
    await tryConnect(SECRET, { path: "/me/organizations", status: 429, times: 5 });
    await tryConnect(SECRET, { path: "/me", malformed: true, times: 5 });
    await tryConnect(SECRET, { path: "/me", drop: true, times: 5 });
    await tryConnect(SECRET, { path: "/me", latencyMs: 2_600, times: 5 });
    expect(await h.store.get(h.slack.teamId, BOB)).toBeUndefined();

    // Connect for real.
    const ok = await tryConnect(SECRET);
    expect(ok.body.response_action).toBe("update");
    expect((await h.store.get(h.slack.teamId, BOB))?.token).toBe(SECRET);

    // Everyday use.
    await settle(await command("whoami"));
    await settle(await command("list"), hasAction(ACTION.view));
    const list = ephemerals(h, BOB).at(-1)!;
    acks.push(
      (await h.driver.clickButton({ ephemeral: list }, ACTION.listPage, { user: BOB })).body,
    );
    acks.push((await h.driver.clickButton({ ephemeral: list }, ACTION.view, { user: BOB })).body);
    await command(`show ${RUN}`);
    const posted = await card();
    for (const action of [ACTION.refresh, ACTION.archive, ACTION.activate, ACTION.update]) {
      // Each click redraws the card; wait for the button the next step needs.
      await eventually(() => {
        if (!hasAction(action)(h.slack.message(OPS, posted.ts)!))
          throw new Error(`no ${action} yet`);
      });
      const res = await h.driver.clickButton({ channel: OPS, ts: posted.ts }, action, {
        user: BOB,
      });
      acks.push(res.body);
    }
    await settle(await command("list mine"));
    await command(`edit ${RUN}`);
    await command("launch onboarding");

    // Tallyfy failing in every way while Bob acts.
    const faults: SandboxFault[] = [
      { path: /\/runs/, status: 500, times: 10 },
      { path: /\/runs/, status: 404, times: 10 },
      { path: /\/runs/, status: 403, times: 10 },
      { path: /\/runs/, status: 422, body: { error: true, message: `token ${SECRET}` }, times: 10 },
      { path: /\/runs/, status: 429, headers: { "Retry-After": "60" }, times: 10 },
      { path: /\/runs/, malformed: true, times: 10 },
      { path: /\/runs/, drop: true, times: 10 },
    ];
    for (const fault of faults) {
      h.sandbox.fault(fault);
      await settle(await command(`show ${RUN}`));
      await settle(await command(`archive ${RUN}`));
      h.sandbox.clearFaults();
    }

    // Tallyfy invalidates the token: reconnect prompt, then reconnect from it.
    h.sandbox.fault({ path: /\/runs/, status: 401, times: 10 });
    await settle(await command("list"), hasAction(ACTION.connect));
    h.sandbox.clearFaults();
    expect((await h.store.get(h.slack.teamId, BOB))?.status).toBe("invalid");
    await settle(await command("whoami"), hasAction(ACTION.connect));
    const prompt = await nextEphemeral(h, BOB, hasAction(ACTION.connect));
    await h.driver.clickButton({ ephemeral: prompt }, ACTION.connect, { user: BOB });
    const again = await connectView(h, BOB);
    acks.push((await submitToken(h, again.id, SECRET)).body);
    await settle(await command("list"), hasAction(ACTION.view));

    await settle(await command("disconnect"));
    expect(await h.store.get(h.slack.teamId, BOB)).toBeUndefined();

    // The token really was used: the flows above reached Tallyfy with it.
    expect(h.sandbox.requests.filter((r) => r.token === SECRET).length).toBeGreaterThan(20);

    const leaks: string[] = [];
    const check = (where: string, value: unknown) => {
      if (JSON.stringify(value ?? null).includes(SECRET)) leaks.push(where);
    };
    h.logs.forEach((line, i) => {
      check(`log line ${i}`, line);
    });
    for (const c of h.slack.calls) check(`Web API ${c.method}`, c.args);
    for (const r of h.slack.responses) check("response_url post", r.body);
    acks.forEach((a, i) => {
      check(`ack ${i}`, a);
    });
    for (const [channel, msgs] of h.slack.channels.map(
      (c) => [c.id, h.slack.messages(c.id)] as const,
    )) {
      for (const m of msgs) check(`message in ${channel}`, m.blocks);
    }
    // A view's state holds what the person typed (Slack's own copy); everything else is ours.
    for (const v of h.slack.views.values()) check(`view ${v.id}`, { ...v.view, state: undefined });
    expect(leaks).toEqual([]);
    expect(h.logs.length).toBeGreaterThan(20);
  });
});

describe("secrets other than the acting user's own token", () => {
  const CAROL = "U0CAROL";
  const carol = () => h.sandbox.state.users.find((u) => u.id === SEED.users.carol.id)!;

  it("never reach Slack when Tallyfy echoes them in an error", async () => {
    const own = "tfy-CAROL-own-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d";
    carol().token = own;
    for (const [user, token] of [
      [BOB, SECRET],
      [CAROL, own],
    ] as const) {
      const view = await openConnect(h, user);
      await submitToken(h, view.id, token);
      await eventually(async () =>
        expect((await h.store.get(h.slack.teamId, user))?.status).toBe("ok"),
      );
    }
    // Carol acts with her own token; Tallyfy's message names the workspace token and Bob's.
    const shared = h.sandbox.token;
    const message = `tokens ${shared} and ${SECRET} may not do that`;
    for (const status of [422, 400, 409]) {
      h.sandbox.fault({ path: /\/runs/, status, body: { error: true, message }, times: 10 });
      const n = ephemerals(h, CAROL).length;
      await h.driver.command(`archive ${RUN}`, { user: CAROL });
      const reply = await nextEphemeral(h, CAROL, () => true, n);
      h.sandbox.clearFaults();
      const shown = JSON.stringify(reply);
      expect(shown).toContain("[redacted]");
      expect(shown).not.toContain(shared);
      expect(shown).not.toContain(SECRET);
    }
    expect(h.logs.join("\n")).not.toContain(shared);
  });

  it("forgets a token when its connection is replaced or removed", async () => {
    const secrets = h.bot.context.secrets;
    const first = "tfy-CAROL-first-0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    const second = "tfy-CAROL-second-00112233445566778899aabbccddeeff";
    carol().token = first;
    let view = await openConnect(h, CAROL);
    await submitToken(h, view.id, first);
    await eventually(async () =>
      expect((await h.store.get(h.slack.teamId, CAROL))?.token).toBe(first),
    );
    expect(secrets.scrub(first)).toBe("[redacted]");

    carol().token = second;
    view = await openConnect(h, CAROL);
    await submitToken(h, view.id, second);
    await eventually(async () =>
      expect((await h.store.get(h.slack.teamId, CAROL))?.token).toBe(second),
    );
    expect(secrets.scrub(first)).toBe(first);
    expect(secrets.scrub(second)).toBe("[redacted]");

    const n = ephemerals(h, CAROL).length;
    await h.driver.command("disconnect", { user: CAROL });
    await nextEphemeral(h, CAROL, () => true, n);
    expect(secrets.scrub(second)).toBe(second);
    // Configuration secrets are never forgotten.
    expect(secrets.scrub(h.sandbox.token)).toBe("[redacted]");
  });
});
