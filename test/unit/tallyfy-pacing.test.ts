import { describe, expect, it } from "vitest";
import { TallyfyRateLimitError } from "../../src/tallyfy/errors.ts";
import { budgetKey, Pacer, parseRemaining } from "../../src/tallyfy/pacing.ts";

const ORG = "org:acme";
const forever = { maxWaitMs: 60_000 };

describe("Pacer", () => {
  it("keeps in flight no more than the remaining budget Tallyfy reported", async () => {
    const pacer = new Pacer({ unknownInFlight: 1 });
    const first = await pacer.acquire(ORG, { priority: "interactive", ...forever });
    first.done({ remaining: 2 });
    const started: number[] = [];
    const permits = [1, 2, 3].map((n) =>
      pacer.acquire(ORG, { priority: "interactive", ...forever }).then((p) => {
        started.push(n);
        return p;
      }),
    );
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([1, 2]);
    expect(pacer.waiting(ORG)).toBe(1);
    const [a] = await Promise.all(permits.slice(0, 2));
    a!.done({ remaining: 5 });
    await permits[2];
    expect(started).toEqual([1, 2, 3]);
  });

  it("holds every request for an org after a 429 and starts interactive work before background", async () => {
    const pacer = new Pacer({ unknownInFlight: 1 });
    const probe = await pacer.acquire(ORG, { priority: "background", ...forever });
    const order: string[] = [];
    const wait = (name: string, priority: "interactive" | "background") =>
      pacer.acquire(ORG, { priority, ...forever }).then((p) => {
        order.push(name);
        p.done({ remaining: 50 });
      });
    const all = [
      wait("bg1", "background"),
      wait("bg2", "background"),
      wait("click", "interactive"),
    ];
    probe.done({ retryAfterMs: 50 });
    await Promise.all(all);
    expect(order[0]).toBe("click");
    expect(order.slice(1)).toEqual(["bg1", "bg2"]);
  });

  it("starts calls of work under way before fresh work of the same priority, never before interactive", async () => {
    const pacer = new Pacer({ unknownInFlight: 1 });
    const probe = await pacer.acquire(ORG, { priority: "interactive", ...forever });
    const order: string[] = [];
    const wait = (name: string, priority: "interactive" | "background", inHand: boolean) =>
      pacer.acquire(ORG, { priority, inHand, ...forever }).then((p) => {
        order.push(name);
        p.done({ remaining: 50 });
      });
    const all = [
      wait("fresh show 1", "interactive", false),
      wait("fresh show 2", "interactive", false),
      wait("redraw, second read", "background", true),
      wait("show 0, second read", "interactive", true),
      wait("fresh redraw", "background", false),
    ];
    probe.done({ retryAfterMs: 50 });
    await Promise.all(all);
    expect(order).toEqual([
      "show 0, second read",
      "fresh show 1",
      "fresh show 2",
      "redraw, second read",
      "fresh redraw",
    ]);
  });

  it("is unlimited for an org whose answers carry no budget", async () => {
    const pacer = new Pacer({ unknownInFlight: 1 });
    (await pacer.acquire(ORG, { priority: "interactive", ...forever })).done({});
    const many = await Promise.all(
      Array.from({ length: 20 }, () => pacer.acquire(ORG, { priority: "interactive", ...forever })),
    );
    expect(many).toHaveLength(20);
  });

  it("fails as rate-limited when the wait would pass the call's limit, and tells a long wait", async () => {
    const pacer = new Pacer({ unknownInFlight: 1 });
    (await pacer.acquire(ORG, { priority: "interactive", ...forever })).done({
      retryAfterMs: 10_000,
    });
    await expect(
      pacer.acquire(ORG, { priority: "interactive", maxWaitMs: 100 }),
    ).rejects.toBeInstanceOf(TallyfyRateLimitError);
    const other = new Pacer({ unknownInFlight: 1 });
    (await other.acquire(ORG, { priority: "interactive", ...forever })).done({
      retryAfterMs: 80,
    });
    let held = 0;
    const p = await other.acquire(ORG, {
      priority: "interactive",
      ...forever,
      onHeld: () => held++,
      noticeMs: 10,
    });
    p.done({});
    expect(held).toBe(1);
  });
});

describe("pacing helpers", () => {
  it("keys the budget by organization, else by token", () => {
    expect(budgetKey("/organizations/abc/runs/1", "fp")).toBe("org:abc");
    expect(budgetKey("/me", "fp")).toBe("token:fp");
  });
  it("reads X-RateLimit-Remaining", () => {
    expect(parseRemaining("42")).toBe(42);
    expect(parseRemaining(["7"])).toBe(7);
    expect(parseRemaining("soon")).toBeUndefined();
    expect(parseRemaining(undefined)).toBeUndefined();
  });
});
