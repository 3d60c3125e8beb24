import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/store/sqlite-store.ts";
import {
  type ConnectionInput,
  type ConnectionStore,
  createMemoryStore,
  type StoreClockOptions,
} from "../../src/store/store.ts";

type Factory = (clock: StoreClockOptions) => Promise<ConnectionStore>;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const implementations: [string, Factory][] = [
  ["memory", async (clock) => createMemoryStore(clock)],
  [
    "sqlite",
    async (clock) => {
      const dir = mkdtempSync(join(tmpdir(), "tallyfy-store-"));
      dirs.push(dir);
      return openSqliteStore({ dataDir: dir, key: randomBytes(32), ...clock });
    },
  ],
];

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

describe.each(implementations)("ConnectionStore contract: %s", (_name, factory) => {
  let time: number;
  let store: ConnectionStore;
  beforeEach(async () => {
    time = Date.UTC(2025, 0, 1, 12, 0, 0);
    store = await factory({ now: () => new Date(time) });
  });
  afterEach(async () => {
    await store.close();
  });

  it("returns undefined for a user with no connection", async () => {
    expect(await store.get("T1", "U1")).toBeUndefined();
    expect(await store.count()).toBe(0);
  });

  it("stores and returns every field, defaulting status to ok", async () => {
    const saved = await store.put(input());
    const expected = {
      ...input(),
      status: "ok",
      createdAt: new Date(time),
      updatedAt: new Date(time),
    };
    expect(saved).toEqual(expected);
    expect(await store.get("T1", "U1")).toEqual(expected);
    expect(await store.count()).toBe(1);
  });

  it("keeps nullable fields null", async () => {
    await store.put(
      input({ orgName: null, tallyfyUserId: null, tallyfyEmail: null, tallyfyName: null }),
    );
    expect(await store.get("T1", "U1")).toMatchObject({
      orgName: null,
      tallyfyUserId: null,
      tallyfyEmail: null,
      tallyfyName: null,
    });
  });

  it("keys records by team and user", async () => {
    await store.put(input({ token: "tok-t1-u1" }));
    await store.put(input({ userId: "U2", token: "tok-t1-u2" }));
    await store.put(input({ teamId: "T2", token: "tok-t2-u1" }));
    expect(await store.count()).toBe(3);
    expect((await store.get("T1", "U1"))?.token).toBe("tok-t1-u1");
    expect((await store.get("T1", "U2"))?.token).toBe("tok-t1-u2");
    expect((await store.get("T2", "U1"))?.token).toBe("tok-t2-u1");
    expect(await store.get("T2", "U2")).toBeUndefined();
  });

  it("replaces on reconnect, keeping createdAt and resetting an invalid status", async () => {
    const first = await store.put(input());
    await store.markInvalid("T1", "U1", "tly_token_alpha");
    time += 60_000;
    const second = await store.put(input({ token: "tly_token_beta", orgId: "org-2" }));
    expect(second.token).toBe("tly_token_beta");
    expect(second.orgId).toBe("org-2");
    expect(second.status).toBe("ok");
    expect(second.createdAt).toEqual(first.createdAt);
    expect(second.updatedAt).toEqual(new Date(time));
    expect(await store.count()).toBe(1);
  });

  it("accepts an explicit status on put", async () => {
    expect((await store.put(input({ status: "invalid" }))).status).toBe("invalid");
  });

  it("marks a connection invalid without losing it", async () => {
    await store.put(input());
    time += 1000;
    expect(await store.markInvalid("T1", "U1", "tly_token_alpha")).toBe(true);
    const got = await store.get("T1", "U1");
    expect(got?.status).toBe("invalid");
    expect(got?.token).toBe("tly_token_alpha");
    expect(got?.updatedAt).toEqual(new Date(time));
    expect(await store.markInvalid("T9", "U9", "tly_token_alpha")).toBe(false);
    expect(await store.count()).toBe(1);
  });

  it("leaves a connection alone when the rejected token is no longer the stored one", async () => {
    await store.put(input({ token: "tly_token_alpha" }));
    time += 1000;
    const fresh = await store.put(input({ token: "tly_token_beta" }));
    time += 1000;
    // A late 401 for alpha, the token before the reconnect.
    expect(await store.markInvalid("T1", "U1", "tly_token_alpha")).toBe(false);
    expect(await store.get("T1", "U1")).toEqual(fresh);
    // Another user's connection with that token is not touched either.
    await store.put(input({ userId: "U2", token: "tly_token_gamma" }));
    expect(await store.markInvalid("T1", "U2", "tly_token_beta")).toBe(false);
    expect((await store.get("T1", "U2"))?.status).toBe("ok");
    expect(await store.markInvalid("T1", "U1", "tly_token_beta")).toBe(true);
    expect((await store.get("T1", "U1"))?.status).toBe("invalid");
  });

  it("deletes, reporting whether anything was removed", async () => {
    await store.put(input());
    await store.put(input({ userId: "U2" }));
    expect(await store.delete("T1", "U1")).toBe(true);
    expect(await store.delete("T1", "U1")).toBe(false);
    expect(await store.get("T1", "U1")).toBeUndefined();
    expect(await store.get("T1", "U2")).toBeDefined();
    expect(await store.count()).toBe(1);
  });

  it("returns copies the caller cannot use to change stored data", async () => {
    const saved = await store.put(input());
    saved.token = "mutated";
    saved.createdAt.setTime(0);
    const got = await store.get("T1", "U1");
    expect(got?.token).toBe("tly_token_alpha");
    expect(got?.createdAt).toEqual(new Date(time));
  });

  it("rejects a record without team, user, token or org, never echoing the token", async () => {
    await expect(store.put(input({ token: "" }))).rejects.toThrow(/token/);
    await expect(store.put(input({ orgId: " " }))).rejects.toThrow(/orgId/);
    await expect(store.put(input({ teamId: "" }))).rejects.toThrow(/teamId/);
    const error = await store.put(input({ userId: "", token: "secret-xyz" })).catch((e) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).not.toContain("secret-xyz");
    expect(await store.count()).toBe(0);
  });

  it("refuses use after close", async () => {
    await store.close();
    await expect(store.get("T1", "U1")).rejects.toThrow(/closed/);
    await expect(store.put(input())).rejects.toThrow(/closed/);
    await store.close();
  });
});
