import { describe, expect, it } from "vitest";
import { createPendingCommands } from "../../src/store/pending.ts";

const cmd = (text: string) => ({ text, channelId: "C1" });

function clocked(opts: { ttlMs?: number; max?: number } = {}) {
  let t = 1_000_000;
  const pending = createPendingCommands({ ...opts, now: () => t });
  return { pending, advance: (ms: number) => (t += ms) };
}

describe("createPendingCommands", () => {
  it("returns a set command once, then nothing", () => {
    const { pending } = clocked();
    const id = pending.set("T1", "U1", { ...cmd("launch Onboarding"), responseUrl: "https://r" });
    expect(id).toMatch(/^[A-Za-z0-9_-]{8,}$/);
    expect(pending.take("T1", "U1")).toEqual({
      text: "launch Onboarding",
      channelId: "C1",
      responseUrl: "https://r",
    });
    expect(pending.take("T1", "U1")).toBeUndefined();
    expect(pending.size).toBe(0);
  });

  it("keeps one command per team and user, the latest winning", () => {
    const { pending } = clocked();
    pending.set("T1", "U1", cmd("first"));
    pending.set("T1", "U1", cmd("second"));
    pending.set("T1", "U2", cmd("other user"));
    pending.set("T2", "U1", cmd("other team"));
    expect(pending.size).toBe(3);
    expect(pending.take("T1", "U1")?.text).toBe("second");
    expect(pending.take("T1", "U2")?.text).toBe("other user");
    expect(pending.take("T2", "U1")?.text).toBe("other team");
  });

  it("takes by id only the matching command", () => {
    const { pending } = clocked();
    const oldId = pending.set("T1", "U1", cmd("first"));
    const newId = pending.set("T1", "U1", cmd("second"));
    expect(newId).not.toBe(oldId);
    expect(pending.take("T1", "U1", oldId)).toBeUndefined();
    expect(pending.take("T1", "U1", newId)?.text).toBe("second");
  });

  it("expires commands after the TTL (default 10 minutes)", () => {
    const { pending, advance } = clocked();
    pending.set("T1", "U1", cmd("a"));
    advance(10 * 60_000 - 1);
    pending.set("T1", "U2", cmd("b"));
    expect(pending.take("T1", "U1")?.text).toBe("a");
    advance(1);
    expect(pending.size).toBe(1);
    advance(10 * 60_000);
    expect(pending.take("T1", "U2")).toBeUndefined();
    expect(pending.size).toBe(0);
  });

  it("honours a custom TTL, and resetting a command restarts its clock", () => {
    const { pending, advance } = clocked({ ttlMs: 1000 });
    pending.set("T1", "U1", cmd("a"));
    advance(900);
    pending.set("T1", "U1", cmd("a again"));
    advance(900);
    expect(pending.take("T1", "U1")?.text).toBe("a again");
  });

  it("drops the oldest command when full", () => {
    const { pending, advance } = clocked({ max: 3 });
    for (const user of ["U1", "U2", "U3"]) {
      pending.set("T1", user, cmd(user));
      advance(1);
    }
    pending.set("T1", "U1", cmd("U1 again"));
    pending.set("T1", "U4", cmd("U4"));
    expect(pending.size).toBe(3);
    expect(pending.take("T1", "U2")).toBeUndefined();
    expect(pending.take("T1", "U1")?.text).toBe("U1 again");
    expect(pending.take("T1", "U3")?.text).toBe("U3");
    expect(pending.take("T1", "U4")?.text).toBe("U4");
  });

  it("frees room from expired commands before evicting live ones", () => {
    const { pending, advance } = clocked({ max: 2, ttlMs: 100 });
    pending.set("T1", "U1", cmd("expires"));
    advance(50);
    pending.set("T1", "U2", cmd("live"));
    advance(60);
    pending.set("T1", "U3", cmd("new"));
    expect(pending.take("T1", "U2")?.text).toBe("live");
    expect(pending.take("T1", "U3")?.text).toBe("new");
  });

  it("stores a copy, unaffected by later changes to the caller's object", () => {
    const { pending } = clocked();
    const original = cmd("launch");
    pending.set("T1", "U1", original);
    original.text = "changed";
    expect(pending.take("T1", "U1")).toEqual({ text: "launch", channelId: "C1" });
  });
});
