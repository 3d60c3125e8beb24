import { describe, expect, it } from "vitest";
import { createPendingTokens, type PendingToken } from "../../src/accounts/pending-tokens.ts";
import { createMemorySharedState } from "../../src/store/shared-state.ts";

const entry = (userId: string, token = `tok-${userId}`): PendingToken => ({
  teamId: "T1",
  userId,
  token,
  user: {
    id: 1,
    email: "a@x.test",
    first_name: "A",
    last_name: "B",
    full_name: "A B",
    timezone: null,
  },
  orgs: [
    { id: "o1", name: "One" },
    { id: "o2", name: "Two" },
  ],
});

function clocked(ttlMs?: number) {
  let t = 1_000;
  const shared = createMemorySharedState(() => new Date(t));
  const tokens = createPendingTokens(shared, { now: () => t, ...(ttlMs ? { ttlMs } : {}) });
  return { tokens, advance: (ms: number) => (t += ms) };
}

describe("pending tokens", () => {
  it("hands an entry once, only to the user it belongs to, by an unguessable nonce", async () => {
    const { tokens } = clocked();
    const a = await tokens.put(entry("U1"));
    expect(a.length).toBeGreaterThanOrEqual(20);
    expect(a).not.toContain("tok-U1");
    expect(await tokens.take(a, "T1", "U2")).toBeUndefined();
    expect(await tokens.take(a, "T2", "U1")).toBeUndefined();
    expect(await tokens.take("nope", "T1", "U1")).toBeUndefined();
    const taken = await tokens.take(a, "T1", "U1");
    expect(taken).toEqual(entry("U1"));
    expect(await tokens.take(a, "T1", "U1")).toBeUndefined();
  });

  it("a newer window replaces the older one's token; the old nonce leaves it in place", async () => {
    const { tokens } = clocked();
    const first = await tokens.put(entry("U1", "tok-old"));
    const second = await tokens.put(entry("U1", "tok-new"));
    expect(second).not.toBe(first);
    expect(await tokens.take(first, "T1", "U1")).toBeUndefined();
    expect((await tokens.take(second, "T1", "U1"))?.token).toBe("tok-new");
  });

  it("puts a taken entry back under the same nonce when asked", async () => {
    const { tokens } = clocked();
    const nonce = await tokens.put(entry("U1"));
    const taken = await tokens.take(nonce, "T1", "U1");
    if (!taken) throw new Error("not taken");
    expect(await tokens.put(taken, nonce)).toBe(nonce);
    expect((await tokens.take(nonce, "T1", "U1"))?.token).toBe("tok-U1");
  });

  it("expires entries after the TTL", async () => {
    const { tokens, advance } = clocked(500);
    const nonce = await tokens.put(entry("U1"));
    advance(500);
    expect(await tokens.take(nonce, "T1", "U1")).toBeUndefined();
    const again = await tokens.put(entry("U1"));
    advance(499);
    expect(await tokens.take(again, "T1", "U1")).toBeDefined();
  });

  it("drops a user's entry and no one else's", async () => {
    const { tokens } = clocked();
    const one = await tokens.put(entry("U1"));
    const two = await tokens.put(entry("U2"));
    await tokens.dropUser("T1", "U1");
    expect(await tokens.take(one, "T1", "U1")).toBeUndefined();
    expect(await tokens.take(two, "T1", "U2")).toBeDefined();
  });

  it("keeps its own copy of the organizations list", async () => {
    const { tokens } = clocked();
    const e = entry("U1");
    const nonce = await tokens.put(e);
    e.orgs.push({ id: "o3", name: "Three" });
    expect((await tokens.take(nonce, "T1", "U1"))?.orgs).toHaveLength(2);
  });
});
