import { describe, expect, it } from "vitest";
import { createPendingTokens, type PendingToken } from "../../src/accounts/pending-tokens.ts";

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

describe("pending tokens", () => {
  it("finds an entry only for the user it belongs to, by an unguessable nonce", () => {
    const tokens = createPendingTokens();
    const a = tokens.put(entry("U1"));
    const b = tokens.put(entry("U1"));
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(20);
    expect(a).not.toContain("tok-U1");
    expect(tokens.get(a, "T1", "U1")?.token).toBe("tok-U1");
    expect(tokens.get(a, "T1", "U2")).toBeUndefined();
    expect(tokens.get(a, "T2", "U1")).toBeUndefined();
    expect(tokens.get("nope", "T1", "U1")).toBeUndefined();
  });

  it("expires entries after the TTL", () => {
    let t = 1_000;
    const tokens = createPendingTokens({ ttlMs: 500, now: () => t });
    const nonce = tokens.put(entry("U1"));
    t += 499;
    expect(tokens.get(nonce, "T1", "U1")).toBeDefined();
    t += 1;
    expect(tokens.get(nonce, "T1", "U1")).toBeUndefined();
    expect(tokens.size).toBe(0);
  });

  it("evicts the oldest beyond max, and deletes on request or per user", () => {
    const tokens = createPendingTokens({ max: 2 });
    const first = tokens.put(entry("U1"));
    const second = tokens.put(entry("U2"));
    const third = tokens.put(entry("U3"));
    expect(tokens.get(first, "T1", "U1")).toBeUndefined();
    expect(tokens.size).toBe(2);
    tokens.delete(second);
    expect(tokens.get(second, "T1", "U2")).toBeUndefined();
    tokens.put(entry("U3"));
    tokens.dropUser("T1", "U3");
    expect(tokens.get(third, "T1", "U3")).toBeUndefined();
    expect(tokens.size).toBe(0);
  });

  it("keeps its own copy of the organizations list", () => {
    const tokens = createPendingTokens();
    const e = entry("U1");
    const nonce = tokens.put(e);
    e.orgs.push({ id: "o3", name: "Three" });
    expect(tokens.get(nonce, "T1", "U1")?.orgs).toHaveLength(2);
  });
});
