import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CardInput } from "../../src/store/live-state.ts";
import { openPostgresStore } from "../../src/store/postgres-store.ts";
import type { SharedStore } from "../../src/store/shared-state.ts";
import { openSqliteStore } from "../../src/store/sqlite-store.ts";
import {
  type ConnectionInput,
  createMemoryStore,
  type StoreClockOptions,
} from "../../src/store/store.ts";
import { createTestSchema, DATABASE_URL, SKIP_REASON } from "../support/postgres.ts";

/** Where a store keeps its data; `open` gives another handle on it, as another instance would. */
interface Place {
  open(): Promise<SharedStore>;
  cleanup(): Promise<void>;
}
type Backend = (clock: StoreClockOptions) => Promise<Place>;

const backends: [string, Backend][] = [
  [
    "memory",
    async (clock) => {
      // One process: every "instance" is the same object.
      const store = createMemoryStore(clock);
      return { open: async () => store, cleanup: async () => {} };
    },
  ],
  [
    "sqlite",
    async (clock) => {
      const dir = mkdtempSync(join(tmpdir(), "tallyfy-store-"));
      const key = randomBytes(32);
      return {
        open: () => openSqliteStore({ dataDir: dir, key, ...clock }),
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  ],
];
if (DATABASE_URL) {
  backends.push([
    "postgres",
    async (clock) => {
      const schema = await createTestSchema();
      const key = randomBytes(32);
      return {
        open: () => openPostgresStore({ connectionString: schema.url, key, poolSize: 4, ...clock }),
        cleanup: () => schema.drop(),
      };
    },
  ]);
} else {
  describe("store contracts: postgres", () => {
    it.skip(SKIP_REASON, () => {});
  });
}

/** Opens a store on a fresh place with a settable clock; closes and removes it after each test. */
function useStore(backend: Backend) {
  const state = {
    time: 0,
    store: undefined as unknown as SharedStore,
    place: undefined as unknown as Place,
  };
  const opened: SharedStore[] = [];
  beforeEach(async () => {
    state.time = Date.UTC(2025, 0, 1, 12, 0, 0);
    state.place = await backend({ now: () => new Date(state.time) });
    state.store = await state.place.open();
    opened.push(state.store);
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    await state.place.cleanup();
  });
  /** Another instance on the same data. */
  const another = async () => {
    const s = await state.place.open();
    opened.push(s);
    return s;
  };
  return { state, another };
}

const input = (over: Partial<ConnectionInput> = {}): ConnectionInput => ({
  teamId: "T1",
  userId: "U1",
  token: "tly_token_alpha",
  orgId: "org-1",
  orgName: "Acme",
  tallyfyUserId: 42,
  tallyfyEmail: "ann@example.com",
  tallyfyName: "Ann Example",
  ...over,
});

describe.each(backends)("ConnectionStore contract: %s", (_name, backend) => {
  const { state } = useStore(backend);

  it("returns undefined for a user with no connection", async () => {
    expect(await state.store.get("T1", "U1")).toBeUndefined();
    expect(await state.store.count()).toBe(0);
  });

  it("stores and returns every field, defaulting status to ok", async () => {
    const saved = await state.store.put(input());
    const expected = {
      ...input(),
      status: "ok",
      createdAt: new Date(state.time),
      updatedAt: new Date(state.time),
    };
    expect(saved).toEqual(expected);
    expect(await state.store.get("T1", "U1")).toEqual(expected);
    expect(await state.store.count()).toBe(1);
  });

  it("keeps nullable fields null", async () => {
    await state.store.put(
      input({ orgName: null, tallyfyUserId: null, tallyfyEmail: null, tallyfyName: null }),
    );
    expect(await state.store.get("T1", "U1")).toMatchObject({
      orgName: null,
      tallyfyUserId: null,
      tallyfyEmail: null,
      tallyfyName: null,
    });
  });

  it("keys records by team and user", async () => {
    await state.store.put(input({ token: "tok-t1-u1" }));
    await state.store.put(input({ userId: "U2", token: "tok-t1-u2" }));
    await state.store.put(input({ teamId: "T2", token: "tok-t2-u1" }));
    expect(await state.store.count()).toBe(3);
    expect((await state.store.get("T1", "U1"))?.token).toBe("tok-t1-u1");
    expect((await state.store.get("T1", "U2"))?.token).toBe("tok-t1-u2");
    expect((await state.store.get("T2", "U1"))?.token).toBe("tok-t2-u1");
    expect(await state.store.get("T2", "U2")).toBeUndefined();
  });

  it("replaces on reconnect, keeping createdAt and resetting an invalid status", async () => {
    const first = await state.store.put(input());
    await state.store.markInvalid("T1", "U1", "tly_token_alpha");
    state.time += 60_000;
    const second = await state.store.put(input({ token: "tly_token_beta", orgId: "org-2" }));
    expect(second.token).toBe("tly_token_beta");
    expect(second.orgId).toBe("org-2");
    expect(second.status).toBe("ok");
    expect(second.createdAt).toEqual(first.createdAt);
    expect(second.updatedAt).toEqual(new Date(state.time));
    expect(await state.store.count()).toBe(1);
  });

  it("accepts an explicit status on put", async () => {
    expect((await state.store.put(input({ status: "invalid" }))).status).toBe("invalid");
  });

  it("marks a connection invalid without losing it", async () => {
    await state.store.put(input());
    state.time += 1000;
    expect(await state.store.markInvalid("T1", "U1", "tly_token_alpha")).toBe(true);
    const got = await state.store.get("T1", "U1");
    expect(got?.status).toBe("invalid");
    expect(got?.token).toBe("tly_token_alpha");
    expect(got?.updatedAt).toEqual(new Date(state.time));
    expect(await state.store.markInvalid("T9", "U9", "tly_token_alpha")).toBe(false);
    expect(await state.store.count()).toBe(1);
  });

  it("leaves a connection alone when the rejected token is no longer the stored one", async () => {
    await state.store.put(input({ token: "tly_token_alpha" }));
    state.time += 1000;
    const fresh = await state.store.put(input({ token: "tly_token_beta" }));
    state.time += 1000;
    // A late 401 for alpha, the token before the reconnect.
    expect(await state.store.markInvalid("T1", "U1", "tly_token_alpha")).toBe(false);
    expect(await state.store.get("T1", "U1")).toEqual(fresh);
    // Another user's connection with that token is not touched either.
    await state.store.put(input({ userId: "U2", token: "tly_token_gamma" }));
    expect(await state.store.markInvalid("T1", "U2", "tly_token_beta")).toBe(false);
    expect((await state.store.get("T1", "U2"))?.status).toBe("ok");
    expect(await state.store.markInvalid("T1", "U1", "tly_token_beta")).toBe(true);
    expect((await state.store.get("T1", "U1"))?.status).toBe("invalid");
  });

  it("deletes, reporting whether anything was removed", async () => {
    await state.store.put(input());
    await state.store.put(input({ userId: "U2" }));
    expect(await state.store.delete("T1", "U1")).toBe(true);
    expect(await state.store.delete("T1", "U1")).toBe(false);
    expect(await state.store.get("T1", "U1")).toBeUndefined();
    expect(await state.store.get("T1", "U2")).toBeDefined();
    expect(await state.store.count()).toBe(1);
  });

  it("returns copies the caller cannot use to change stored data", async () => {
    const saved = await state.store.put(input());
    saved.token = "mutated";
    saved.createdAt.setTime(0);
    const got = await state.store.get("T1", "U1");
    expect(got?.token).toBe("tly_token_alpha");
    expect(got?.createdAt).toEqual(new Date(state.time));
  });

  it("rejects a record without team, user, token or org, never echoing the token", async () => {
    await expect(state.store.put(input({ token: "" }))).rejects.toThrow(/token/);
    await expect(state.store.put(input({ orgId: " " }))).rejects.toThrow(/orgId/);
    await expect(state.store.put(input({ teamId: "" }))).rejects.toThrow(/teamId/);
    const error = await state.store.put(input({ userId: "", token: "secret-xyz" })).catch((e) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).not.toContain("secret-xyz");
    expect(await state.store.count()).toBe(0);
  });

  it("refuses use after close", async () => {
    await state.store.close();
    await expect(state.store.get("T1", "U1")).rejects.toThrow(/closed/);
    await expect(state.store.put(input())).rejects.toThrow(/closed/);
    await state.store.close();
  });
});

describe.each(backends)("SharedState contract: %s", (_name, backend) => {
  const { state, another } = useStore(backend);
  const MINUTE = 60_000;

  it("gives a claim to the first claimer only, whoever asks next", async () => {
    const { store } = state;
    expect(await store.claim("submission:V1", MINUTE, "instance-a")).toBe(true);
    expect(await store.claim("submission:V1", MINUTE, "instance-b")).toBe(false);
    expect(await store.claim("submission:V1", MINUTE, "instance-a")).toBe(false);
    expect(await store.claim("submission:V2", MINUTE, "instance-b")).toBe(true);
  });

  it("lets an expired claim be taken again", async () => {
    const { store } = state;
    expect(await store.claim("k", MINUTE, "a")).toBe(true);
    state.time += MINUTE - 1;
    expect(await store.claim("k", MINUTE, "b")).toBe(false);
    state.time += 1;
    expect(await store.claim("k", MINUTE, "b")).toBe(true);
    expect(await store.claim("k", MINUTE, "a")).toBe(false);
  });

  it("releases a claim only for its owner, after which it can be claimed again", async () => {
    const { store } = state;
    await store.claim("k", MINUTE, "a");
    expect(await store.release("k", "b")).toBe(false);
    expect(await store.claim("k", MINUTE, "b")).toBe(false);
    expect(await store.release("k", "a")).toBe(true);
    expect(await store.release("k", "a")).toBe(false);
    expect(await store.claim("k", MINUTE, "b")).toBe(true);
  });

  it("does not count an expired claim as released", async () => {
    const { store } = state;
    await store.claim("k", MINUTE, "a");
    state.time += MINUTE;
    expect(await store.release("k", "a")).toBe(false);
  });

  it("releases every live claim of one owner on shutdown, and no one else's", async () => {
    const { store } = state;
    await store.claim("k1", MINUTE, "a");
    await store.claim("k2", MINUTE, "a");
    await store.claim("k3", 1000, "a");
    await store.claim("k4", MINUTE, "b");
    state.time += 1000;
    expect(await store.releaseClaims("a")).toBe(2);
    expect(await store.releaseClaims("a")).toBe(0);
    expect(await store.claim("k1", MINUTE, "c")).toBe(true);
    expect(await store.claim("k2", MINUTE, "c")).toBe(true);
    expect(await store.claim("k4", MINUTE, "c")).toBe(false);
  });

  it("reports a key as new only the first time within its ttl", async () => {
    const { store } = state;
    expect(await store.seenOnce("event:Ev1", MINUTE)).toBe(true);
    expect(await store.seenOnce("event:Ev1", MINUTE)).toBe(false);
    expect(await store.seenOnce("event:Ev2", MINUTE)).toBe(true);
    state.time += MINUTE - 1;
    expect(await store.seenOnce("event:Ev1", MINUTE)).toBe(false);
    state.time += 1;
    expect(await store.seenOnce("event:Ev1", MINUTE)).toBe(true);
    expect(await store.seenOnce("event:Ev1", MINUTE)).toBe(false);
  });

  it("keeps claims and seen keys apart", async () => {
    const { store } = state;
    expect(await store.seenOnce("same", MINUTE)).toBe(true);
    expect(await store.claim("same", MINUTE, "a")).toBe(true);
  });

  it("hands a pending value out once, under its kind and id only", async () => {
    const { store } = state;
    const value = JSON.stringify({ text: "list", channelId: "C1", token: "tly_secret_1" });
    await store.putPending("command", "T1:U1", value, MINUTE);
    await store.putPending("org-picker", "T1:U1", "picker", MINUTE);
    expect(await store.takePending("command", "T1:U2")).toBeUndefined();
    expect(await store.takePending("command", "T1:U1")).toBe(value);
    expect(await store.takePending("command", "T1:U1")).toBeUndefined();
    expect(await store.takePending("org-picker", "T1:U1")).toBe("picker");
  });

  it("replaces a pending value put again under the same kind and id", async () => {
    const { store } = state;
    await store.putPending("command", "id", "first", MINUTE);
    state.time += MINUTE / 2;
    await store.putPending("command", "id", "second", MINUTE);
    state.time += MINUTE / 2;
    expect(await store.takePending("command", "id")).toBe("second");
  });

  it("never hands out an expired pending value", async () => {
    const { store } = state;
    await store.putPending("command", "id", "stale", MINUTE);
    state.time += MINUTE;
    expect(await store.takePending("command", "id")).toBeUndefined();
    await store.putPending("command", "id", "fresh", MINUTE);
    expect(await store.takePending("command", "id")).toBe("fresh");
  });

  it("keeps unicode and empty pending values intact", async () => {
    const { store } = state;
    await store.putPending("k", "a", "Zoë — 日本 🚀 <&>", MINUTE);
    await store.putPending("k", "b", "", MINUTE);
    expect(await store.takePending("k", "a")).toBe("Zoë — 日本 🚀 <&>");
    expect(await store.takePending("k", "b")).toBe("");
  });

  it("rejects a ttl that is not a positive whole number of ms, and empty names", async () => {
    const { store } = state;
    for (const ttl of [0, -1, 1.5, Number.NaN, 31 * 24 * 60 * MINUTE]) {
      await expect(store.claim("k", ttl, "a")).rejects.toThrow(RangeError);
      await expect(store.seenOnce("k", ttl)).rejects.toThrow(RangeError);
      await expect(store.putPending("k", "id", "v", ttl)).rejects.toThrow(RangeError);
    }
    await expect(store.claim("", MINUTE, "a")).rejects.toThrow(TypeError);
    await expect(store.claim("k", MINUTE, "")).rejects.toThrow(TypeError);
    await expect(store.seenOnce("", MINUTE)).rejects.toThrow(TypeError);
    await expect(store.putPending("", "id", "v", MINUTE)).rejects.toThrow(TypeError);
    await expect(store.putPending("k", "", "v", MINUTE)).rejects.toThrow(TypeError);
    expect(await store.claim("k", MINUTE, "a")).toBe(true);
  });

  it("refuses shared-state use after close", async () => {
    const { store } = state;
    await store.close();
    await expect(store.claim("k", MINUTE, "a")).rejects.toThrow(/closed/);
    await expect(store.seenOnce("k", MINUTE)).rejects.toThrow(/closed/);
    await expect(store.takePending("k", "id")).rejects.toThrow(/closed/);
    await expect(store.releaseClaims("a")).rejects.toThrow(/closed/);
  });

  it("shares claims, seen keys and pending values between instances", async () => {
    const a = state.store;
    const b = await another();
    expect(await a.claim("submission:V1", MINUTE, "a")).toBe(true);
    expect(await b.claim("submission:V1", MINUTE, "b")).toBe(false);
    expect(await b.seenOnce("event:Ev1", MINUTE)).toBe(true);
    expect(await a.seenOnce("event:Ev1", MINUTE)).toBe(false);
    await a.putPending("command", "T1:U1", "list", MINUTE);
    expect(await b.takePending("command", "T1:U1")).toBe("list");
    expect(await a.takePending("command", "T1:U1")).toBeUndefined();
    expect(await b.releaseClaims("a")).toBe(1);
    expect(await b.claim("submission:V1", MINUTE, "b")).toBe(true);
  });

  it("of many concurrent claims of one key across two instances, exactly one wins", async () => {
    const instances = [state.store, await another()];
    const attempts = Array.from({ length: 24 }, (_, i) =>
      instances[i % 2]!.claim("submission:race", MINUTE, `owner-${i}`),
    );
    const won = (await Promise.all(attempts)).filter(Boolean);
    expect(won).toHaveLength(1);
  });

  it("of many concurrent takes of one pending value across two instances, exactly one gets it", async () => {
    const instances = [state.store, await another()];
    await state.store.putPending("command", "T1:U1", "launch", MINUTE);
    const takes = Array.from({ length: 24 }, (_, i) =>
      instances[i % 2]!.takePending("command", "T1:U1"),
    );
    const got = (await Promise.all(takes)).filter((v) => v !== undefined);
    expect(got).toEqual(["launch"]);
  });

  it("of many concurrent sightings of one key across two instances, exactly one is first", async () => {
    const instances = [state.store, await another()];
    const seen = Array.from({ length: 24 }, (_, i) =>
      instances[i % 2]!.seenOnce("event:race", MINUTE),
    );
    expect((await Promise.all(seen)).filter(Boolean)).toHaveLength(1);
  });

  it("of concurrent claims of an expired key, exactly one takes it over", async () => {
    const instances = [state.store, await another()];
    await state.store.claim("k", 1000, "old");
    state.time += 1000;
    const attempts = Array.from({ length: 24 }, (_, i) =>
      instances[i % 2]!.claim("k", MINUTE, `owner-${i}`),
    );
    expect((await Promise.all(attempts)).filter(Boolean)).toHaveLength(1);
  });
});

const card = (over: Partial<CardInput> = {}): CardInput => ({
  teamId: "T1",
  channel: "C1",
  ts: "1700000000.000100",
  runId: "a".repeat(32),
  kind: "status",
  orgId: "org-1",
  userId: "U1",
  fingerprint: "f1",
  ...over,
});

describe.each(backends)("LiveState contract: %s", (_name, backend) => {
  const { state, another } = useStore(backend);

  it("records a card once per message, keeping when it was first recorded", async () => {
    const { store } = state;
    await store.recordCard(card());
    state.time += 5_000;
    await store.recordCard(card({ fingerprint: "f2", kind: "task", taskId: "b".repeat(32) }));
    await store.recordCard(card({ ts: "1700000000.000200", userId: null, orgId: null }));
    const cards = await store.cardsForRun("a".repeat(32));
    expect(cards).toHaveLength(2);
    expect(cards[0]).toMatchObject({
      channel: "C1",
      ts: "1700000000.000100",
      kind: "task",
      taskId: "b".repeat(32),
      fingerprint: "f2",
      orgId: "org-1",
      userId: "U1",
      url: null,
    });
    expect(cards[0]?.createdAt.getTime()).toBe(Date.UTC(2025, 0, 1, 12, 0, 0));
    expect(cards[0]?.activeAt.getTime()).toBe(Date.UTC(2025, 0, 1, 12, 0, 5));
    expect(cards[1]).toMatchObject({ orgId: null, userId: null });
    expect(await store.cardsForRun("c".repeat(32))).toEqual([]);
  });

  it("refuses a card without team, channel, ts or run, or of an unknown kind", async () => {
    await expect(state.store.recordCard(card({ ts: "" }))).rejects.toThrow(/ts/);
    await expect(state.store.recordCard(card({ kind: "other" as never }))).rejects.toThrow(/kind/);
  });

  it("touches, forgets and prunes cards", async () => {
    const { store } = state;
    await store.recordCard(card());
    state.time += 60_000;
    await store.recordCard(card({ ts: "2" }));
    expect(await store.touchCard("T1", "C1", "1700000000.000100", "f9")).toBe(true);
    expect(await store.touchCard("T1", "C1", "nope", "f9")).toBe(false);
    expect((await store.cardsForRun("a".repeat(32)))[0]?.fingerprint).toBe("f9");
    expect(await store.forgetCard("T1", "C1", "2")).toBe(true);
    expect(await store.forgetCard("T1", "C1", "2")).toBe(false);
    await store.recordCard(card({ ts: "3" }));
    expect(await store.pruneCards(new Date(state.time))).toBe(1);
    expect((await store.cardsForRun("a".repeat(32))).map((c) => c.ts)).toEqual(["3"]);
  });

  it("lists runs with live cards, most recently active first, within a limit", async () => {
    const { store } = state;
    for (let i = 0; i < 5; i++) {
      state.time += 1_000;
      await store.recordCard(card({ runId: String(i).repeat(32), ts: `t${i}` }));
    }
    await store.recordCard(card({ runId: "1".repeat(32), ts: "t1b" }));
    state.time += 1_000;
    await store.touchRun("0".repeat(32));
    const runs = await store.liveRuns(3);
    expect(runs.map((r) => r.runId[0])).toEqual(["0", "1", "4"]);
    expect(runs[1]).toMatchObject({ cards: 2, orgId: "org-1", teamId: "T1", userId: "U1" });
  });

  it("keeps one webhook secret per organization, found by the secret, rotatable", async () => {
    const { store } = state;
    expect(await store.webhookBySecret("s1")).toBeUndefined();
    const first = await store.putWebhookSecret({
      orgId: "org-1",
      secret: "s1",
      teamId: "T1",
      userId: "U1",
    });
    expect(first).toMatchObject({
      orgId: "org-1",
      secret: "s1",
      userId: "U1",
      lastArrivedAt: null,
    });
    expect((await store.webhookBySecret("s1"))?.orgId).toBe("org-1");
    await store.markWebhookArrived("org-1", new Date(state.time + 5));
    expect((await store.webhookSecretFor("org-1"))?.lastArrivedAt?.getTime()).toBe(state.time + 5);
    await store.putWebhookSecret({ orgId: "org-1", secret: "s2", teamId: "T1", userId: null });
    expect(await store.webhookBySecret("s1")).toBeUndefined();
    expect(await store.webhookSecretFor("org-1")).toMatchObject({
      secret: "s2",
      userId: null,
      lastArrivedAt: null,
    });
    expect(await store.webhookBySecret("S2")).toBeUndefined();
  });

  it("keeps subscriptions per channel and template", async () => {
    const { store } = state;
    const sub = {
      teamId: "T1",
      channel: "C1",
      orgId: "org-1",
      templateId: "t".repeat(32),
      templateTitle: "Onboarding",
      createdBy: "U1",
    };
    expect(await store.subscribe(sub)).toBe(true);
    expect(await store.subscribe({ ...sub, templateTitle: "Onboarding v2" })).toBe(false);
    state.time += 1;
    expect(await store.subscribe({ ...sub, channel: "C2" })).toBe(true);
    expect((await store.subscriptionsIn("T1", "C1")).map((s) => s.templateTitle)).toEqual([
      "Onboarding v2",
    ]);
    expect((await store.subscribersOf("org-1", sub.templateId)).map((s) => s.channel)).toEqual([
      "C1",
      "C2",
    ]);
    expect(await store.unsubscribe("T1", "C1", sub.templateId)).toBe(true);
    expect(await store.unsubscribe("T1", "C1", sub.templateId)).toBe(false);
    expect(await store.subscriptionsIn("T1", "C1")).toEqual([]);
  });

  it("has DMs on until a person turns them off", async () => {
    const { store } = state;
    expect(await store.notificationsOn("T1", "U1")).toBe(true);
    await store.setNotifications("T1", "U1", false);
    expect(await store.notificationsOn("T1", "U1")).toBe(false);
    expect(await store.notificationsOn("T1", "U2")).toBe(true);
    await store.setNotifications("T1", "U1", true);
    expect(await store.notificationsOn("T1", "U1")).toBe(true);
  });

  it("shares cards, secrets and subscriptions between instances", async () => {
    const other = await another();
    await state.store.recordCard(card());
    await state.store.putWebhookSecret({ orgId: "o", secret: "x", teamId: "T1", userId: null });
    expect(await other.cardsForRun("a".repeat(32))).toHaveLength(1);
    expect((await other.webhookBySecret("x"))?.orgId).toBe("o");
  });
});
