/**
 * A 401 that arrives after the person reconnected: it was for the token they replaced, so the
 * new connection must stay valid. The sandbox holds the old call for a while; during it Bob
 * logs out of Tallyfy (his old token stops working) and connects his new token.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SEED } from "../../sandbox/tallyfy/server.ts";
import { ACTION } from "../../src/blocks/ids.ts";
import {
  connectAs,
  ephemerals,
  hasAction,
  mentions,
  nextEphemeral,
  OPS,
} from "../support/connect.ts";
import { eventually, type Harness, startHarness } from "../support/harness.ts";

const BOB = "U0BOB";
const RUN = SEED.runs.active;
const OLD = SEED.users.bob.token;
const NEW = "sandbox-pat-bob-after-logout-7c1d2e";
/** Long enough for a reconnect to finish first; below every attempt timeout. */
const HOLD_MS = 2000;

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  h.sandbox.reset();
  h.slack.reset();
  await h.store.delete(h.slack.teamId, BOB);
});

/** Starts the slow call with the old token, then swaps Bob's token in Tallyfy and reconnects. */
async function reconnectDuringSlowCall(startCall: () => Promise<unknown>): Promise<number> {
  await connectAs(h, BOB, OLD);
  const logsFrom = h.logs.length;
  h.sandbox.fault({ method: "GET", path: new RegExp(`/runs/${RUN}$`), latencyMs: HOLD_MS });
  const from = h.sandbox.requests.length;
  await startCall();
  const slow = await eventually(() => {
    const req = h.sandbox.requests.slice(from).find((r) => r.path.endsWith(`/runs/${RUN}`));
    if (!req) throw new Error("the slow call has not reached Tallyfy yet");
    return req;
  });
  expect(slow.token).toBe(OLD);

  const bob = h.sandbox.state.users.find((u) => u.token === OLD);
  if (!bob) throw new Error("no Bob in the sandbox");
  bob.token = NEW;
  await connectAs(h, BOB, NEW);
  await eventually(async () => expect((await h.store.get(h.slack.teamId, BOB))?.token).toBe(NEW));
  // The race is real only if the old call has not been answered yet.
  expect(h.logs.slice(logsFrom).some((l) => l.includes('"status":401'))).toBe(false);
  return logsFrom;
}

describe("a late 401 for a replaced token", () => {
  it("leaves the new connection valid, says to try again, and the next command works", async () => {
    const before = ephemerals(h, BOB).length;
    await reconnectDuringSlowCall(() => h.driver.command(`show ${RUN}`, { user: BOB }));

    const reply = await nextEphemeral(h, BOB, mentions("since been replaced"), before);
    expect(hasAction(ACTION.connect)(reply)).toBe(false);
    expect(await h.store.get(h.slack.teamId, BOB)).toMatchObject({ token: NEW, status: "ok" });

    const from = h.sandbox.requests.length;
    const cards = h.slack.messages(OPS).length;
    await h.driver.command(`show ${RUN}`, { user: BOB });
    await eventually(() => expect(h.slack.messages(OPS).length).toBeGreaterThan(cards));
    expect(new Set(h.sandbox.requests.slice(from).map((r) => r.token))).toEqual(new Set([NEW]));
    expect(await h.store.get(h.slack.teamId, BOB)).toMatchObject({ status: "ok" });
  });

  it("also when the failing flow doesn't know the actor (the edit modal)", async () => {
    const logsFrom = await reconnectDuringSlowCall(() =>
      h.driver.command(`edit ${RUN}`, { user: BOB }),
    );
    await eventually(
      () =>
        expect(
          h.logs.slice(logsFrom).some((l) => l.includes("a replaced Tallyfy token was rejected")),
        ).toBe(true),
      HOLD_MS + 5_000,
    );
    expect(await h.store.get(h.slack.teamId, BOB)).toMatchObject({ token: NEW, status: "ok" });
  });

  it("still marks the current token invalid when it is the one rejected", async () => {
    await connectAs(h, BOB, OLD);
    h.sandbox.state.users.find((u) => u.token === OLD)!.token = NEW;
    const n = ephemerals(h, BOB).length;
    await h.driver.command(`edit ${RUN}`, { user: BOB });
    await eventually(() =>
      expect(JSON.stringify(h.slack.openView(BOB)?.view)).toContain("Reconnect"),
    );
    expect((await h.store.get(h.slack.teamId, BOB))?.status).toBe("invalid");
    expect(ephemerals(h, BOB).length).toBe(n);
  });
});
