import { describe, expect, it } from "vitest";
import { connectionKey, TtlCache, tokenFingerprint } from "../../src/tallyfy/cache.ts";
import { clock, deferred } from "../support/clock.ts";

describe("TtlCache", () => {
  it("coalesces simultaneous cold lookups of one key into one load", async () => {
    const cache = new TtlCache<number>({ ttlMs: 1_000, max: 10 });
    let loads = 0;
    const gate = deferred<number>();
    const results = Promise.all(
      Array.from({ length: 10 }, () =>
        cache.get("k", () => {
          loads++;
          return gate.promise;
        }),
      ),
    );
    gate.resolve(42);
    expect(await results).toEqual(Array(10).fill(42));
    expect(loads).toBe(1);
  });

  it("serves a hit until the TTL runs out, then loads again", async () => {
    const c = clock();
    const cache = new TtlCache<number>({ ttlMs: 1_000, max: 10, now: () => c.now });
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get("k", load)).toBe(1);
    c.tick(999);
    expect(await cache.get("k", load)).toBe(1);
    c.tick(1);
    expect(await cache.get("k", load)).toBe(2);
  });

  it("honours a per-call TTL", async () => {
    const c = clock();
    const cache = new TtlCache<string>({ ttlMs: 60_000, max: 10, now: () => c.now });
    await cache.get("miss", async () => "first", 100);
    c.tick(150);
    expect(await cache.get("miss", async () => "second")).toBe("second");
  });

  it("does not cache a failed load, and the next call tries again", async () => {
    const cache = new TtlCache<string>({ ttlMs: 1_000, max: 10 });
    await expect(cache.get("k", async () => Promise.reject(new Error("boom")))).rejects.toThrow(
      "boom",
    );
    expect(await cache.get("k", async () => "ok")).toBe("ok");
  });

  it("evicts the least recently used entry beyond max", async () => {
    const cache = new TtlCache<string>({ ttlMs: 60_000, max: 2 });
    await cache.get("a", async () => "A");
    await cache.get("b", async () => "B");
    await cache.get("a", async () => "A2"); // touch a: b is now the oldest
    await cache.get("c", async () => "C");
    expect(cache.size).toBe(2);
    expect(cache.peek("a")?.value).toBe("A");
    expect(cache.peek("b")).toBeUndefined();
    expect(cache.peek("c")?.value).toBe("C");
  });

  it("does not store a load that was in flight when the key was deleted", async () => {
    const cache = new TtlCache<string>({ ttlMs: 60_000, max: 10 });
    const gate = deferred<string>();
    const pending = cache.get("k", () => gate.promise);
    cache.delete("k");
    gate.resolve("stale");
    expect(await pending).toBe("stale");
    expect(cache.peek("k")).toBeUndefined();
  });
});

describe("connection keys", () => {
  it("fingerprints a token without revealing it", () => {
    const token = "sandbox-pat-alice-0123456789abcdef";
    const fp = tokenFingerprint(token);
    expect(fp).toMatch(/^[0-9a-f]{16}$/);
    expect(fp).toBe(tokenFingerprint(token));
    expect(tokenFingerprint(`${token}x`)).not.toBe(fp);
    expect(token).not.toContain(fp);
  });

  it("differs by token and by organization", () => {
    const a = connectionKey({ token: "token-one", orgId: "org1" });
    expect(connectionKey({ token: "token-two", orgId: "org1" })).not.toBe(a);
    expect(connectionKey({ token: "token-one", orgId: "org2" })).not.toBe(a);
    expect(a).not.toContain("token-one");
  });
});
