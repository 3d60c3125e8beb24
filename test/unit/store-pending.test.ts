import { describe, expect, it } from "vitest";
import { createPendingCommands } from "../../src/store/pending.ts";
import { createMemorySharedState } from "../../src/store/shared-state.ts";

const cmd = (text: string) => ({ text, channelId: "C1" });

function clocked(opts: { ttlMs?: number } = {}) {
  let t = 1_000_000;
  const shared = createMemorySharedState(() => new Date(t));
  const pending = createPendingCommands(shared, { ...opts, now: () => t });
  return { pending, shared, advance: (ms: number) => (t += ms) };
}

describe("createPendingCommands", () => {
  it("returns a set command once, then nothing", async () => {
    const { pending } = clocked();
    const id = await pending.set("T1", "U1", {
      ...cmd("launch Onboarding"),
      responseUrl: "https://r",
    });
    expect(id).toMatch(/^[A-Za-z0-9_-]{8,}$/);
    expect(await pending.take("T1", "U1")).toEqual({
      text: "launch Onboarding",
      channelId: "C1",
      responseUrl: "https://r",
    });
    expect(await pending.take("T1", "U1")).toBeUndefined();
  });

  it("keeps one command per team and user, the latest winning", async () => {
    const { pending } = clocked();
    await pending.set("T1", "U1", cmd("first"));
    await pending.set("T1", "U1", cmd("second"));
    await pending.set("T1", "U2", cmd("other user"));
    await pending.set("T2", "U1", cmd("other team"));
    expect((await pending.take("T1", "U1"))?.text).toBe("second");
    expect(await pending.take("T1", "U1")).toBeUndefined();
    expect((await pending.take("T1", "U2"))?.text).toBe("other user");
    expect((await pending.take("T2", "U1"))?.text).toBe("other team");
  });

  it("takes by id only the matching command, leaving a newer one for the rest of its time", async () => {
    const { pending, advance } = clocked({ ttlMs: 1000 });
    const oldId = await pending.set("T1", "U1", cmd("first"));
    const newId = await pending.set("T1", "U1", cmd("second"));
    expect(newId).not.toBe(oldId);
    advance(400);
    expect(await pending.take("T1", "U1", oldId)).toBeUndefined();
    advance(599);
    expect((await pending.take("T1", "U1", newId))?.text).toBe("second");

    await pending.set("T1", "U1", cmd("third"));
    advance(500);
    expect(await pending.take("T1", "U1", oldId)).toBeUndefined();
    advance(500);
    // Put back with what was left of its time, not a fresh ttl.
    expect(await pending.take("T1", "U1")).toBeUndefined();
  });

  it("expires commands after the TTL (default 10 minutes)", async () => {
    const { pending, advance } = clocked();
    await pending.set("T1", "U1", cmd("a"));
    advance(10 * 60_000 - 1);
    await pending.set("T1", "U2", cmd("b"));
    expect((await pending.take("T1", "U1"))?.text).toBe("a");
    advance(10 * 60_000);
    expect(await pending.take("T1", "U2")).toBeUndefined();
  });

  it("honours a custom TTL, and resetting a command restarts its clock", async () => {
    const { pending, advance } = clocked({ ttlMs: 1000 });
    await pending.set("T1", "U1", cmd("a"));
    advance(900);
    await pending.set("T1", "U1", cmd("a again"));
    advance(900);
    expect((await pending.take("T1", "U1"))?.text).toBe("a again");
  });

  it("drop forgets the user's command and no one else's", async () => {
    const { pending } = clocked();
    await pending.set("T1", "U1", cmd("archive"));
    await pending.set("T1", "U2", cmd("list"));
    await pending.drop("T1", "U1");
    expect(await pending.take("T1", "U1")).toBeUndefined();
    expect((await pending.take("T1", "U2"))?.text).toBe("list");
  });

  it("stores a copy, unaffected by later changes to the caller's object", async () => {
    const { pending } = clocked();
    const original = cmd("launch");
    await pending.set("T1", "U1", original);
    original.text = "changed";
    expect(await pending.take("T1", "U1")).toEqual({ text: "launch", channelId: "C1" });
  });

  it("ignores a stored value that is not a command", async () => {
    const { pending, shared } = clocked();
    await shared.putPending("command", "T1:U1", "{not json", 60_000);
    expect(await pending.take("T1", "U1")).toBeUndefined();
    await shared.putPending("command", "T1:U1", JSON.stringify({ id: 1 }), 60_000);
    expect(await pending.take("T1", "U1")).toBeUndefined();
  });
});
